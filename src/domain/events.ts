/**
 * Domain events: every fact of DOMAIN.md, as a typed union with dotted names, and the versioned
 * envelope that chains them (DESIGN.md). Synced formats only grow: a new event type or an optional
 * field may be added; nothing is renamed or removed, so a newer app reads every older log.
 */
import { z } from 'zod/mini';
import { languageTagSchema } from './languages';
import {
  attendeeSchema,
  findForbiddenText,
  idSchema,
  isoDateTimeSchema,
  meetingDetailsSchema,
  nameSchema,
  PURPOSE_REASONS,
  purposeReasonSchema,
  recordingRequestSchema,
  requiredTextSchema,
  roleSchema,
  signatureSchema,
  subjectChildSchema,
  textSchema,
  uuidSchema,
} from './model';
import { answerHowShape, participationSchema } from './participation';

export const EVENT_VERSION = 1 as const;

const refusalGroundIdSchema = z.enum([
  'no-parental-responsibility',
  'pr-holder-objected',
  'child-objected',
  'history-of-misuse',
  'threat-to-publish',
  'alternatives-meet-need',
]);
const alternativeIdSchema = z.enum([
  'detailed-minutes',
  'minutes-sent-early',
  'note-taker-or-advocate',
  'breaks-and-summaries',
  'written-summary-of-decisions',
  'pre-meeting-explanation',
]);

const declineReasonIdSchema = z.enum([
  'investigation-details',
  'third-party-information',
  'personal-safety',
  'needs-legal-advice',
  'other',
]);

const ev = <T extends string, P extends z.ZodMiniType>(type: T, payload: P) =>
  z.strictObject({ type: z.literal(type), payload });
const attendeeRef = z.strictObject({ attendeeId: idSchema });

