/** Builders for meeting logs in tests: people, events, and a sealed, hash-chained log. */
import { sealEvent } from '../../src/domain/chain';
import type { DomainEvent, EventEnvelope } from '../../src/domain/events';
import type { TranslatedLanguage } from '../../src/domain/languages';
import type { Attendee, MeetingKind, Signature, SubjectChild } from '../../src/domain/model';
import type { Participation } from '../../src/domain/participation';
import {
  type AlternativeId,
  PROFILES,
  type ProfileId,
  undertakingTranslationOf,
} from '../../src/domain/profiles';

export const MEETING_ID = '0193a1b2-0000-7000-8000-000000000001';
export const DEVICE_ID = 'tablet-1';

export const CHILD = { id: 'child-1', name: 'Jamie Doe' };

export const people = {
  chair: { id: 'chair', name: 'Priya Shah', role: 'chair', agency: "Children's Services" },
  mother: {
    id: 'mother',
    name: 'Sarah Doe',
    role: 'parent-carer',
    parentalResponsibility: { 'child-1': true },
  },
  father: {
    id: 'father',
    name: 'Mark Doe',
    role: 'parent-carer',
    parentalResponsibility: { 'child-1': true },
  },
  stepfather: {
    id: 'stepdad',
    name: 'Lee Grant',
    role: 'parent-carer',
    parentalResponsibility: { 'child-1': false },
  },
  youngPerson: { id: 'yp', name: 'Jamie Doe', role: 'young-person', subjectChildId: 'child-1' },
  socialWorker: { id: 'sw', name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" },
  police: { id: 'police', name: 'DC Anna Webb', role: 'police', agency: 'Hertfordshire Constabulary' },
  health: { id: 'health', name: 'Dr Ola Bello', role: 'health', agency: 'NHS' },
  interpreter: { id: 'interp', name: 'Maria Silva', role: 'interpreter' },
} satisfies Record<string, Attendee>;

export const scheduledAt = '2026-11-23T10:00:00+00:00';

export function opened(
  kind: MeetingKind = 'meeting',
  profileId: ProfileId = 'hertfordshire',
  subjectChildren: SubjectChild[] = [CHILD],
): DomainEvent {
  return {
    type: 'meeting.opened',
    payload: {
      meeting: { kind, title: 'Review meeting for Jamie', scheduledAt, place: 'Room 2, Civic Centre' },
      profileId,
      subjectChildren,
    },
  };
}

export const added = (attendee: Attendee): DomainEvent => ({ type: 'attendee.added', payload: { attendee } });
export const joined = (attendee: Attendee): DomainEvent => ({
  type: 'attendee.joined',
  payload: { attendee },
});
export const left = (attendeeId: string): DomainEvent => ({ type: 'attendee.left', payload: { attendeeId } });

export function requested(
  requesterId: string,
  timing: 'in-advance' | 'on-the-day' | 'after-start' = 'on-the-day',
  receivedAt = '2026-11-23T09:55:00+00:00',
): DomainEvent {
  return {
    type: 'request.made',
    payload: {
      request: {
        requesterId,
        reasons: ['memory', 'stress'],
        purpose: 'So I can listen again to what is agreed.',
        timing,
        receivedVia: timing === 'in-advance' ? 'email' : 'in-person',
        receivedAt,
      },
    },
  };
}

export const eligible = (basis: 'subject-child' | 'parent-with-pr' = 'parent-with-pr'): DomainEvent => ({
  type: 'eligibility.confirmed',
  payload: { basis },
});

/** A signature drawn across most of a 600x200 pad. */
export const SIGNATURE: Signature = {
  width: 600,
  height: 200,
  strokes: [
    {
      points: Array.from({ length: 24 }, (_, i) => ({
        x: 40 + i * 20,
        y: 100 + Math.round(40 * Math.sin(i / 2)),
        time: 1_000 + i * 16,
        pressure: 0.5,
      })),
    },
  ],
};

/**
 * A signature of the undertaking version before the check of understanding (hcs-2026-2, sslscb-2026-2: still
 * valid, as an older tablet signs it), so that scenarios about other things need no questions first.
 * Today's version, with its check, is `signedToday` after `understood`.
 */
export function signed(
  signerId: string,
  profileId: ProfileId = 'hertfordshire',
  signature: Signature = SIGNATURE,
): DomainEvent {
  const before = PROFILES[profileId].undertaking.superseded.find((v) => v.versions.questions === undefined);
  if (!before) throw new Error('no version without questions');
  return {
    type: 'undertaking.signed',
    payload: { signerId, textVersion: before.version, textSha256: before.sha256, signature },
  };
}

/** A signature of today's undertaking version (which has a check of understanding). */
export function signedToday(
  signerId: string,
  profileId: ProfileId = 'hertfordshire',
  signature: Signature = SIGNATURE,
): DomainEvent {
  const { version, sha256 } = PROFILES[profileId].undertaking;
  return {
    type: 'undertaking.signed',
    payload: { signerId, textVersion: version, textSha256: sha256, signature },
  };
}

/** Today's undertaking signed as shown in another language, with the English beside it (issue 18). */
export function signedTodayIn(signerId: string, language: TranslatedLanguage): DomainEvent {
  const event = signedToday(signerId);
  const translation = undertakingTranslationOf(PROFILES.hertfordshire, language);
  if (event.type !== 'undertaking.signed' || !translation) throw new Error(`no translation for ${language}`);
  return {
    ...event,
    payload: {
      ...event.payload,
      translation: { language, textSha256: translation.sha256, isApproved: false },
    },
  };
}

/** One answer to a question of the check of understanding of today's undertaking. */
export function answered(
  signerId: string,
  questionId: string,
  answerId: string,
  profileId: ProfileId = 'hertfordshire',
): DomainEvent {
  return {
    type: 'understanding.answered',
    payload: { signerId, textVersion: PROFILES[profileId].undertaking.version, questionId, answerId },
  };
}

/**
 * The whole check of today's undertaking, every question answered rightly; `wrongFirst` lists the questions
 * (by number, from 1) answered wrongly once before.
 */
export function understood(
  signerId: string,
  profileId: ProfileId = 'hertfordshire',
  wrongFirst: readonly number[] = [],
): DomainEvent[] {
  const questions = PROFILES[profileId].undertaking.versions.questions ?? [];
  return questions.flatMap((q, i) => {
    const right = q.answers.find((a) => a.isRight);
    const wrong = q.answers.find((a) => !a.isRight);
    if (!right || !wrong) throw new Error('a question needs a right and a wrong answer');
    return [
      ...(wrongFirst.includes(i + 1) ? [answered(signerId, q.id, wrong.id, profileId)] : []),
      answered(signerId, q.id, right.id, profileId),
    ];
  });
}

export const understandingSkipped = (signerId: string, reason: string): DomainEvent => ({
  type: 'understanding.skipped',
  payload: { signerId, reason },
});

export const asked = (attendeeId: string): DomainEvent => ({
  type: 'consent.asked',
  payload: { attendeeId },
});
export const agrees = (attendeeId: string): DomainEvent[] => [
  asked(attendeeId),
  { type: 'consent.given', payload: { attendeeId } },
];
export const declines = (attendeeId: string, reason = ''): DomainEvent[] => [
  asked(attendeeId),
  { type: 'consent.declined', payload: { attendeeId, reason } },
];
export const needsAuthorisation = (attendeeId: string, detail: string): DomainEvent[] => [
  asked(attendeeId),
  { type: 'consent.authorisation-needed', payload: { attendeeId, detail } },
];

export const screened = (
  ...grounds: Array<[ground: string, verdict: 'confirmed' | 'dismissed', note: string]>
): DomainEvent[] => [
  ...grounds.map(
    ([ground, verdict, note]) =>
      ({ type: `ground.${verdict}`, payload: { ground, note } }) as unknown as DomainEvent,
  ),
  { type: 'screening.completed', payload: { otherGroundsNotApplicable: true } },
];

export const ineligible = (reason: string): DomainEvent => ({
  type: 'eligibility.refused',
  payload: { reason },
});
export const declinedToSign = (signerId: string): DomainEvent => ({
  type: 'undertaking.declined',
  payload: { signerId },
});
export const chairDecided = (
  outcome: 'permitted' | 'not-permitted',
  reason: string,
  disagreements = '',
): DomainEvent => ({ type: 'chair.decided', payload: { outcome, reason, disagreements } });
export const alternativesOffered = (
  arrangements: AlternativeId[] = ['detailed-minutes'],
  note = '',
): DomainEvent => ({ type: 'alternatives.offered', payload: { arrangements, note } });
export const paused = (reason: string): DomainEvent => ({ type: 'recording.paused', payload: { reason } });
export const withdrawn = (reason: string): DomainEvent => ({
  type: 'recording.withdrawn',
  payload: { reason },
});
export const reviewRequested = (reason: string): DomainEvent => ({
  type: 'review.requested',
  payload: { reason },
});
export const covertSuspected = (note: string): DomainEvent => ({
  type: 'covert-recording.suspected',
  payload: { note },
});

export const started: DomainEvent = { type: 'meeting.started', payload: {} };
export const recordingStarted: DomainEvent = { type: 'recording.started', payload: {} };
export const recordingResumed: DomainEvent = { type: 'recording.resumed', payload: {} };
export const closed: DomainEvent = { type: 'meeting.closed', payload: {} };

const timeOfEvent = new WeakMap<DomainEvent, string>();

/** Marks an event as happening at this time (ISO with offset); the events after it follow a minute apart. */
export function timed<E extends DomainEvent>(at: string, event: E): E {
  const copy = { ...event };
  timeOfEvent.set(copy, at);
  return copy;
}

/**
 * Seals events into a chained log, one minute apart from 09:58 on the day of the meeting (or from the
 * time an event was `timed` at).
 */
export async function sealAll(
  events: readonly DomainEvent[],
  start = '2026-11-23T09:58:00+00:00',
): Promise<EventEnvelope[]> {
  const log: EventEnvelope[] = [];
  let t = Date.parse(start) - 60_000;
  for (const [i, event] of events.entries()) {
    const marked = timeOfEvent.get(event);
    t = marked ? Date.parse(marked) : t + 60_000;
    const at = marked ?? new Date(t).toISOString().replace('.000Z', '+00:00');
    const id = `0193a1b2-0000-7000-8000-${String(i + 1).padStart(12, '0')}`;
    log.push(
      await sealEvent(log.at(-1) ?? null, event, { meetingId: MEETING_ID, deviceId: DEVICE_ID, at, id }),
    );
  }
  return log;
}

export const returned = (attendeeId: string): DomainEvent => ({
  type: 'attendee.returned',
  payload: { attendeeId },
});
export const corrected = (
  attendeeId: string,
  fields: Omit<Extract<DomainEvent, { type: 'attendee.corrected' }>['payload'], 'attendeeId'>,
): DomainEvent => ({ type: 'attendee.corrected', payload: { attendeeId, ...fields } });
export const removed = (attendeeId: string, reason: string): DomainEvent => ({
  type: 'attendee.removed',
  payload: { attendeeId, reason },
});
export const prHolderObjected = (name: string, note: string): DomainEvent => ({
  type: 'pr-holder.objected',
  payload: { name, note },
});
export const escalated = (note: string): DomainEvent => ({ type: 'concern.escalated', payload: { note } });
export const adviceReceived = (note: string): DomainEvent => ({
  type: 'concern.advice-received',
  payload: { note },
});
export const discarded = (reason: string): DomainEvent => ({
  type: 'meeting.discarded',
  payload: { reason },
});
/** The chair (people.chair) confirms the minute entry as it stands. */
export const confirmed = (chairId = 'chair'): DomainEvent => ({
  type: 'minute.confirmed',
  payload: { chairId },
});
/** The chair confirms the minute entry, then closes the meeting: how the tablet ends a meeting. */
export const confirmedAndClosed: DomainEvent[] = [confirmed(), closed];
/** For a meeting with nobody on its list yet: the chair is added, confirms the minute entry and closes it. */
export const chairAddedConfirmsAndCloses: DomainEvent[] = [added(people.chair), confirmed(), closed];

/** Issue 18: someone taking part by phone or video from the start, or joining so after it. */
export const addedBy = (attendee: Attendee, takesPartBy: Participation): DomainEvent => ({
  type: 'attendee.added',
  payload: { attendee, takesPartBy },
});
export const joinedBy = (attendee: Attendee, takesPartBy: Participation): DomainEvent => ({
  type: 'attendee.joined',
  payload: { attendee, takesPartBy },
});
export const takesPartBy = (attendeeId: string, by: Participation): DomainEvent => ({
  type: 'attendee.participation-changed',
  payload: { attendeeId, takesPartBy: by },
});
/** How an answer was given: relayed by the chair (someone not in the room), through an interpreter, or both. */
export const relayed = { relayedBy: 'chair' } as const;
export const through = (language: string, attendeeId = 'interp') => ({
  interpreter: { attendeeId, language },
});
type AnswerHow = { relayedBy?: string; interpreter?: { attendeeId: string; language: string } };
/** A "yes", given as `how` says (through an interpreter, relayed), without the asking before it. */
export const given = (attendeeId: string, how: AnswerHow = {}): DomainEvent => ({
  type: 'consent.given',
  payload: { attendeeId, ...how },
});
export const agreesHow = (attendeeId: string, how: AnswerHow): DomainEvent[] => [
  asked(attendeeId),
  given(attendeeId, how),
];
export const declinesHow = (attendeeId: string, reason: string, how: AnswerHow): DomainEvent[] => [
  asked(attendeeId),
  { type: 'consent.declined', payload: { attendeeId, reason, ...how } },
];
export const needsAuthorisationHow = (attendeeId: string, detail: string, how: AnswerHow): DomainEvent[] => [
  asked(attendeeId),
  { type: 'consent.authorisation-needed', payload: { attendeeId, detail, ...how } },
];

/**
 * Issue 18: Sarah Doe chose Polish at set-up under Staffordshire, which has no Polish translation; she
 * answers the questions and signs today's undertaking, shown in English alone.
 */
export const signedInEnglishHavingChosenPolish = (): DomainEvent[] => [
  opened('meeting', 'staffordshire-stoke'),
  ...[people.chair, { ...people.mother, language: 'pl' }, people.socialWorker].map(added),
  requested('mother'),
  ...understood('mother', 'staffordshire-stoke'),
  signedToday('mother', 'staffordshire-stoke'),
];
