/**
 * The nouns of the domain, as schemas. Types are inferred from the schemas so that the tablet, the
 * server and the sync protocol validate exactly the same shapes (DESIGN.md: one domain, shared).
 */
import { en } from 'zod/locales';
import { z } from 'zod/mini';

// zod/mini (tree-shakable) registers no locale, so its default messages would all read "Invalid input";
// the English one (about 1 KB) keeps the messages that rejections and sync errors carry as they were.
z.config(en());

const MAX_NAME = 200;
const MAX_TEXT = 4_000;

export const idSchema = z
  .string()
  .check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'ids are letters, digits, "-" or "_"'));

export const nameSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_NAME));
export const textSchema = z.string().check(z.trim(), z.maxLength(MAX_TEXT));
export const requiredTextSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_TEXT));

/** ISO-8601 with an explicit offset (Z or ±hh:mm): a minute entry must say what time it was, where. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

export const MEETING_KINDS = [
  'conversation',
  'meeting',
  'child-protection-conference',
  'looked-after-child-review',
] as const;
export const meetingKindSchema = z.enum(MEETING_KINDS);
export type MeetingKind = z.infer<typeof meetingKindSchema>;

export const meetingDetailsSchema = z.strictObject({
  kind: meetingKindSchema,
  title: nameSchema,
  scheduledAt: isoDateTimeSchema,
  place: textSchema,
});
export type MeetingDetails = z.infer<typeof meetingDetailsSchema>;

export const subjectChildSchema = z.strictObject({
  id: idSchema,
  name: nameSchema,
});
export type SubjectChild = z.infer<typeof subjectChildSchema>;

export const ROLES = [
  'chair',
  'parent-carer',
  'young-person',
  'social-worker',
  'police',
  'health',
  'education',
  'other-agency',
  'advocate',
  'interpreter',
  'minute-taker',
  'family-member',
  'other',
] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** HCS 2.12: "disagreement between professionals" - the agencies' people, including the chair. */
export const PROFESSIONAL_ROLES: readonly Role[] = [
  'chair',
  'social-worker',
  'police',
  'health',
  'education',
  'other-agency',
];

export const attendeeSchema = z.strictObject({
  id: idSchema,
  name: nameSchema,
  role: roleSchema,
  agency: z.optional(textSchema),
  /** For a parent/carer: parental responsibility, per subject child id (HCS 1.3, 1.4). */
  parentalResponsibility: z.optional(z.record(idSchema, z.boolean())),
  /** For a young person: which subject child they are (HCS 1.3: "the subject children"). */
  subjectChildId: z.optional(idSchema),
});
export type Attendee = z.infer<typeof attendeeSchema>;

/** HCS 1.2 and SSLSCB "Why do we need this guidance": reasons offered as choices for the purpose. */
export const PURPOSE_REASONS = [
  'learning-disability',
  'literacy',
  'physical-difficulty',
  'memory',
  'stress',
  'concentration',
  'exact-record',
  'minutes-insufficient',
] as const;
export const purposeReasonSchema = z.enum(PURPOSE_REASONS);
export type PurposeReason = z.infer<typeof purposeReasonSchema>;

/** HCS 2.5 (in advance), 2.6 (on the day, before discussion), 2.11 (after the start). */
export const requestTimingSchema = z.enum(['in-advance', 'on-the-day', 'after-start']);
export type RequestTiming = z.infer<typeof requestTimingSchema>;

export const receivedViaSchema = z.enum(['in-person', 'email', 'telephone', 'letter']);
export type ReceivedVia = z.infer<typeof receivedViaSchema>;

export const recordingRequestSchema = z.strictObject({
  requesterId: idSchema,
  /** HCS 1.3 speaks of the subject child and the parent both asking: a second requester, if any. */
  additionalRequesterIds: z.optional(z.array(idSchema).check(z.maxLength(3))),
  reasons: z.array(purposeReasonSchema).check(z.maxLength(PURPOSE_REASONS.length)),
  purpose: textSchema,
  timing: requestTimingSchema,
  receivedVia: receivedViaSchema,
  receivedAt: isoDateTimeSchema,
});
export type RecordingRequest = z.infer<typeof recordingRequestSchema>;

const pointSchema = z.strictObject({
  x: z.number(),
  y: z.number(),
  time: z.number(),
  pressure: z.number().check(z.gte(0), z.lte(1)),
});

/**
 * A finger signature as stroke data (signature_pad's toData() points), in CSS pixels of a pad of the
 * given size. The strokes are the source of truth; pictures are drawn from them (PITFALLS 15, 17).
 */
export const signatureSchema = z.strictObject({
  width: z.number().check(z.positive(), z.lte(10_000)),
  height: z.number().check(z.positive(), z.lte(10_000)),
  strokes: z
    .array(z.strictObject({ points: z.array(pointSchema).check(z.minLength(1), z.maxLength(5_000)) }))
    .check(z.minLength(1), z.maxLength(500)),
});
export type Signature = z.infer<typeof signatureSchema>;

export const ANSWERS = ['agreed', 'declined', 'authorisation-needed'] as const;
export type Answer = (typeof ANSWERS)[number];
