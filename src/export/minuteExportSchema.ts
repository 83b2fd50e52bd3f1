/**
 * The minute entry as data for a case management system: the schema of the JSON export, built from the
 * shared zod schemas (roles, meeting kinds, the signature's stroke data), and published as JSON Schema
 * (docs/minute-export.schema.json, written by scripts/write-minute-export-schema.ts from this schema).
 *
 * Field names are stable: a change that renames, removes or retypes a field raises `MINUTE_EXPORT_SCHEMA_VERSION`;
 * adding an optional field does not.
 */
import { z } from 'zod/mini';
import { HASH_HEX } from '../domain/events';
import { isoDateTimeSchema, meetingKindSchema, roleSchema, signatureSchema } from '../domain/model';
import { participationSchema } from '../domain/participation';

export const MINUTE_EXPORT_SCHEMA_VERSION = 1 as const;

/** A schema with a description for the JSON Schema (kept in zod's global registry, which toJSONSchema reads). */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

const hashSchema = z.string().check(z.regex(HASH_HEX));
const guidanceRefSchema = z.nullable(z.string());

export const minuteExportSchema = described(
  z.strictObject({
    schemaVersion: z.literal(MINUTE_EXPORT_SCHEMA_VERSION),
    documentKind: described(
      z.enum(['minute-entry', 'case-note']),
      'A minute entry for a meeting; a case note for a conversation or a request decided before the meeting.',
    ),
    title: z.string(),
    council: z.strictObject({
      name: z.string(),
      protectiveMarking: described(
        z.string(),
        'The Government Security Classification marking, e.g. OFFICIAL-SENSITIVE.',
      ),
    }),
    meeting: z.strictObject({
      id: z.string(),
      kind: meetingKindSchema,
      kindLabel: z.string(),
      title: z.string(),
      scheduledAt: described(
        z.nullable(isoDateTimeSchema),
        'ISO 8601 with the offset of the tablet that opened it.',
      ),
      date: described(z.string(), 'The meeting date in words, e.g. "Monday 23 November 2026".'),
      place: z.string(),
      policy: z.strictObject({ id: z.string(), name: z.string(), source: z.string() }),
    }),
    chair: z.string(),
    subjectChildren: z.array(z.string()),
    attendees: z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        role: roleSchema,
        roleLabel: z.string(),
        agency: z.string(),
        parentalResponsibility: described(
          z.string(),
          'For a parent or carer: who they hold parental responsibility for.',
        ),
        language: described(
          z.string(),
          'BCP-47 tag of the language of their own screens at the end of the record (en-GB unless they chose another).',
        ),
        didAttend: described(z.boolean(), 'False for someone expected who never arrived.'),
        joinedAt: described(
          z.nullable(isoDateTimeSchema),
          'When they joined after the start; null if there from the start.',
        ),
        leftAt: described(
          z.nullable(isoDateTimeSchema),
          'When they left and did not return; null if there to the end.',
        ),
        movements: z.array(z.strictObject({ move: z.enum(['left', 'returned']), at: isoDateTimeSchema })),
        takesPartBy: described(
          z.optional(participationSchema),
          'How they took part when added or when they joined: in the room, by phone or by video.',
        ),
        participationChanges: described(
          z.optional(z.array(z.strictObject({ takesPartBy: participationSchema, at: isoDateTimeSchema }))),
          'Each later change of how they took part, in order.',
        ),
      }),
    ),
    record: described(
      z.array(
        z.strictObject({
          at: isoDateTimeSchema,
          date: described(z.nullable(z.string()), "The date in words when it is not the meeting's date."),
          time: z.string(),
          text: z.string(),
          guidanceRef: guidanceRefSchema,
        }),
      ),
      'What happened about the request to record, in time order: the lines of the minute entry.',
    ),
    answers: z.array(
      z.strictObject({
        at: isoDateTimeSchema,
        attendeeId: z.string(),
        name: z.string(),
        role: roleSchema,
        answer: z.enum(['agreed', 'declined', 'authorisation-needed']),
        reason: z.string(),
        round: z.number().check(z.int(), z.gte(1)),
        how: described(
          z.optional(
            z.strictObject({
              takesPartBy: z.optional(z.enum(['phone', 'video'])),
              relayedBy: z.optional(z.strictObject({ attendeeId: z.string(), name: z.string() })),
              interpreter: z.optional(
                z.strictObject({
                  attendeeId: z.string(),
                  name: z.string(),
                  language: described(z.string(), 'A BCP-47 language tag, e.g. "pl".'),
                  languageName: z.string(),
                  takesPartBy: described(
                    z.optional(z.enum(['phone', 'video'])),
                    'The interpreter was on the phone or video when the answer was given; absent: in the room.',
                  ),
                }),
              ),
            }),
          ),
          'How the answer was given, when not on the tablet by the person alone: by phone or video and relayed by the chair, through an interpreter, or both.',
        ),
      }),
    ),
    undertakings: z.array(
      z.strictObject({
        signerName: z.string(),
        signedAt: isoDateTimeSchema,
        textVersion: z.string(),
        textSha256: described(
          hashSchema,
          'SHA-256 of the undertaking signed (its full, plain and Easy read versions).',
        ),
        shownInLanguage: described(
          z.string(),
          'BCP-47 tag of the language the undertaking was shown in (en-GB: the English alone; otherwise that language with the English beside it).',
        ),
        translation: described(
          z.nullable(
            z.strictObject({
              language: z.string(),
              languageName: z.string(),
              textSha256: described(hashSchema, 'SHA-256 of the translation shown beside the English.'),
              isApproved: described(z.boolean(), 'Whether the council had approved the translation.'),
            }),
          ),
          'The translation shown beside the English and signed with it (issue 18); null when the English alone was shown.',
        ),
        chosenLanguage: described(
          z.optional(z.string()),
          'BCP-47 tag of the language the signer had chosen for their own screens when they signed; where it is not shownInLanguage, the version signed had no translation into it and the English alone was shown.',
        ),
        deviceId: z.string(),
        signature: described(
          signatureSchema,
          'The finger signature as stroke data, in CSS pixels of the pad.',
        ),
      }),
    ),
    understandingChecks: described(
      z.optional(
        z.array(
          z.strictObject({
            signerId: z.string(),
            signerName: z.string(),
            at: isoDateTimeSchema,
            textVersion: described(
              z.nullable(z.string()),
              'The undertaking version the questions came from; null when none was asked.',
            ),
            result: described(
              z.enum(['understood', 'skipped', 'not-finished']),
              'understood: every point answered rightly; skipped: the chair gave a reason for not checking (or not finishing); not-finished: the person chose not to sign during the check.',
            ),
            reason: described(z.nullable(z.string()), "The chair's reason, in their words, when skipped."),
            language: described(
              z.string(),
              'BCP-47 tag of the language the questions were shown in (the English was always beside a translation); where the language was changed during the check, the one the last question was asked in.',
            ),
            languages: described(
              z.optional(z.array(z.string())),
              'BCP-47 tags of every language the questions were shown in, in order; more than one when the person changed language during the check. Empty when no question was asked.',
            ),
            questions: z.array(
              z.strictObject({
                questionId: z.string(),
                point: described(z.string(), 'The point of the undertaking the question was about.'),
                attempts: described(
                  z.number().check(z.int(), z.gte(0)),
                  'How many answers were given, the last one right when understood.',
                ),
                isUnderstood: z.boolean(),
              }),
            ),
          }),
        ),
      ),
      'The checks of understanding before signing the undertaking (issue 18), one per person asking; `at` is when the check ended, was stopped or was skipped.',
    ),
    outcome: z.nullable(
      z.strictObject({
        status: z.enum(['permitted', 'not-permitted', 'awaiting-authorisation']),
        basis: z.enum([
          'all-agreed',
          'not-all-agreed',
          'authorisation-needed',
          'nobody-asked',
          'chair-decided',
          'ground-confirmed',
          'ineligible',
          'undertaking-declined',
          'notice-model',
          'withdrawn',
        ]),
        text: z.string(),
        guidanceRef: z.string(),
      }),
    ),
    recordingPeriods: z.array(z.strictObject({ from: isoDateTimeSchema, to: z.nullable(isoDateTimeSchema) })),
    confirmation: z.nullable(
      z.strictObject({ name: z.string(), roleLabel: z.string(), at: isoDateTimeSchema }),
    ),
    isDiscarded: z.boolean(),
    isComplete: described(z.boolean(), 'False when the record could not be read to its end.'),
    recordCheck: z.strictObject({
      eventCount: z.number().check(z.int(), z.gte(0)),
      headHash: described(hashSchema, 'The hash of the last event: compare with the records service.'),
      verifyUrl: described(z.string(), "The records service's verify page for this meeting and head hash."),
    }),
  }),
  'A minute entry about a request to record a children’s services meeting (Consent Kiosk).',
);

export type MinuteExport = z.infer<typeof minuteExportSchema>;

/** The JSON Schema (draft 2020-12) published for the export. */
export function minuteExportJsonSchema(): Record<string, unknown> {
  return {
    title: 'Minute entry export',
    ...z.toJSONSchema(minuteExportSchema, { target: 'draft-2020-12', io: 'output' }),
  };
}
