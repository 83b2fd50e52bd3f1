/**
 * The minute entry (HCS 2.10) and, for conversations and advance requests, the case note (HCS 2.3-2.5):
 * pure projections of the meeting's log. The structured entry is what JSON exports; the text is what a
 * chair pastes into the minutes. Both come from one pass over the log, so they cannot disagree.
 */

import { dateOf, timeOf } from './dates';
import { initialSnapshot, type MeetingSnapshot, step } from './engine';
import { bodyOf, type EventEnvelope, GENESIS_HASH } from './events';
import { DECLINE_REASON_LABELS, KIND_LABELS, PURPOSE_LABELS, ROLE_LABELS } from './labels';
import { englishNameOf, SOURCE_LANGUAGE } from './languages';
import type { Attendee, MeetingKind, ReceivedVia, Role, Signature } from './model';
import {
  type InterpreterRef,
  PARTICIPATION_WORDS,
  type Participation,
  participationOf,
} from './participation';
import { RECORDS_SERVICE_DEVICE_ID } from './prepared';
import {
  type AlternativeId,
  type PolicyProfile,
  type ProfileId,
  profileById,
  type RefusalGroundId,
  type UnderstandingQuestion,
  understandingQuestionsOf,
  undertakingTranslationOf,
} from './profiles';
import {
  type AttendeeState,
  chairOf,
  type GroundWhy,
  groundStandings,
  isCoveredByAdvanceDecision,
  isLateAdvanceRequest,
  isRequesterPresent,
  type MeetingContext,
  type Outcome,
  profileOf,
  relayerOf,
  type UnderstandingCheck,
  understandingOf,
  unsignedRequiredUndertakings,
  wasToldOfRequest,
} from './rules';

export { KIND_LABELS, PURPOSE_LABELS, ROLE_LABELS };

const VIA_LABELS: Readonly<Record<ReceivedVia, string>> = {
  'in-person': 'in person',
  email: 'by email',
  telephone: 'by telephone',
  letter: 'by letter',
};

export const GROUND_LABELS: Readonly<Record<RefusalGroundId, string>> = {
  'no-parental-responsibility': 'the parent does not have parental responsibility for every child',
  'pr-holder-objected': 'another person with parental responsibility objected',
  'child-objected': 'the child or young person objected',
  'history-of-misuse': 'a history of misusing information',
  'threat-to-publish': 'a threat to make the recording public',
  'alternatives-meet-need': 'alternative arrangements fully meet the need',
};

/** Why a ground was raised or ruled out by the facts, as the minute says it. */
export const GROUND_WHY_LABELS: Readonly<Record<GroundWhy, string>> = {
  'requester-lacks-pr': 'the parent asking does not have parental responsibility for every subject child',
  'requester-has-pr-for-every-child': 'the parent asking has parental responsibility for every subject child',
  'requester-is-subject-child': 'the person asking is the child the meeting is about',
  'pr-holder-declined': 'a person with parental responsibility did not agree',
  'absent-pr-holder-objected': 'a person with parental responsibility who is not present objected',
  'no-pr-holder-objected': 'nobody with parental responsibility objected',
  'subject-child-declined': 'the child the meeting is about did not agree',
  'no-subject-child-objected': 'no child the meeting is about objected',
};

const OUTCOME_SENTENCES: Readonly<Record<Outcome['basis'], string>> = {
  'all-agreed': 'Recording was permitted: everyone present agreed',
  'not-all-agreed': 'Recording was not permitted: not everyone agreed',
  'authorisation-needed':
    'Recording was not permitted for now: further authorisation or information is needed first',
  'nobody-asked': 'Recording was not permitted: nobody present was asked',
  'chair-decided': 'Recording was decided by the chair',
  'ground-confirmed': 'Recording was not permitted on the grounds the chair confirmed',
  ineligible: 'Recording was not permitted: the person asking was not eligible to ask',
  'undertaking-declined': 'Recording was not permitted: the undertaking was not signed',
  'notice-model':
    'Recording could go ahead: under this policy recording cannot be banned, and every view was recorded',
  withdrawn: 'Recording was not permitted: the chair withdrew permission',
};

/**
 * One sentence (no full stop) saying what was decided and why, naming who did not agree and who needs
 * advice first when they are known (`nameOf` gives "Tom Reid (social worker)" for an attendee id).
 */
