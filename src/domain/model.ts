/**
 * The nouns of the domain, as schemas. Types are inferred from the schemas so that the tablet, the
 * server and the sync protocol validate exactly the same shapes (DESIGN.md: one domain, shared).
 */

import { en } from 'zod/locales';
import { z } from 'zod/mini';
import { languageTagSchema } from './languages';

// zod/mini (tree-shakable) registers no locale, so its default messages would all read "Invalid input";
// the English one (about 1 KB) keeps the messages that rejections and sync errors carry as they were.
z.config(en());

const MAX_NAME = 200;
const MAX_TEXT = 4_000;

/**
 * Ids in one canonical form: lower-case letters, digits, "-" or "_". The tablet makes them lower case
 * (UUIDs from crypto.randomUUID and uuid's v7); an id in another case would be a second spelling of the
 * same id that the records service could not find again.
 */
export const idSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[a-z0-9_-]+$/, 'ids are lower-case letters, digits, "-" or "_"'),
  );

/** A UUID as the tablet writes it (lower case), the id of an event or a meeting. */
export const uuidSchema = z
  .string()
  .check(z.uuid(), z.regex(/^[0-9a-f-]+$/, 'a UUID is written in lower case'));

/**
 * Characters no text the tablet's forms produce may hold, and that PostgreSQL's jsonb refuses or that
 * would print as nothing: the C0 controls but tab and line feed, DEL, the C1 controls, and a UTF-16
 * surrogate without its pair (not a character at all). `u`: a proper surrogate pair is one code point.
 * Also the bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069): invisible, they make
 * a printed name or reason read differently from what was typed (the marks U+200E/200F stay allowed).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN_IN_TEXT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;
/**
 * On one line (a name): a line feed is refused as well (a text input strips line breaks, so a name never
 * held one). A tab is let through: pasted into a text input it stays, so a name already written may hold one.
 */
const FORBIDDEN_IN_LINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;

/** Whether a text holds a control character (but tab or line feed) or a lone surrogate. */
export const hasForbiddenCharacter = (text: string): boolean => FORBIDDEN_IN_TEXT.test(text);

/**
 * The path of the first string (or object key) anywhere in `value` that holds a forbidden character, or
 * null: the records service asks this of a whole event before anything else, so that no such text ever
 * reaches its database, whatever field it hides in.
 */
export function findForbiddenText(
  value: unknown,
  path: (string | number)[] = [],
): (string | number)[] | null {
  if (typeof value === 'string') return FORBIDDEN_IN_TEXT.test(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findForbiddenText(item, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (FORBIDDEN_IN_TEXT.test(key)) return [...path, key];
    const found = findForbiddenText(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

const plainText = z.refine<string>((text) => !FORBIDDEN_IN_TEXT.test(text), {
  message: 'text may not hold control characters or broken characters',
});
const oneLine = z.refine<string>((text) => !FORBIDDEN_IN_LINE.test(text), {
  message: 'a name is one line without control characters or broken characters',
});

export const nameSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_NAME), oneLine);
/** Free text that may run over several lines (a purpose, a reason, a note). */
export const textSchema = z.string().check(z.trim(), z.maxLength(MAX_TEXT), plainText);
export const requiredTextSchema = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(MAX_TEXT), plainText);

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
  /** The language of their own screens (issue 18), a BCP-47 tag; without it, English. */
  language: z.optional(languageTagSchema),
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
 * given size. The strokes are the source of truth; pictures are drawn from them.
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