export const domainEventSchema = z.discriminatedUnion('type', [
  ev(
    'meeting.opened',
    z.strictObject({
      meeting: meetingDetailsSchema,
      profileId: z.enum(['hertfordshire', 'staffordshire-stoke']),
      subjectChildren: z.array(subjectChildSchema).check(z.maxLength(20)),
    }),
  ),
  /** Present from the start (before any discussion). */
  /**
   * `isAbsent`: expected but not here yet (a meeting prepared in advance, HCS 2.5): they arrive with
   * attendee.returned. Without it, they are here.
   */
  /** `takesPartBy`: in the room (absent), by phone or by video (issue 18); the chair is always in the room. */
  ev(
    'attendee.added',
    z.strictObject({
      attendee: attendeeSchema,
      isAbsent: z.optional(z.boolean()),
      takesPartBy: z.optional(participationSchema),
    }),
  ),
  /** Arrived after the discussion began (HCS 2.11). */
  ev(
    'attendee.joined',
    z.strictObject({ attendee: attendeeSchema, takesPartBy: z.optional(participationSchema) }),
  ),
  /** Someone present changed how they take part (left the room for the phone, came into the room, ...). */
  ev(
    'attendee.participation-changed',
    z.strictObject({ attendeeId: idSchema, takesPartBy: participationSchema }),
  ),
  ev('attendee.left', attendeeRef),
  /** Someone who had left came back (HCS 2.11: permission is sought again, as for a newcomer). */
  ev('attendee.returned', attendeeRef),
  /** A correction of a typo or a mistake in an attendee's details; the minute shows it as a correction. */
  ev(
    'attendee.corrected',
    z.strictObject({
      attendeeId: idSchema,
      name: z.optional(nameSchema),
      role: z.optional(roleSchema),
      agency: z.optional(textSchema),
      parentalResponsibility: z.optional(z.record(idSchema, z.boolean())),
      subjectChildId: z.optional(idSchema),
    }),
  ),
  /** An attendee chose (or changed) the language of their own screens, on their screen (issue 18). */
  ev('attendee.language-chosen', z.strictObject({ attendeeId: idSchema, language: languageTagSchema })),
  /** An attendee added in error, before they were asked anything. */
  ev('attendee.removed', z.strictObject({ attendeeId: idSchema, reason: requiredTextSchema })),
  ev('request.made', z.strictObject({ request: recordingRequestSchema })),
  /** A correction of the request's stated purpose. */
  ev(
    'request.corrected',
    z.strictObject({
      purpose: z.optional(textSchema),
      reasons: z.optional(z.array(purposeReasonSchema).check(z.maxLength(PURPOSE_REASONS.length))),
    }),
  ),
  /** HCS 1.4 ground 2: an objection from a person with parental responsibility who is not at the meeting. */
  ev('pr-holder.objected', z.strictObject({ name: nameSchema, note: requiredTextSchema })),
  /**
   * HCS 2.5: the organiser told the attendees that a request had been made: how (`via`) and when (the
   * envelope's time). `attendeeIds` (issue 19): who was told, each by name; an advance decision covers only
   * the invited attendees told of it (rules.ts, isCoveredByAdvanceDecision). Without it (older logs): "the
   * attendees", nobody named, so nobody counts as told.
   */
  ev(
    'request.attendees-notified',
    z.strictObject({
      via: z.enum(['email', 'telephone', 'letter', 'in-person']),
      attendeeIds: z.optional(z.array(idSchema).check(z.minLength(1), z.maxLength(100))),
    }),
  ),
  /** HCS 2.5: the decision was confirmed to the requester. */
  ev(
    'request.outcome-confirmed',
    z.strictObject({ via: z.enum(['email', 'telephone', 'letter', 'in-person']), note: textSchema }),
  ),
  /** `requesterId` names which requester, when two ask (HCS 1.3); without it, the first. */
  ev(
    'eligibility.confirmed',
    z.strictObject({
      basis: z.enum(['subject-child', 'parent-with-pr', 'not-required']),
      requesterId: z.optional(idSchema),
    }),
  ),
  ev(
    'eligibility.refused',
    z.strictObject({ reason: requiredTextSchema, requesterId: z.optional(idSchema) }),
  ),
  ev(
    'undertaking.signed',
    z.strictObject({
      signerId: idSchema,
      textVersion: z.string().check(z.minLength(1), z.maxLength(64)),
      textSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
      signature: signatureSchema,
      /**
       * Issue 18: the undertaking was shown in another language, with the English beside it: that
       * language, its translation's hash (of the same text version) and whether the council had approved
       * the translation. Without it, the English alone was shown.
       */
      translation: z.optional(
        z.strictObject({
          language: languageTagSchema,
          textSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
          isApproved: z.boolean(),
        }),
      ),
    }),
  ),
  ev('undertaking.declined', z.strictObject({ signerId: idSchema })),
  /**
   * The check of understanding before signing (issue 18): the person asking answered one question of the
   * undertaking version shown. Whether the answer was right is read from that version, never sent.
   */
  ev(
    'understanding.answered',
    z.strictObject({
      signerId: idSchema,
      textVersion: z.string().check(z.minLength(1), z.maxLength(64)),
      questionId: z.string().check(z.minLength(1), z.maxLength(64)),
      answerId: z.string().check(z.minLength(1), z.maxLength(64)),
    }),
  ),
  /** The chair did not check understanding with the questions (or stopped the check), and said why. */
  ev('understanding.skipped', z.strictObject({ signerId: idSchema, reason: requiredTextSchema })),
  ev('consent.asked', attendeeRef),
  /** Each answer may say how it was given: through an interpreter, relayed by the chair (participation.ts). */
  ev('consent.given', z.strictObject({ attendeeId: idSchema, ...answerHowShape })),
  ev(
    'consent.declined',
    z.strictObject({
      attendeeId: idSchema,
      ...answerHowShape,
      reason: textSchema,
      /** Common reasons chosen with one tap (the profile's list); `reason` holds the attendee's own words. */
      reasonChoices: z.optional(z.array(declineReasonIdSchema).check(z.maxLength(5))),
    }),
  ),
  ev(
    'consent.authorisation-needed',
    z.strictObject({ attendeeId: idSchema, detail: textSchema, ...answerHowShape }),
  ),
  ev('ground.confirmed', z.strictObject({ ground: refusalGroundIdSchema, note: requiredTextSchema })),
  ev('ground.dismissed', z.strictObject({ ground: refusalGroundIdSchema, note: requiredTextSchema })),
  /** `otherGroundsNotApplicable`: the chair's one answer that none of the grounds not answered one by one applies. */
  ev('screening.completed', z.strictObject({ otherGroundsNotApplicable: z.optional(z.boolean()) })),
  ev(
    'chair.decided',
    z.strictObject({
      outcome: z.enum(['permitted', 'not-permitted']),
      reason: requiredTextSchema,
      disagreements: textSchema,
    }),
  ),
  ev(
    'alternatives.offered',
    z.strictObject({ arrangements: z.array(alternativeIdSchema).check(z.maxLength(10)), note: textSchema }),
  ),
  /** Discussion began. HCS 2.6: permission is sought before this. */
  ev('meeting.started', z.strictObject({})),
  ev('recording.started', z.strictObject({})),
  /** The chair stopped the meeting to review the recording for a reason of their own (HCS 2.11). */
  ev('recording.paused', z.strictObject({ reason: requiredTextSchema })),
  ev('recording.resumed', z.strictObject({})),
  ev('recording.withdrawn', z.strictObject({ reason: requiredTextSchema })),
  /** Ask everyone again when recording is not going on (e.g. legal advice has now been given, HCS 2.8). */
  ev('review.requested', z.strictObject({ reason: requiredTextSchema })),
  ev('covert-recording.suspected', z.strictObject({ note: requiredTextSchema })),
  /** Notice model (SSLSCB): the recording was raised as excessive or oppressive; the safeguarding lead was asked. */
  ev('concern.escalated', z.strictObject({ note: requiredTextSchema })),
  ev('concern.advice-received', z.strictObject({ note: requiredTextSchema })),
  /** The chair read the minute entry and confirmed it (behind the PIN) before closing. */
  ev('minute.confirmed', z.strictObject({ chairId: idSchema })),
  ev('meeting.closed', z.strictObject({})),
  /** A meeting opened in error: listed as discarded, never as a closed meeting. */
  ev('meeting.discarded', z.strictObject({ reason: requiredTextSchema })),
  /**
   * Issue 19: a tablet took over a meeting prepared by the records service (the envelope's deviceId says
   * which). Once per meeting, before the discussion begins; from then on that tablet is the log's writer.
   */
  ev('custody.claimed', z.strictObject({})),
]);