export function outcomeText(outcome: Outcome, nameOf?: (id: string) => string): string {
  if (outcome.basis === 'chair-decided') {
    return `Recording was ${outcome.status === 'permitted' ? 'permitted' : 'not permitted'}, by the chair’s overall decision where the professionals disagreed`;
  }
  const declined = (outcome.declinedIds ?? []).map((id) => nameOf?.(id) ?? '').filter(Boolean);
  const awaiting = (outcome.awaitingIds ?? []).map((id) => nameOf?.(id) ?? '').filter(Boolean);
  const verb = (names: string[], one: string, many: string) => (names.length === 1 ? one : many);
  if (outcome.basis === 'not-all-agreed' && declined.length > 0) {
    const also = awaiting.length
      ? `; ${listJoin(awaiting)} also ${verb(awaiting, 'needs', 'need')} advice or information first`
      : '';
    return `Recording was not permitted: ${listJoin(declined)} did not agree${also}`;
  }
  if (outcome.basis === 'authorisation-needed' && awaiting.length > 0) {
    return `Recording was not permitted for now: ${listJoin(awaiting)} ${verb(awaiting, 'needs', 'need')} advice or information first`;
  }
  if (outcome.basis === 'ground-confirmed' && (declined.length > 0 || awaiting.length > 0)) {
    const said = [
      declined.length ? `${listJoin(declined)} did not agree` : '',
      awaiting.length ? `${listJoin(awaiting)} ${verb(awaiting, 'needs', 'need')} advice first` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return `${OUTCOME_SENTENCES[outcome.basis]}; ${said}`;
  }
  return OUTCOME_SENTENCES[outcome.basis];
}

/**
 * The outcome as the minute states it. Under the notice model a decision made in the office (issue 19) says
 * what was and was not heard: nobody asked yet, or those told in advance covered by it (HCS 2.5).
 */
function outcomeSentence(ctx: MeetingContext, outcome: Outcome, nameOf: (id: string) => string): string {
  if (outcome.basis !== 'notice-model') return outcomeText(outcome, nameOf);
  const covered = ctx.attendees.filter((a) => ctx.coveredInAdvance?.[a.id]).map((a) => nameOf(a.id));
  if (Object.keys(ctx.answers).length === 0 && covered.length === 0)
    return 'Recording could go ahead: under this policy recording cannot be banned. Nobody had been asked for their view yet';
  if (covered.length === 0) return outcomeText(outcome, nameOf);
  return `Recording could go ahead: under this policy recording cannot be banned. The views asked for on the day were recorded; ${listJoin(covered)} had been told of the request in advance and ${covered.length === 1 ? 'was' : 'were'} covered by the decision made then`;
}

export const ANSWER_LABELS = {
  agreed: 'agreed',
  declined: 'declined',
  'authorisation-needed': 'needs further authorisation or information first',
} as const;

export interface MinuteItem {
  /** ISO time of the fact, with offset. */
  at: string;
  /** "10:41" */
  time: string;
  /** "Sunday 22 November 2026" when the fact's date is not the meeting's (advance requests, later confirmations). */
  date?: string;
  text: string;
  ref?: string;
}

export interface MinuteAnswer {
  at: string;
  attendeeId: string;
  name: string;
  role: Role;
  answer: keyof typeof ANSWER_LABELS;
  reason: string;
  /** The round the answer was given in (1 for the first; each "asked again" starts another). */
  round: number;
  /** How the answer was given, when not in person on the tablet alone (issue 18). */
  how?: MinuteAnswerHow;
}

/** An answer given through an interpreter, or by phone or video and relayed, or both (issue 18). */
export interface MinuteAnswerHow {
  /** By phone or video: the answer was taken and recorded by `relayedBy`. */
  takesPartBy?: Exclude<Participation, 'in-room'>;
  relayedBy?: { attendeeId: string; name: string };
  interpreter?: {
    attendeeId: string;
    name: string;
    language: string;
    languageName: string;
    /** The interpreter was on the phone or video when the answer was given (absent: in the room). */
    takesPartBy?: Exclude<Participation, 'in-room'>;
  };
}

export interface MinuteUndertaking {
  /** The attendee who signed: their role is theirs, whoever else shares their name or if it is corrected. */
  signerId: string;
  signerName: string;
  at: string;
  textVersion: string;
  textSha256: string;
  /**
   * Issue 18: the language the undertaking was shown in beside the English (its English name, e.g.
   * "Polish"), its translation's hash and whether the council had approved it; null when the English alone
   * was shown.
   */
  translation: MinuteTranslationShown | null;
  /**
   * The language the signer had chosen for their screens when they signed (BCP-47; en-GB unless chosen):
   * where it is not the one shown, the version signed had no translation into it.
   */
  chosenLanguage: string;
  deviceId: string;
  /** The finger signature's stroke data, from which every picture of it is drawn. */
  signature: Signature;
}

/** A translation of the undertaking shown beside the English (issue 18). */
export interface MinuteTranslationShown {
  /** BCP-47 tag. */
  language: string;
  /** Its English name ("Polish"), or the tag for a language this app does not ship. */
  languageName: string;
  textSha256: string;
  isApproved: boolean;
}

/**
 * The language an undertaking version's words (and its questions) were shown in to someone who chose
 * `chosen`: theirs where that version is translated into it, else English. `untranslated` names the language
 * they chose when it had to be English instead, so the minute can say so.
 */
function undertakingLanguageFor(
  profile: PolicyProfile,
  chosen: string | undefined,
  version: string,
): { shown: string; untranslated: string | null } {
  const language = chosen ?? SOURCE_LANGUAGE;
  if (language === SOURCE_LANGUAGE) return { shown: SOURCE_LANGUAGE, untranslated: null };
  return undertakingTranslationOf(profile, language, version)
    ? { shown: language, untranslated: null }
    : { shown: SOURCE_LANGUAGE, untranslated: language };
}

/** " The questions were asked in Polish, with the English beside them." and the like; "" for English. */
function questionsLanguageLine(profile: PolicyProfile, chosen: string | undefined, version: string): string {
  const { shown, untranslated } = undertakingLanguageFor(profile, chosen, version);
  if (untranslated)
    return ` The questions were asked in English: this version of the undertaking has no ${englishNameOf(untranslated)} translation.`;
  return shown === SOURCE_LANGUAGE
    ? ''
    : ` The questions were asked in ${englishNameOf(shown)}, with the English beside them.`;
}

/** The language a question was asked in: the one chosen at the time (`chosen`) and the one shown (`shown`). */
interface AskedIn {
  chosen: string | undefined;
  shown: string;
}

/**
 * The language line of a check of understanding, from the languages its questions were asked in, in order
 * (a change of language during the check is said, never hidden behind the last one).
 */
function checkLanguageLine(profile: PolicyProfile, askedIn: readonly AskedIn[], version: string): string {
  const [only] = askedIn;
  if (askedIn.length <= 1) return only ? questionsLanguageLine(profile, only.chosen, version) : '';
  const each = askedIn.map((a) =>
    a.shown === SOURCE_LANGUAGE
      ? 'in English'
      : `in ${englishNameOf(a.shown)} (with the English beside them)`,
  );
  return ` The language was changed during the check: the questions were asked ${each.join(', then ')}.`;
}

/** How one requester's check of understanding went (issue 18), as the JSON export carries it. */
export interface MinuteUnderstandingCheck {
  signerId: string;
  signerName: string;
  /** When it ended: the last right answer, the chair's skip, or the requester's choice not to sign. */
  at: string;
  /** The undertaking version the questions came from; null when none was asked. */
  textVersion: string | null;
  result: 'understood' | 'skipped' | 'not-finished';
  /** The chair's reason for not checking (or not finishing), in their words. */
  reason: string | null;
  /**
   * The language the questions were shown in (BCP-47): the signer's, where that version has it; else en-GB.
   * Where the language was changed during the check, the one the last question was asked in.
   */
  language: string;
  /** Every language the questions were shown in, in order (more than one: changed during the check). */
  languages: string[];
  questions: Array<{ questionId: string; point: string; attempts: number; isUnderstood: boolean }>;
}

export interface MinuteEntry {
  documentKind: 'minute-entry' | 'case-note';
  title: string;
  meeting: {
    id: string;
    kind: MeetingKind;
    kindLabel: string;
    title: string;
    scheduledAt: string;
    date: string;
    place: string;
    /** The policy profile the meeting was opened under: its branding prints the documents. */
    profileId: ProfileId;
    profile: string;
    source: string;
  };
  /** The chair as the attendee list names them. */
  chair: string;
  subjectChildren: string[];
  attendees: Array<{
    id: string;
    name: string;
    role: Role;
    roleLabel: string;
    agency: string;
    joinedAt: string | null;
    leftAt: string | null;
    /** Every time they left or came back, in order. */
    moves: Array<{ move: 'left' | 'returned'; at: string }>;
    /**
     * How they took part when they were added or joined: in the room, by phone or by video (issue 18); for
     * someone expected, as they were last expected before they arrived.
     */
    takesPartBy: Participation;
    /** Every later change of how they took part, in order. */
    participationChanges: Array<{ takesPartBy: Participation; at: string }>;
    /** False for someone expected (a meeting prepared in advance) who never arrived. */
    didAttend: boolean;
    /** For a parent/carer: "parental responsibility for Jamie Doe" etc. */
    parentalResponsibility: string;
    /** The language of their own screens at the end (BCP-47; en-GB unless one was chosen), and its name. */
    language: string;
    languageName: string;
  }>;
  answers: MinuteAnswer[];
  /** The first signed undertaking (kept for readers of one requester); all of them are in `undertakings`. */
  undertaking: MinuteUndertaking | null;
  undertakings: MinuteUndertaking[];
  understandingChecks: MinuteUnderstandingCheck[];
  outcome: (Outcome & { text: string }) | null;
  /** When recording was going on, from start (or resumption) to pause or end. */
  recordingPeriods: Array<{ from: string; to: string | null }>;
  items: MinuteItem[];
  /** The chair's confirmation of the entry as it stands at the end (HCS 2.10), or null if not confirmed. */
  confirmation: { name: string; roleLabel: string; at: string } | null;
  isDiscarded: boolean;
  eventCount: number;
  headHash: string;
  isComplete: boolean;
}

interface AttendeeTimes {
  joinedAt: string | null;
  leftAt: string | null;
  moves: Array<{ move: 'left' | 'returned'; at: string }>;
  /** As they took part when added or joined; later changes follow. */
  takesPartBy: Participation;
  participationChanges: Array<{ takesPartBy: Participation; at: string }>;
}

const newTimes = (joinedAt: string | null, by: Participation | undefined): AttendeeTimes => ({
  joinedAt,
  takesPartBy: by ?? 'in-room',
  leftAt: null,
  moves: [],
  participationChanges: [],
});

/** " by phone" for someone who joins not in the room; nothing for someone in the room. */
const joinedBy = (by: Participation | undefined): string =>
  by && by !== 'in-room' ? ` ${PARTICIPATION_WORDS[by]}` : '';

/** How someone's way of taking part changed, as a line of the minute says it (after their name). */
function participationChange(from: Participation, to: Participation): string {
  if (from === 'in-room') return `left the room and took part ${PARTICIPATION_WORDS[to]} from then on`;
  if (to === 'in-room') return `came into the room; until then they took part ${PARTICIPATION_WORDS[from]}`;
  return `took part ${PARTICIPATION_WORDS[to]} from then on, instead of ${PARTICIPATION_WORDS[from]}`;
}

/**
 * How an answer was given (issue 18), from the facts as they stood when it was given: by phone or video,
 * relayed by the chair; through an interpreter, with the language. Null when answered on the tablet alone.
 */
function answerHow(
  ctx: MeetingContext,
  attendee: AttendeeState | undefined,
  payload: { interpreter?: InterpreterRef; relayedBy?: string },
): MinuteAnswerHow | null {
  const by = participationOf(attendee);
  const relayer = payload.relayedBy ? ctx.attendees.find((a) => a.id === payload.relayedBy) : undefined;
  const interpreter = payload.interpreter
    ? ctx.attendees.find((a) => a.id === payload.interpreter?.attendeeId)
    : undefined;
  if (!relayer && !interpreter) return null;
  const interpreterBy = participationOf(interpreter);
  return {
    ...(relayer && by !== 'in-room' ? { takesPartBy: by } : {}),
    ...(relayer ? { relayedBy: { attendeeId: relayer.id, name: relayer.name } } : {}),
    ...(interpreter && payload.interpreter
      ? {
          interpreter: {
            attendeeId: interpreter.id,
            name: interpreter.name,
            language: payload.interpreter.language,
            languageName: englishNameOf(payload.interpreter.language),
            ...(interpreterBy !== 'in-room' ? { takesPartBy: interpreterBy } : {}),
          },
        }
      : {}),
  };
}

/**
 * ", by video, relayed by the chair" for a choice of someone not in the room (issue 18: declining the
 * undertaking needs no tablet, so the chair takes it from them); "" in the room.
 */
function relayedWords(ctx: MeetingContext, attendeeId: string): string {
  const by = participationOf(ctx.attendees.find((x) => x.id === attendeeId));
  if (by === 'in-room') return '';
  const relayer = relayerOf(ctx);
  return howWords(ctx, {
    takesPartBy: by,
    ...(relayer ? { relayedBy: { attendeeId: relayer.id, name: relayer.name } } : {}),
  });
}

/** ", by phone, relayed by the chair, through the interpreter Maria Silva (Polish)": after the answer's verb. */
function howWords(ctx: MeetingContext, how: MinuteAnswerHow | null): string {
  if (!how) return '';
  const relayer = how.relayedBy ? ctx.attendees.find((a) => a.id === how.relayedBy?.attendeeId) : undefined;
  return [
    how.takesPartBy ? PARTICIPATION_WORDS[how.takesPartBy] : '',
    relayer ? `relayed by ${relayer.role === 'chair' ? 'the chair' : who(relayer)}` : '',
    how.interpreter
      ? `through the interpreter ${oneLine(how.interpreter.name)} (${how.interpreter.languageName})`
      : '',
    how.interpreter?.takesPartBy ? `interpreting ${PARTICIPATION_WORDS[how.interpreter.takesPartBy]}` : '',
  ]
    .filter(Boolean)
    .map((part) => `, ${part}`)
    .join('');
}

// Our own quotation marks are written as two private-use sentinels, so that tidying a full stop after them
// never touches a quotation mark the person typed; the sentinels become “ and ” at the end.
const OPEN = '\uE000';
const CLOSE = '\uE001';
/**
 * Someone's words, exactly, in quotation marks on one line: a line break they typed is shown as " / ", so
 * that nothing quoted can start a line of the minute of its own.
 */
const quote = (text: string): string =>
  `${OPEN}${text
    .trim()
    .replace(/[\uE000\uE001]/g, '')
    .replace(/\s*(\r\n|\r|\n|\u2028|\u2029)\s*/g, ' / ')}${CLOSE}`;
/** A name on one line, whatever was typed. */
const oneLine = (text: string): string => text.replace(/\s*(\r\n|\r|\n|\u2028|\u2029)\s*/g, ' ');
/** A quotation that ends a sentence keeps its own full stop: “…agreed.” not “…agreed.”. */
const tidy = (text: string): string =>
  text
    .replace(/([.!?])\uE001\./g, `$1${CLOSE}`)
    .replaceAll(OPEN, '“')
    .replaceAll(CLOSE, '”');
const listJoin = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** "Tom Reid (social worker)": a person as a line of the minute first names them. */
function who(a: Pick<Attendee, 'name' | 'role'> | undefined): string {
  if (!a) return 'an unknown attendee';
  return `${oneLine(a.name)} (${ROLE_LABELS[a.role]})`;
}

const ANSWER_WORDS: Readonly<Record<string, string>> = {
  declined: 'who had not agreed',
  'authorisation-needed': 'who had asked for advice or information first',
};

function describeCorrection(
  before: AttendeeState,
  fields: Partial<Attendee>,
  children: readonly { id: string; name: string }[],
): string {
  const parts: string[] = [];
  if (fields.name !== undefined && fields.name !== before.name)
    parts.push(`the name was recorded as ${quote(before.name)} and is ${quote(fields.name)}`);
  if (fields.role !== undefined && fields.role !== before.role)
    parts.push(`the role was recorded as ${ROLE_LABELS[before.role]} and is ${ROLE_LABELS[fields.role]}`);
  if (fields.agency !== undefined && fields.agency !== (before.agency ?? ''))
    parts.push(
      `the agency was recorded as ${before.agency ? quote(before.agency) : 'blank'} and is ${fields.agency ? quote(fields.agency) : 'blank'}`,
    );
  if (fields.parentalResponsibility !== undefined) {
    const now = describePr({ ...before, parentalResponsibility: fields.parentalResponsibility }, children);
    parts.push(`parental responsibility was recorded as “${describePr(before, children)}” and is “${now}”`);
  }
  if (fields.subjectChildId !== undefined && fields.subjectChildId !== before.subjectChildId) {
    const child = children.find((c) => c.id === fields.subjectChildId)?.name ?? '';
    parts.push(`they are ${child}`);
  }
  return parts.join('; ');
}

function eligibilityText(ctx: MeetingContext, requesterId: string, basis: string): string {
  const requester = ctx.attendees.find((a) => a.id === requesterId);
  const name = requester?.name ?? 'the person asking';
  if (basis === 'subject-child')
    return `The chair confirmed that ${name} may ask, as the child the meeting is about.`;
  const withPr = ctx.children
    .filter((c) => requester?.parentalResponsibility?.[c.id] === true)
    .map((c) => c.name);
  return `The chair confirmed that ${name} may ask, as a parent with parental responsibility for ${listJoin(withPr)}.`;
}

const NTH = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
const atTry = (n: number): string => (n <= NTH.length ? `at the ${NTH[n - 1]} try` : `after ${n} tries`);
const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const countWord = (n: number): string => NUMBER_WORDS[n] ?? String(n);
const times = (n: number): string => (n === 1 ? 'once' : n === 2 ? 'twice' : `${countWord(n)} times`);

/** Each question of a check as the minute and the export report it. */
function checkQuestions(
  check: UnderstandingCheck,
  questions: readonly UnderstandingQuestion[],
): MinuteUnderstandingCheck['questions'] {
  return questions.map((q) => ({
    questionId: q.id,
    point: q.point,
    attempts: check.attempts[q.id] ?? 0,
    isUnderstood: check.understood.includes(q.id),
  }));
}

/**
 * What the answers showed, point by point, saying only what happened: a point understood and at which try;
 * a point answered wrongly and not yet answered rightly; a point not reached.
 */
function describeCheck(rows: MinuteUnderstandingCheck['questions']): string {
  const asked = rows.filter((r) => r.attempts > 0);
  if (asked.length === rows.length && rows.every((r) => r.isUnderstood && r.attempts === 1)) {
    return `all ${countWord(rows.length)} points were understood at the first try`;
  }
  const parts = rows.map((r, i) => {
    const point = `point ${i + 1} (${r.point})`;
    if (r.isUnderstood)
      return `${point} was understood ${atTry(r.attempts)}${r.attempts > 1 ? ', after it was explained again' : ''}`;
    if (r.attempts > 0) return `${point} was answered wrongly ${times(r.attempts)} and not yet understood`;
    return `${point} was not asked`;
  });
  return parts.join('; ');
}

/**
 * Projects the log into the minute entry. The log is assumed to be valid (replayed); an event the
 * machine would reject ends the projection, and the entry says it is incomplete.
 */
export function minuteEntry(log: readonly EventEnvelope[]): MinuteEntry {
  let snapshot: MeetingSnapshot = initialSnapshot();
  const items: MinuteItem[] = [];
  const answers: MinuteAnswer[] = [];
  const attendeeTimes = new Map<string, AttendeeTimes>();
  const undertakings: MinuteUndertaking[] = [];
  const understandingChecks: MinuteUnderstandingCheck[] = [];
  const recordingPeriods: MinuteEntry['recordingPeriods'] = [];
  let confirmation: MinuteEntry['confirmation'] = null;
  let isComplete = true;
  let eventCount = 0;
  let meetingDate = '';
  /** People on the list who were expected but not yet there (a meeting prepared in advance). */
  const notYetArrived = new Set<string>();
  /** Someone expected arrived on the day: answers given since were not given in advance (issue 19). */
  let hasExpectedArrived = false;
  /** How someone who left will take part when they come back, where that was changed while they were away. */
  const comingBackBy = new Map<string, { from: Participation; to: Participation }>();
  /** Per requester, the languages the questions of their check were asked in so far, in order. */
  const askedIn = new Map<string, AskedIn[]>();
  const askedInOf = (signerId: string): AskedIn[] => askedIn.get(signerId) ?? [];

  const push = (at: string, text: string, ref?: string) => {
    const date = dateOf(at);
    items.push({
      at,
      time: timeOf(at),
      ...(meetingDate && date !== meetingDate ? { date } : {}),
      text: tidy(text),
      ...(ref ? { ref } : {}),
    });
  };

  for (const envelope of log) {
    const before = snapshot.context;
    const result = step(snapshot, bodyOf(envelope));
    if (!result.ok) {
      isComplete = false;
      break;
    }
    snapshot = result.snapshot;
    eventCount += 1;
    const ctx = snapshot.context;
    const profile = profileOf(ctx);
    const at = envelope.at;
    const person = (id: string) =>
      ctx.attendees.find((a) => a.id === id) ?? before.attendees.find((a) => a.id === id);
    const conv = ctx.meeting?.kind === 'conversation';
    const what = conv ? 'conversation' : 'meeting';

    switch (envelope.type) {
      case 'meeting.opened':
        meetingDate = dateOf(envelope.payload.meeting.scheduledAt);
        push(
          at,
          envelope.deviceId === RECORDS_SERVICE_DEVICE_ID
            ? `The ${what} record was prepared on the records service under the ${profile.name} policy.`
            : `The ${what} record was opened under the ${profile.name} policy.`,
        );
        break;
      case 'custody.claimed':
        push(at, `A tablet took the ${what} record over from the records service.`);
        break;
      case 'attendee.added': {
        attendeeTimes.set(envelope.payload.attendee.id, newTimes(null, envelope.payload.takesPartBy));
        if (envelope.payload.isAbsent) notYetArrived.add(envelope.payload.attendee.id);
        // Someone arriving once a request is under way is part of the story: say so, and say if it stopped
        // a permission that stood (HCS 2.11).
        const paused = ctx.reviewCause === 'attendee-joined' && before.reviewCause === null;
        const by = joinedBy(envelope.payload.takesPartBy);
        const arrived = by ? `joined${by}` : 'arrived';
        if (before.request)
          push(
            at,
            paused
              ? `${who(envelope.payload.attendee)} ${arrived} before the discussion began. Permission was sought again so that they could be asked.`
              : `${who(envelope.payload.attendee)} ${arrived}.`,
            paused ? profile.refs.changes : undefined,
          );
        break;
      }
      case 'attendee.joined': {
        attendeeTimes.set(envelope.payload.attendee.id, newTimes(at, envelope.payload.takesPartBy));
        const paused = ctx.reviewCause === 'attendee-joined' && before.reviewCause === null;
        const by = joinedBy(envelope.payload.takesPartBy);
        push(
          at,
          paused
            ? `${who(envelope.payload.attendee)} joined${by}. The meeting was stopped${before.recording === 'on' ? ' and recording was paused' : ''} so that permission could be sought to continue.`
            : `${who(envelope.payload.attendee)} joined${by}.`,
          paused ? profile.refs.changes : undefined,
        );
        break;
      }
      case 'attendee.left': {
        const { attendeeId } = envelope.payload;
        const times = attendeeTimes.get(attendeeId);
        if (times) {
          times.leftAt = at;
          times.moves.push({ move: 'left', at });
        }
        const earlier = before.answers[attendeeId];
        const had = earlier ? ANSWER_WORDS[earlier] : undefined;
        const stopped = before.recording === 'on' && ctx.pauseCause === 'requester-left';
        const period = recordingPeriods.at(-1);
        if (stopped && period) period.to = at;
        push(
          at,
          stopped
            ? `${who(person(attendeeId))}, who was recording, left. Recording stopped, as the recording device left with them; the chair will decide whether it resumes if they return.`
            : `${who(person(attendeeId))}${had ? `, ${had},` : ''} left.`,
          profile.refs.changes,
        );
        break;
      }
      case 'attendee.returned': {
        const times = attendeeTimes.get(envelope.payload.attendeeId);
        const isArrival = notYetArrived.delete(envelope.payload.attendeeId);
        if (isArrival) hasExpectedArrived = true;
        if (times && isArrival) times.joinedAt = at;
        else if (times) times.moves.push({ move: 'returned', at });
        const paused = ctx.reviewCause === 'attendee-joined' && before.reviewCause === null;
        // Someone expected by phone or video "joined by phone"; they did not arrive in the room (issue 18).
        // Someone coming back by phone or video "returned by phone"; one who left by phone and comes into the
        // room "returned, in the room this time". A change made while they were away counts from now.
        const by = joinedBy(participationOf(person(envelope.payload.attendeeId)));
        const away = comingBackBy.get(envelope.payload.attendeeId);
        comingBackBy.delete(envelope.payload.attendeeId);
        const changedBy = away && away.from !== away.to ? away.to : undefined;
        if (times && changedBy) times.participationChanges.push({ takesPartBy: changedBy, at });
        const came = isArrival
          ? by
            ? `joined${by}`
            : 'arrived'
          : changedBy === 'in-room'
            ? 'returned, in the room this time'
            : `returned${by}`;
        // HCS 2.5, 2.11 (issue 19): an invited attendee told of the request is covered by the decision made
        // in advance; one who was not told is asked, as a newcomer is.
        if (isCoveredByAdvanceDecision(before, envelope.payload.attendeeId)) {
          push(
            at,
            `${who(person(envelope.payload.attendeeId))} ${came}. They had been told of the request in advance, so the decision made in advance covers them.`,
            profile.advanceNotice.ref,
          );
          break;
        }
        const untold =
          paused &&
          isArrival &&
          before.request?.timing === 'in-advance' &&
          !wasToldOfRequest(before, envelope.payload.attendeeId);
        if (untold && !ctx.hasDiscussionStarted) {
          push(
            at,
            `${who(person(envelope.payload.attendeeId))} ${came} before the discussion began. They had not been told of the request in advance, so permission was sought again so that they could be asked.`,
            profile.refs.changes,
          );
          break;
        }
        push(
          at,
          paused
            ? ctx.hasDiscussionStarted
              ? `${who(person(envelope.payload.attendeeId))} ${came}. The meeting was stopped${before.recording === 'on' ? ' and recording was paused' : ''} so that permission could be sought to continue.`
              : `${who(person(envelope.payload.attendeeId))} ${came} before the discussion began. Permission was sought again so that they could be asked.`
            : `${who(person(envelope.payload.attendeeId))} ${came}.`,
          paused ? profile.refs.changes : undefined,
        );
        break;
      }
      case 'attendee.participation-changed': {
        const { attendeeId, takesPartBy } = envelope.payload;
        const was = participationOf(before.attendees.find((a) => a.id === attendeeId));
        const times = attendeeTimes.get(attendeeId);
        // Not here when it was said: how they will come, not a change of how they took part (that starts
        // when they arrive or come back).
        if (before.attendees.find((a) => a.id === attendeeId)?.isPresent !== true) {
          const isExpected = notYetArrived.has(attendeeId);
          if (times && isExpected) times.takesPartBy = takesPartBy;
          if (!isExpected)
            comingBackBy.set(attendeeId, {
              from: comingBackBy.get(attendeeId)?.from ?? was,
              to: takesPartBy,
            });
          push(
            at,
            isExpected
              ? `${who(person(attendeeId))} is now expected to take part ${PARTICIPATION_WORDS[takesPartBy]}, not ${PARTICIPATION_WORDS[was]}.`
              : `${who(person(attendeeId))}, who had left, will take part ${PARTICIPATION_WORDS[takesPartBy]} if they come back, not ${PARTICIPATION_WORDS[was]}.`,
          );
          break;
        }
        times?.participationChanges.push({ takesPartBy, at });
        const change = participationChange(was, takesPartBy);
        // The person recording left the room: as when they leave, the recording stops with their device (its
        // period is closed below, with every stop).
        const stopped = before.recording === 'on' && ctx.recording === 'paused';
        push(
          at,
          stopped
            ? `${who(person(attendeeId))}, who was recording, ${change}. Recording stopped, as the recording device left the room with them; the chair will decide whether it resumes if they come back into the room.`
            : `${who(person(attendeeId))} ${change}.`,
          stopped ? profile.refs.changes : undefined,
        );
        break;
      }
      case 'attendee.corrected': {
        const was = before.attendees.find((a) => a.id === envelope.payload.attendeeId);
        const now = person(envelope.payload.attendeeId);
        if (was && now)
          push(at, `Correction for ${who(now)}: ${describeCorrection(was, envelope.payload, ctx.children)}.`);
        break;
      }
      case 'attendee.language-chosen': {
        const earlier = before.attendees.find((a) => a.id === envelope.payload.attendeeId)?.language;
        push(
          at,
          `${who(person(envelope.payload.attendeeId))} chose ${englishNameOf(envelope.payload.language)} for their own screens on the tablet, in place of ${englishNameOf(earlier ?? SOURCE_LANGUAGE)}.`,
        );
        break;
      }
      case 'attendee.removed': {
        const was = before.attendees.find((a) => a.id === envelope.payload.attendeeId);
        attendeeTimes.delete(envelope.payload.attendeeId);
        push(
          at,
          `Correction: ${who(was)} was added to the attendee list in error and was removed: ${quote(envelope.payload.reason)}.`,
        );
        break;
      }
      case 'request.made': {
        const { request } = envelope.payload;
        // A new request starts every check of understanding afresh.
        askedIn.clear();
        const requesters = [request.requesterId, ...(request.additionalRequesterIds ?? [])].map((id) =>
          who(person(id)),
        );
        // Asked at the meeting by someone taking part by phone or video: not "in person" (issue 18).
        const by = participationOf(before.attendees.find((a) => a.id === request.requesterId));
        const via =
          request.receivedVia === 'in-person' && by !== 'in-room'
            ? PARTICIPATION_WORDS[by]
            : VIA_LABELS[request.receivedVia];
        const when =
          request.timing === 'in-advance'
            ? `in advance of the meeting (received ${via} on ${dateOf(request.receivedAt)} at ${timeOf(request.receivedAt)})`
            : request.timing === 'on-the-day'
              ? `${via}, before the ${conv ? 'conversation' : 'discussion'} began`
              : `${via}, after the ${what} had begun; the ${what} was stopped so that permission could be sought`;
        const reasons = request.reasons.map((r) => PURPOSE_LABELS[r]);
        const purpose = [
          reasons.length > 0 ? `Reasons given: ${listJoin(reasons)}.` : '',
          request.purpose.trim() ? `In their words: ${quote(request.purpose)}.` : '',
        ]
          .filter(Boolean)
          .join(' ');
        push(
          at,
          `${listJoin(requesters)} asked to record the ${what} ${when}.${purpose ? ` ${purpose}` : ''}`,
          request.timing === 'in-advance'
            ? profile.advanceNotice.ref
            : request.timing === 'after-start'
              ? profile.refs.changes
              : conv
                ? profile.refs.conversationRequest
                : profile.refs.round,
        );
        if (ctx.meeting && isLateAdvanceRequest(ctx.meeting, request, profile.advanceNotice.hours)) {
          push(
            at,
            `The request was received less than ${profile.advanceNotice.hours} hours before the meeting; the guidance prefers at least ${profile.advanceNotice.hours} hours’ notice.`,
            profile.advanceNotice.ref,
          );
        }
        break;
      }
      case 'request.corrected': {
        const was = before.request;
        const parts: string[] = [];
        if (envelope.payload.purpose !== undefined && was)
          parts.push(
            `the purpose in the requester’s words was recorded as ${was.purpose.trim() ? quote(was.purpose) : 'blank'} and is ${envelope.payload.purpose.trim() ? quote(envelope.payload.purpose) : 'blank'}`,
          );
        if (envelope.payload.reasons !== undefined && was)
          parts.push(
            `the reasons were recorded as ${listJoin(was.reasons.map((r) => PURPOSE_LABELS[r])) || 'none'} and are ${listJoin(envelope.payload.reasons.map((r) => PURPOSE_LABELS[r])) || 'none'}`,
          );
        push(at, `Correction to the request to record: ${parts.join('; ')}.`);
        break;
      }
      case 'pr-holder.objected':
        push(
          at,
          `The chair recorded an objection from ${envelope.payload.name}, who has parental responsibility and is not at the ${what}: ${quote(envelope.payload.note)}.`,
          'HCS 1.4',
        );
        break;
      case 'request.attendees-notified': {
        // Who was told, by name (issue 19); an older log names nobody: "the attendees", "each attendee".
        const { via, attendeeIds } = envelope.payload;
        const named = attendeeIds ? listJoin(attendeeIds.map((id) => who(person(id)))) : null;
        push(
          at,
          profile.advanceNotice.attendeesWere === 'asked'
            ? `Advance consent to the recording was sought from ${named ?? 'each attendee'} ${VIA_LABELS[via]}.`
            : `${named ?? 'The attendees'} ${attendeeIds?.length === 1 ? 'was' : 'were'} told ${VIA_LABELS[via]} that a request to record had been made.`,
          profile.advanceNotice.ref,
        );
        break;
      }
      case 'request.outcome-confirmed':
        push(
          at,
          `The decision was confirmed to the person who asked, ${VIA_LABELS[envelope.payload.via]}.${envelope.payload.note.trim() ? ` ${quote(envelope.payload.note)}.` : ''}`,
          profile.advanceNotice.ref,
        );
        break;
      case 'eligibility.confirmed':
        push(
          at,
          eligibilityText(
            ctx,
            envelope.payload.requesterId ?? ctx.request?.requesterId ?? '',
            envelope.payload.basis,
          ),
          profile.eligibilityRequired.ref,
        );
        break;
      case 'eligibility.refused': {
        const id = envelope.payload.requesterId ?? ctx.request?.requesterId ?? '';
        push(
          at,
          `The chair found that ${person(id)?.name ?? 'the person asking'} was not eligible to ask: ${quote(envelope.payload.reason)}.`,
          profile.eligibilityRequired.ref,
        );
        break;
      }
      case 'undertaking.signed': {
        const signer = person(envelope.payload.signerId);
        undertakings.push({
          signerId: envelope.payload.signerId,
          signerName: signer?.name ?? '',
          at,
          textVersion: envelope.payload.textVersion,
          textSha256: envelope.payload.textSha256,
          translation: envelope.payload.translation
            ? {
                ...envelope.payload.translation,
                languageName: englishNameOf(envelope.payload.translation.language),
              }
            : null,
          chosenLanguage:
            before.attendees.find((a) => a.id === envelope.payload.signerId)?.language ?? SOURCE_LANGUAGE,
          deviceId: envelope.deviceId,
          signature: envelope.payload.signature,
        });
        const copy = profile.undertaking.copyNotice;
        push(
          at,
          `${who(signer)} signed ${profile.undertaking.minuteName} (version ${envelope.payload.textVersion}).${copy ? ` ${copy.text}` : ''}`,
          profile.undertaking.ref,
        );
        const shown = envelope.payload.translation;
        const untranslated = undertakingLanguageFor(
          profile,
          before.attendees.find((a) => a.id === envelope.payload.signerId)?.language,
          envelope.payload.textVersion,
        ).untranslated;
        if (shown) {
          const name = englishNameOf(shown.language);
          push(
            at,
            `The undertaking was shown to ${signer?.name ?? 'the person signing'} in ${name} with the English text beside it; both were signed. The ${name} translation ${shown.isApproved ? 'was approved' : 'had not been approved'} by the council.`,
          );
          // A translation is of the plain words (and the Easy read and questions), never the council's wording.
          const hasQuestions =
            (undertakingTranslationOf(profile, shown.language, envelope.payload.textVersion)?.questions
              .length ?? 0) > 0;
          push(
            at,
            `The ${name} translation is of the plain words, the Easy read${hasQuestions ? ' and the questions' : ''}; the council’s full wording of the undertaking was available in English only.`,
          );
        } else if (untranslated) {
          // They chose another language, and this version has no translation into it: say so.
          push(
            at,
            `The undertaking was shown to ${signer?.name ?? 'the person signing'} in English only: this version has no ${englishNameOf(untranslated)} translation, the language they chose.`,
          );
        }
        break;
      }
      case 'understanding.answered': {
        const { signerId, textVersion } = envelope.payload;
        const questions = understandingQuestionsOf(profile, textVersion);
        const check = understandingOf(ctx, signerId);
        // The language this question was asked in: the signer's at this moment.
        const chosenNow = person(signerId)?.language;
        const shownNow = undertakingLanguageFor(profile, chosenNow, textVersion).shown;
        const sofar = askedInOf(signerId);
        if (sofar.at(-1)?.shown !== shownNow)
          askedIn.set(signerId, [...sofar, { chosen: chosenNow, shown: shownNow }]);
        // One line, when the last point is understood: the check as a whole, point by point.
        if (check.understood.length === questions.length && questions.length > 0) {
          const rows = checkQuestions(check, questions);
          const languages = askedInOf(signerId);
          understandingChecks.push({
            signerId,
            signerName: person(signerId)?.name ?? '',
            at,
            textVersion,
            result: 'understood',
            reason: null,
            language: shownNow,
            languages: languages.map((l) => l.shown),
            questions: rows,
          });
          push(
            at,
            `The chair checked that ${who(person(signerId))} understood the undertaking (version ${textVersion}), with ${countWord(questions.length)} questions on the tablet before signing: ${describeCheck(rows)}.${checkLanguageLine(profile, languages, textVersion)}`,
            profile.undertaking.ref,
          );
        }
        break;
      }
      case 'understanding.skipped': {
        const { signerId, reason } = envelope.payload;
        const check = understandingOf(before, signerId);
        const textVersion = check.textVersion;
        const rows = textVersion ? checkQuestions(check, understandingQuestionsOf(profile, textVersion)) : [];
        // The languages the questions answered were asked in, not the one chosen since.
        const languages = askedInOf(signerId);
        understandingChecks.push({
          signerId,
          signerName: person(signerId)?.name ?? '',
          at,
          textVersion,
          result: 'skipped',
          reason,
          language: languages.at(-1)?.shown ?? SOURCE_LANGUAGE,
          languages: languages.map((l) => l.shown),
          questions: rows,
        });
        push(
          at,
          textVersion
            ? `The chair stopped the check that ${who(person(signerId))} understood the undertaking before it was finished: ${quote(reason)}. By then ${describeCheck(rows)}.${checkLanguageLine(profile, languages, textVersion)}`
            : `The chair did not check that ${who(person(signerId))} understood the undertaking: ${quote(reason)}.`,
          profile.undertaking.ref,
        );
        break;
      }
      case 'undertaking.declined': {
        // A check begun and not finished is part of what happened before the choice not to sign.
        const check = understandingOf(before, envelope.payload.signerId);
        const textVersion = check.textVersion;
        const questions = textVersion ? understandingQuestionsOf(profile, textVersion) : [];
        const isOpen = textVersion !== null && !check.skipped && check.understood.length < questions.length;
        if (textVersion && isOpen) {
          const rows = checkQuestions(check, questions);
          const languages = askedInOf(envelope.payload.signerId);
          understandingChecks.push({
            signerId: envelope.payload.signerId,
            signerName: person(envelope.payload.signerId)?.name ?? '',
            at,
            textVersion,
            result: 'not-finished',
            reason: null,
            language: languages.at(-1)?.shown ?? SOURCE_LANGUAGE,
            languages: languages.map((l) => l.shown),
            questions: rows,
          });
          push(
            at,
            `The check that ${who(person(envelope.payload.signerId))} understood the undertaking was not finished: ${describeCheck(rows)}.${checkLanguageLine(profile, languages, textVersion)}`,
            profile.undertaking.ref,
          );
        }
        push(
          at,
          `${who(person(envelope.payload.signerId))} chose not to sign ${profile.undertaking.minuteName}${relayedWords(before, envelope.payload.signerId)}${profile.undertaking.requirement === 'required' ? ', so their request could not go ahead' : ''}.`,
          profile.undertaking.ref,
        );
        break;
      }
      case 'consent.asked':
        break;
      case 'consent.given':
      case 'consent.declined':
      case 'consent.authorisation-needed': {
        const a = person(envelope.payload.attendeeId);
        const answer =
          envelope.type === 'consent.given'
            ? 'agreed'
            : envelope.type === 'consent.declined'
              ? 'declined'
              : 'authorisation-needed';
        const choices =
          envelope.type === 'consent.declined'
            ? [...new Set(envelope.payload.reasonChoices ?? [])]
                .filter((c) => c !== 'other')
                .map((c) => DECLINE_REASON_LABELS[c])
            : [];
        const words =
          envelope.type === 'consent.declined'
            ? envelope.payload.reason
            : envelope.type === 'consent.authorisation-needed'
              ? envelope.payload.detail
              : '';
        const reason = [listJoin(choices), words.trim() ? quote(words) : ''].filter(Boolean).join('; ');
        // How it was given is read from the facts as they stood when it was given (who was where).
        const how = answerHow(
          before,
          before.attendees.find((x) => x.id === envelope.payload.attendeeId),
          envelope.payload,
        );
        if (a)
          answers.push({
            at,
            attendeeId: a.id,
            name: a.name,
            role: a.role,
            answer,
            reason,
            round: ctx.round,
            ...(how ? { how } : {}),
          });
        const said = howWords(before, how);
        const sentence =
          answer === 'agreed'
            ? `${who(a)} agreed${said}.`
            : answer === 'declined'
              ? `${who(a)} did not agree${said}${reason ? `. Reason: ${capitalFirst(reason)}` : ', and gave no reason'}.`
              : `${who(a)} said${said ? `${said},` : ''} that advice or more information was needed first${reason ? `: ${reason}` : ''}.`;
        push(
          at,
          sentence,
          answer === 'agreed'
            ? undefined
            : conv
              ? profile.refs.conversationDeclined
              : profile.refs.notAllAgreed,
        );
        break;
      }
      case 'ground.confirmed':
      case 'ground.dismissed': {
        const { ground, note } = envelope.payload;
        push(
          at,
          `The chair ${envelope.type === 'ground.confirmed' ? 'found that this ground for refusal applied' : 'found that this ground for refusal did not apply'}: ${GROUND_LABELS[ground]}. Note: ${quote(note)}.`,
          'HCS 1.4',
        );
        break;
      }
      case 'screening.completed': {
        const standings = groundStandings(ctx);
        const ruledOut = standings.flatMap((g) =>
          g.standing === 'ruled-out' ? [GROUND_WHY_LABELS[g.why]] : [],
        );
        const confirmed = profile.refusalGrounds
          .filter((g) => ctx.grounds[g.id] === 'confirmed')
          .map((g) => GROUND_LABELS[g.id]);
        const parts = [
          'The chair considered the grounds for refusal.',
          ruledOut.length ? `Ruled out by the facts: ${ruledOut.join('; ')}.` : '',
          envelope.payload.otherGroundsNotApplicable
            ? 'The chair found that none of the other grounds applied.'
            : '',
          confirmed.length
            ? `Result: ${confirmed.length === 1 ? 'this ground applied' : 'these grounds applied'}: ${confirmed.join('; ')}.`
            : 'Result: no ground for refusal applied.',
        ];
        push(at, parts.filter(Boolean).join(' '), 'HCS 1.4');
        break;
      }
      case 'chair.decided': {
        const { outcome, reason, disagreements } = envelope.payload;
        const chair = chairOf(ctx)?.name;
        push(
          at,
          `The professionals disagreed, so the chair${chair ? `, ${chair},` : ''} made the overall decision: recording was ${outcome === 'permitted' ? 'permitted' : 'not permitted'}. Reason: ${quote(reason)}. Disagreements noted: ${quote(disagreements)}.`,
          profile.chairDecidesProfessionalDisagreement.ref,
        );
        break;
      }
      case 'alternatives.offered': {
        const labels = envelope.payload.arrangements.map(
          (id: AlternativeId) =>
            profile.alternatives.offered.find((o) => o.id === id)?.summary.toLowerCase() ?? id,
        );
        push(
          at,
          `Other arrangements were offered${labels.length ? `: ${labels.join('; ')}` : ''}.${envelope.payload.note.trim() ? ` Note: ${quote(envelope.payload.note)}.` : ''}`,
          profile.alternatives.ref,
        );
        break;
      }
      case 'meeting.started': {
        const refused = before.outcome && before.outcome.status !== 'permitted';
        push(
          at,
          conv
            ? refused
              ? 'The conversation went ahead without recording.'
              : 'The conversation began.'
            : refused
              ? 'The meeting began without recording; it was not cancelled.'
              : 'The discussion began.',
          refused ? (conv ? profile.refs.conversationDeclined : profile.refs.notCancelled) : undefined,
        );
        break;
      }
      case 'recording.started':
        recordingPeriods.push({ from: at, to: null });
        push(at, 'Recording began.');
        break;
      case 'recording.resumed':
        recordingPeriods.push({ from: at, to: null });
        push(at, 'Recording resumed.', profile.refs.changes);
        break;
      case 'recording.paused':
        push(
          at,
          `The chair stopped the meeting and recording was paused so that permission could be sought again: ${quote(envelope.payload.reason)}.`,
          profile.refs.changes,
        );
        break;
      case 'review.requested':
        push(
          at,
          `The chair asked again of those now present: ${quote(envelope.payload.reason)}.`,
          profile.refs.changes,
        );
        break;
      case 'recording.withdrawn':
        push(
          at,
          `The chair withdrew permission to record${before.recording === 'on' ? ', and recording stopped' : ''}: ${quote(envelope.payload.reason)}.`,
          profile.whenRecordingShouldStop.ref,
        );
        break;
      case 'concern.escalated':
        push(
          at,
          `The chair recorded that the recording was raised as excessive or oppressive, and that the designated safeguarding lead’s advice was sought: ${quote(envelope.payload.note)}.`,
          profile.whenRecordingShouldStop.ref,
        );
        break;
      case 'concern.advice-received':
        push(
          at,
          `The designated safeguarding lead’s advice was received: ${quote(envelope.payload.note)}.`,
          profile.whenRecordingShouldStop.ref,
        );
        break;
      case 'covert-recording.suspected':
        push(
          at,
          `Covert recording was suspected: ${quote(envelope.payload.note)}. Guidance: ${profile.covertRecording.advice}`,
          profile.covertRecording.ref,
        );
        break;
      case 'minute.confirmed':
        confirmation = {
          name: person(envelope.payload.chairId)?.name ?? '',
          roleLabel: ROLE_LABELS[person(envelope.payload.chairId)?.role ?? 'chair'],
          at,
        };
        break;
      case 'meeting.closed':
        push(at, `The ${what} record was closed${before.recording === 'on' ? '; recording ended' : ''}.`);
        break;
      case 'meeting.discarded':
        push(
          at,
          `The ${what} record was discarded, as it was opened in error: ${quote(envelope.payload.reason)}.`,
        );
        break;
    }

    // Recording that stops when a review pauses it, or ends with the meeting.
    const lastPeriod = recordingPeriods.at(-1);
    if (before.recording === 'on' && ctx.recording !== 'on' && lastPeriod?.to === null) lastPeriod.to = at;

    // A review has just ended: say what it decided, once (the chair's decision and a withdrawal already
    // said it), then what the alternatives were, then that the meeting resumed after an HCS 2.11 stop.
    if (before.outcome === null && ctx.outcome !== null) {
      const eventItem = envelope.type === 'alternatives.offered' ? items.pop() : undefined;
      const outcome = ctx.outcome;
      const isSaid = outcome.basis === 'chair-decided' || outcome.basis === 'withdrawn';
      const toSign = outcome.status === 'permitted' ? unsignedRequiredUndertakings(ctx) : [];
      const signing = toSign.length
        ? ` Recording may begin once ${listJoin(toSign.map((id) => person(id)?.name ?? ''))} ${toSign.length === 1 ? 'has' : 'have'} signed ${profile.undertaking.minuteName}.`
        : '';
      // Decided in advance (HCS 2.5), the attendees were asked before anyone was in the room.
      const sentence =
        outcome.basis === 'all-agreed' &&
        ctx.request?.timing === 'in-advance' &&
        !ctx.hasDiscussionStarted &&
        !hasExpectedArrived
          ? 'Recording was permitted: every attendee asked in advance agreed'
          : outcomeSentence(ctx, outcome, (id) => who(person(id)));
      if (!isSaid) push(at, `${sentence}.${signing}`, outcome.ref);
      if (eventItem) items.push(eventItem);
      if (ctx.hasDiscussionStarted) {
        push(
          at,
          ctx.recording === 'paused' && isRequesterPresent(ctx)
            ? `The ${what} resumed; recording may resume.`
            : ctx.recording === 'paused'
              ? `The ${what} resumed; recording stays stopped until the person recording returns.`
              : before.recording === 'paused' || outcome.status !== 'permitted'
                ? `The ${what} resumed without recording; it was not cancelled.`
                : `The ${what} resumed.`,
          outcome.status !== 'permitted' ? profile.refs.notCancelled : profile.refs.changes,
        );
      }
    }
  }

  const ctx = snapshot.context;
  const meeting = ctx.meeting;
  const profile = profileById(ctx.profileId);
  const conv = meeting?.kind === 'conversation';
  // A request decided in advance with no meeting held yet is a case note (HCS 2.5); once the meeting has
  // been held, its minute entry carries the advance part with its own dates.
  const isAdvanceOnly = ctx.request?.timing === 'in-advance' && !ctx.hasDiscussionStarted;
  const documentKind = conv || isAdvanceOnly ? 'case-note' : 'minute-entry';
  const nameOf = (id: string) => who(ctx.attendees.find((a) => a.id === id));
  const outcome = ctx.outcome ? { ...ctx.outcome, text: outcomeSentence(ctx, ctx.outcome, nameOf) } : null;
  const kindLabel = KIND_LABELS[meeting?.kind ?? 'meeting'];

  return {
    documentKind,
    title: `${documentKind === 'case-note' ? 'Case note' : 'Minute entry'}: request to record${meeting ? `, ${meeting.title}` : ''}`,
    meeting: {
      id: log[0]?.meetingId ?? '',
      kind: meeting?.kind ?? 'meeting',
      kindLabel: kindLabel.charAt(0).toUpperCase() + kindLabel.slice(1),
      title: meeting?.title ?? '',
      scheduledAt: meeting?.scheduledAt ?? '',
      date: meeting ? dateOf(meeting.scheduledAt) : '',
      place: meeting?.place ?? '',
      profileId: profile.id,
      profile: profile.name,
      source: profile.source,
    },
    chair: chairOf(ctx)?.name ?? '',
    subjectChildren: ctx.children.map((c) => c.name),
    attendees: ctx.attendees.map((a: AttendeeState) => ({
      id: a.id,
      name: a.name,
      role: a.role,
      roleLabel: ROLE_LABELS[a.role],
      agency: a.agency ?? '',
      joinedAt: attendeeTimes.get(a.id)?.joinedAt ?? null,
      leftAt: a.isPresent ? null : (attendeeTimes.get(a.id)?.leftAt ?? null),
      moves: attendeeTimes.get(a.id)?.moves ?? [],
      takesPartBy: attendeeTimes.get(a.id)?.takesPartBy ?? participationOf(a),
      participationChanges: attendeeTimes.get(a.id)?.participationChanges ?? [],
      didAttend: !notYetArrived.has(a.id),
      parentalResponsibility:
        a.role === 'parent-carer'
          ? describePr(a, ctx.children)
          : a.role === 'young-person' && ctx.children.some((c) => c.id === a.subjectChildId)
            ? 'a subject of the meeting'
            : '',
      language: a.language ?? SOURCE_LANGUAGE,
      languageName: englishNameOf(a.language ?? SOURCE_LANGUAGE),
    })),
    answers,
    undertaking: undertakings[0] ?? null,
    undertakings,
    understandingChecks,
    outcome,
    recordingPeriods,
    items,
    confirmation: ctx.isMinuteConfirmed ? confirmation : null,
    isDiscarded: snapshot.value === 'discarded',
    eventCount,
    headHash: log[eventCount - 1]?.hash ?? GENESIS_HASH,
    isComplete,
  };
}

const capitalFirst = (text: string): string =>
  text.startsWith('“') ? text : text.charAt(0).toUpperCase() + text.slice(1);

function describePr(a: Attendee, children: readonly { id: string; name: string }[]): string {
  const withPr = children.filter((c) => a.parentalResponsibility?.[c.id] === true).map((c) => c.name);
  const without = children.filter((c) => a.parentalResponsibility?.[c.id] !== true).map((c) => c.name);
  return [
    withPr.length ? `parental responsibility for ${listJoin(withPr)}` : '',
    without.length ? `no parental responsibility for ${listJoin(without)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

export interface RenderOptions {
  /** The records service's verify page, e.g. "https://records.example.gov.uk/verify". */
  verifyUrl?: string;
}

/** The minute entry as plain English text, ready to paste into minutes or a case note. */
export function renderMinuteText(entry: MinuteEntry, options: RenderOptions = {}): string {
  const m = entry.meeting;
  // A time with its date whenever the date is not the meeting's (MINUTE-STYLE).
  const when = (at: string): string => (dateOf(at) === m.date ? timeOf(at) : `${dateOf(at)} ${timeOf(at)}`);
  const lines: string[] = [];
  lines.push(entry.title, '');
  if (m.scheduledAt)
    lines.push(`${m.kindLabel}, ${m.date}, ${timeOf(m.scheduledAt)}${m.place ? `, ${m.place}` : ''}`);
  lines.push(`Policy: ${m.profile}`);
  if (entry.chair) lines.push(`Chair: ${oneLine(entry.chair)}`);
  if (entry.subjectChildren.length)
    lines.push(
      `Subject ${entry.subjectChildren.length === 1 ? 'child' : 'children'}: ${entry.subjectChildren.join(', ')}`,
    );
  lines.push('');
  lines.push('Attendees:');
  for (const a of entry.attendees) {
    const times = [
      a.didAttend ? '' : 'expected, did not attend',
      // Someone expected who never came did not take part in any way.
      a.didAttend && a.takesPartBy !== 'in-room' ? `took part ${PARTICIPATION_WORDS[a.takesPartBy]}` : '',
      a.joinedAt ? `joined at ${when(a.joinedAt)}` : '',
      // Comings and goings, and changes of how they took part, in the order they happened.
      ...[
        ...a.moves.map((m) => ({ at: m.at, text: `${m.move} at ${when(m.at)}` })),
        ...a.participationChanges.map((c) => ({
          at: c.at,
          text: `${PARTICIPATION_WORDS[c.takesPartBy]} from ${when(c.at)}`,
        })),
      ]
        .sort((x, y) => Date.parse(x.at) - Date.parse(y.at))
        .map((x) => x.text),
    ]
      .filter(Boolean)
      .join(', ');
    const screens = a.language !== SOURCE_LANGUAGE ? `their screens in ${a.languageName}` : '';
    const details = [a.parentalResponsibility, screens, times].filter(Boolean).join('; ');
    lines.push(
      `- ${oneLine(a.name)}, ${a.roleLabel}${a.agency ? `, ${a.agency}` : ''}${details ? ` (${details})` : ''}`,
    );
  }
  lines.push('');
  lines.push('Request to record and its outcome:');
  for (const item of entry.items) {
    lines.push(
      `${item.date ? `${item.date} ` : ''}${item.time}  ${item.text}${item.ref ? ` [${item.ref}]` : ''}`,
    );
  }
  lines.push('');
  const periods = entry.recordingPeriods.map((p) =>
    p.to ? `from ${timeOf(p.from)} to ${timeOf(p.to)}` : `from ${timeOf(p.from)}`,
  );
  lines.push(
    `Outcome: ${entry.isDiscarded ? 'the record was discarded, as it was opened in error.' : entry.outcome ? `${entry.outcome.text}.` : 'no request to record was decided.'}${periods.length ? ` Recording took place ${listJoin(periods)}.` : entry.outcome ? ' No recording took place.' : ''}`,
  );
  if (!entry.isComplete)
    lines.push('Warning: the record could not be read to its end; this entry is incomplete.');
  lines.push('');
  lines.push(
    entry.confirmation
      ? `Confirmed by ${entry.confirmation.name}, ${entry.confirmation.roleLabel}, on ${dateOf(entry.confirmation.at)} at ${timeOf(entry.confirmation.at)}.`
      : `Not yet confirmed by the ${m.kind === 'conversation' ? 'professional who held the conversation' : 'chair'}.`,
  );
  lines.push(
    `Record check: verify at ${options.verifyUrl ?? 'the records service’s Verify page'} with meeting ${m.id} and check ${entry.headHash} (${entry.eventCount} recorded events).`,
  );
  return `${lines.join('\n')}\n`;
}
