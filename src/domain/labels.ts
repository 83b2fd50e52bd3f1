/**
 * The words for the domain's values, in one place: the minute entry uses them mid-sentence as they are,
 * and the screens' British English resource (src/ui/i18n/en-GB.ts) uses the same words with a capital.
 * No imports, so the app shell may load it with the i18n resource without the rest of the domain.
 */

export const ROLE_LABELS = {
  chair: 'chair',
  'parent-carer': 'parent or carer',
  'young-person': 'child or young person',
  'social-worker': 'social worker',
  police: 'police',
  health: 'health',
  education: 'education',
  'other-agency': 'other agency',
  advocate: 'advocate',
  interpreter: 'interpreter',
  'minute-taker': 'minute-taker',
  'family-member': 'family member',
  other: 'other attendee',
} as const;

export const KIND_LABELS = {
  conversation: 'conversation',
  meeting: 'meeting',
  'child-protection-conference': 'child protection conference',
  'looked-after-child-review': 'looked-after child review',
} as const;

export const PURPOSE_LABELS = {
  'learning-disability': 'a learning disability or learning difficulty',
  literacy: 'difficulty with reading or writing',
  'physical-difficulty': 'a physical difficulty with writing or concentrating',
  memory: 'to help remember what was said',
  stress: 'stress or worry',
  concentration: 'to concentrate on the meeting rather than on notes',
  'exact-record': 'to have an exact record to refer back to',
  'minutes-insufficient': 'the minutes may not meet the family’s needs',
} as const;

export const DECLINE_REASON_LABELS = {
  'investigation-details': 'details of an investigation will be shared',
  'third-party-information': 'information about other people will be shared',
  'personal-safety': 'concern for someone’s personal safety',
  'needs-legal-advice': 'legal advice is needed first',
  other: 'another reason',
} as const;

/** "parent or carer" -> "Parent or carer": how a label starts a line on screen. */
export const capitalised = (label: string): string => label.charAt(0).toUpperCase() + label.slice(1);

/** A record of labels with each capitalised, for a screen's resource file. */
export function capitalisedAll<K extends string>(labels: Readonly<Record<K, string>>): Record<K, string> {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, capitalised(v as string)])) as Record<
    K,
    string
  >;
}