export type DomainEvent = z.infer<typeof domainEventSchema>;
export type DomainEventType = DomainEvent['type'];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
export type PayloadOf<T extends DomainEventType> = EventOf<T>['payload'];

/** Read from the schema itself (each option's `type` literal), so the list cannot drift from the union. */
export const DOMAIN_EVENT_TYPES = domainEventSchema.def.options.flatMap(
  (o) => o.def.shape.type.def.values,
) as readonly DomainEventType[];

export const HASH_HEX = /^[0-9a-f]{64}$/;
export const GENESIS_HASH = '0'.repeat(64);

/** The envelope of DESIGN.md. `hash` covers every other field (RFC 8785 canonical JSON). */
export const envelopeSchema = z
  .strictObject({
    v: z.literal(EVENT_VERSION),
    // Lower case, as the tablet writes them: one spelling per id.
    id: z
      .string()
      .check(z.uuid({ version: 'v7' }), z.regex(/^[0-9a-f-]+$/, 'a UUID is written in lower case')),
    meetingId: uuidSchema,
    deviceId: idSchema,
    seq: z.number().check(z.int(), z.gte(1), z.lte(1_000_000)),
    at: isoDateTimeSchema,
    type: z.string(),
    payload: z.unknown(),
    prevHash: z.string().check(z.regex(HASH_HEX)),
    hash: z.string().check(z.regex(HASH_HEX)),
  })
  .check(
    z.superRefine((value, ctx) => {
      // Every string of the payload, in a field with a text schema or not (e.g. a version label), is free
      // of control characters and lone surrogates.
      const bad = findForbiddenText(value.payload, ['payload']);
      if (bad) {
        ctx.addIssue({
          code: 'custom',
          path: bad,
          message: 'text may not hold control characters or broken characters',
          params: { forbiddenText: true },
        });
        return;
      }
      const body = domainEventSchema.safeParse({ type: value.type, payload: value.payload });
      if (!body.success) {
        for (const issue of body.error.issues)
          ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
      }
    }),
  );

export type EventEnvelope<E extends DomainEvent = DomainEvent> = E & {
  v: typeof EVENT_VERSION;
  id: string;
  meetingId: string;
  deviceId: string;
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
};

export function bodyOf(envelope: EventEnvelope): DomainEvent {
  return { type: envelope.type, payload: envelope.payload } as DomainEvent;
}
