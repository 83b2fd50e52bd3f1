/**
 * Sample events for walking the meeting machine: a fixed small cast (a chair, a mother with parental
 * responsibility who asks to record, a social worker, a police officer, and a young person - the subject
 * child - who joins after the start), for each meeting kind that matters and both policy profiles. Used by
 * the model-based tests (as the `events` of xstate/graph) and by the property tests (as the candidates of a
 * random walk).
 */
import fc from 'fast-check';
import { initialSnapshot, type MeetingSnapshot, step } from '../../src/domain/engine';
import type { DomainEvent, DomainEventType } from '../../src/domain/events';
import type { Answer, MeetingKind } from '../../src/domain/model';
import type { ProfileId, RefusalGroundId } from '../../src/domain/profiles';
import { derivedGrounds, isRequester, type MeetingContext } from '../../src/domain/rules';
import { opened, people, requested, signed } from './scenario';

export const cast = {
  chair: people.chair,
  mother: people.mother,
  socialWorker: people.socialWorker,
  police: people.police,
  youngPerson: people.youngPerson,
} as const;

/** Present before the discussion begins (HCS 2.6), added in this order. */
export const CAST_AT_START = [cast.chair, cast.mother, cast.socialWorker, cast.police] as const;
/** Not in the model's cast: an answer through them is refused there (the relay model has them). */
export const INTERPRETER = people.interpreter;
/** Arrives after the discussion began (HCS 2.11). */
export const JOINER = cast.youngPerson;
/** The mother, with parental responsibility for the subject child, asks to record (HCS 1.3). */
export const REQUESTER = cast.mother;
export const CAST_IDS: readonly string[] = [...CAST_AT_START, JOINER].map((a) => a.id);

export interface MeetingConfig {
  kind: MeetingKind;
  profileId: ProfileId;
}

export const KINDS_THAT_MATTER = ['meeting', 'child-protection-conference', 'conversation'] as const;
export const PROFILE_IDS = ['hertfordshire', 'staffordshire-stoke'] as const satisfies readonly ProfileId[];

export const CONFIGS: readonly MeetingConfig[] = KINDS_THAT_MATTER.flatMap((kind) =>
  PROFILE_IDS.map((profileId) => ({ kind, profileId })),
);

const e = <T extends DomainEventType>(type: T, payload: Extract<DomainEvent, { type: T }>['payload']) =>
  ({ type, payload }) as DomainEvent;

const GROUNDS: readonly RefusalGroundId[] = [
  'no-parental-responsibility',
  'pr-holder-objected',
  'child-objected',
  'history-of-misuse',
  'threat-to-publish',
  'alternatives-meet-need',
];

/** HCS 1.3: the subject child asks too, beside the mother (after the start, once the child has joined). */
const twoRequesters = (): DomainEvent => {
  const made = requested(REQUESTER.id, 'after-start') as Extract<DomainEvent, { type: 'request.made' }>;
  return e('request.made', { request: { ...made.payload.request, additionalRequesterIds: [JOINER.id] } });
};

/** A decline with the attendee's own words; with one-tap choices only; with neither; with only "another reason". */
const declines = (attendeeId: string): DomainEvent[] => [
  e('consent.declined', { attendeeId, reason: `${attendeeId} has operational concerns` }),
  e('consent.declined', { attendeeId, reason: '', reasonChoices: ['personal-safety', 'needs-legal-advice'] }),
  e('consent.declined', { attendeeId, reason: '' }),
  e('consent.declined', { attendeeId, reason: '', reasonChoices: ['other'] }),
];

/**
 * The events worth trying in a snapshot whose context is `ctx`: one or a few concrete, well-formed
 * payloads per event type, drawn from the fixed cast. Every event type always has at least one sample,
 * whether or not the machine will take it now: the machine is the judge of that.
 */
export function sampleEvents(
  ctx: MeetingContext,
  configs: readonly MeetingConfig[] = CONFIGS,
): DomainEvent[] {
  if (ctx.meeting === null) return configs.map(({ kind, profileId }) => opened(kind, profileId));
  return [
    ...CAST_AT_START.map((attendee) => e('attendee.added', { attendee })),
    e('attendee.joined', { attendee: JOINER }),
    ...CAST_IDS.map((attendeeId) => e('attendee.left', { attendeeId })),
    ...CAST_IDS.map((attendeeId) => e('attendee.returned', { attendeeId })),
    // Issue 18: in the room, by phone or by video; the chair is always in the room.
    ...[cast.police.id, REQUESTER.id, cast.chair.id].flatMap((attendeeId) => [
      e('attendee.participation-changed', { attendeeId, takesPartBy: 'phone' }),
      e('attendee.participation-changed', { attendeeId, takesPartBy: 'in-room' }),
    ]),
    e('attendee.corrected', { attendeeId: cast.socialWorker.id, name: 'Tom Reed' }),
    e('attendee.corrected', { attendeeId: cast.police.id, role: 'health', agency: 'NHS' }),
    e('attendee.removed', { attendeeId: cast.police.id, reason: 'Added to the wrong meeting.' }),
    requested(REQUESTER.id, 'on-the-day'),
    requested(REQUESTER.id, 'in-advance', '2026-11-20T09:00:00+00:00'),
    requested(REQUESTER.id, 'after-start'),
    twoRequesters(),
    e('request.corrected', { purpose: 'So that I can listen again to what is decided.' }),
    e('pr-holder.objected', { name: 'Mark Doe', note: 'He objected by letter.' }),
    e('request.attendees-notified', { via: 'email' }),
    e('request.outcome-confirmed', { via: 'in-person', note: 'Told at the meeting.' }),
    e('eligibility.confirmed', { basis: 'parent-with-pr' }),
    e('eligibility.confirmed', { basis: 'subject-child', requesterId: JOINER.id }),
    e('eligibility.refused', { reason: 'Not a parent of the subject child.' }),
    signed(REQUESTER.id, ctx.profileId),
    signed(JOINER.id, ctx.profileId),
    e('undertaking.declined', { signerId: REQUESTER.id }),
    ...CAST_IDS.map((attendeeId) => e('consent.asked', { attendeeId })),
    ...CAST_IDS.flatMap((attendeeId) => [
      e('consent.given', { attendeeId }),
      // Relayed by the chair (right only for someone not in the room), or through an interpreter.
      e('consent.given', { attendeeId, relayedBy: cast.chair.id }),
      e('consent.given', { attendeeId, interpreter: { attendeeId: INTERPRETER.id, language: 'pl' } }),
      ...declines(attendeeId),
      e('consent.authorisation-needed', { attendeeId, detail: `${attendeeId} needs legal advice` }),
    ]),
    ...GROUNDS.flatMap((ground) => [
      e('ground.confirmed', { ground, note: `Ground ${ground} applies.` }),
      e('ground.dismissed', { ground, note: `Ground ${ground} does not apply.` }),
    ]),
    e('screening.completed', { otherGroundsNotApplicable: true }),
    e('screening.completed', {}),
    e('chair.decided', {
      outcome: 'permitted',
      reason: 'The record helps the family.',
      disagreements: 'Police object.',
    }),
    e('chair.decided', {
      outcome: 'not-permitted',
      reason: 'Risk to the inquiry.',
      disagreements: 'The social worker would allow it.',
    }),
    e('chair.decided', { outcome: 'not-permitted', reason: 'Risk to the inquiry.', disagreements: '' }),
    e('alternatives.offered', { arrangements: ['detailed-minutes'], note: '' }),
    e('meeting.started', {}),
    e('recording.started', {}),
    e('recording.paused', { reason: 'The chair wants to check everyone is still content.' }),
    e('recording.resumed', {}),
    e('recording.withdrawn', { reason: 'The discussion became heated.' }),
    e('review.requested', { reason: 'Legal advice has now been given.' }),
    e('covert-recording.suspected', { note: 'A phone was seen recording.' }),
    e('concern.escalated', { note: 'The police officer says the recording is oppressive.' }),
    e('concern.advice-received', { note: 'The safeguarding lead advised that it may go on.' }),
    e('minute.confirmed', { chairId: cast.chair.id }),
    e('minute.confirmed', { chairId: cast.socialWorker.id }),
    e('meeting.discarded', { reason: 'Opened for the wrong family.' }),
    e('custody.claimed', {}),
    e('meeting.closed', {}),
  ];
}

/** What each member of the cast may answer in the model: enough for every outcome, few enough to enumerate. */
const MODEL_ANSWERS: Readonly<Record<string, readonly Answer[]>> = {
  [cast.chair.id]: ['agreed'],
  [cast.socialWorker.id]: ['agreed', 'authorisation-needed'],
  [cast.police.id]: ['agreed', 'declined'],
  [cast.youngPerson.id]: ['agreed', 'declined'],
};
const ANSWER_EVENT: Readonly<Record<Answer, DomainEventType>> = {
  agreed: 'consent.given',
  declined: 'consent.declined',
  'authorisation-needed': 'consent.authorisation-needed',
};

/**
 * How each member of the cast declines in the model (HCS 2.8): the police officer in their own words; the
 * young person with one-tap choices only, or, where the profile does not require a reason (SSLSCB, not in
 * a conversation), with none at all.
 */
function isModelDecline(ctx: MeetingContext, ev: Extract<DomainEvent, { type: 'consent.declined' }>) {
  const { attendeeId, reason, reasonChoices } = ev.payload;
  if (attendeeId !== cast.youngPerson.id) return reason !== '';
  const mayGiveNoReason = ctx.profileId === 'staffordshire-stoke' && ctx.meeting?.kind !== 'conversation';
  return (
    reason === '' &&
    (mayGiveNoReason ? reasonChoices === undefined : reasonChoices?.includes('personal-safety') === true)
  );
}

/**
 * Who may leave in the model, and when: anyone but the requester when handed the tablet before anyone
 * answered in the round (so a round can lose everyone it would ask); the police officer (who may decline)
 * when handed the tablet, and outside a review once they did not agree, or while recording; the social worker once they said they need advice first; the newcomer during the
 * review their arrival caused; and the requester while recording (their device goes with them).
 */
function mayLeave(ctx: MeetingContext, attendeeId: string): boolean {
  if (isRequester(ctx, attendeeId)) return ctx.recording === 'on';
  // Everyone asked before them has left without answering: the round may lose everyone it would ask.
  const isAskedInEmptyRoom =
    ctx.asking === attendeeId &&
    Object.keys(ctx.answers).length === 0 &&
    ctx.attendees.every((a) => a.isPresent || a.role === 'chair' || a.id === attendeeId);
  switch (attendeeId) {
    case cast.police.id:
      return (
        ctx.asking === attendeeId ||
        (ctx.outcome !== null &&
          ctx.reviewCause === null &&
          (ctx.answers[attendeeId] !== 'agreed' || ctx.recording === 'on'))
      );
    case cast.socialWorker.id:
      return (
        (isAskedInEmptyRoom && !ctx.attendees.some((a) => a.role === 'chair' && a.isPresent)) ||
        (ctx.reviewCause === null && ctx.answers[attendeeId] === 'authorisation-needed')
      );
    case cast.youngPerson.id:
      return ctx.reviewCause === 'attendee-joined' && ctx.answers[attendeeId] === undefined;
    case cast.chair.id:
      return isAskedInEmptyRoom;
    default:
      return false;
  }
}

/** Facts that change nothing the machine decides on: left to the property tests, so the model stays small. */
const NO_OP_TYPES: ReadonlySet<DomainEventType> = new Set([
  'request.attendees-notified',
  'request.outcome-confirmed',
  'covert-recording.suspected',
]);
/**
 * Corrections, an absent PR holder's objection and discarding are left to the property tests and the rules
 * tests too: each multiplies the states without bearing on the invariants the model checks.
 */
const LEFT_TO_PROPERTY_TESTS: ReadonlySet<DomainEventType> = new Set([
  // How people take part, and answers relayed or interpreted, have their own model (relay.model.test.ts).
  'attendee.participation-changed',
  'attendee.corrected',
  'attendee.removed',
  'request.corrected',
  'pr-holder.objected',
  'meeting.discarded',
  // Who writes the log (issue 19) is the envelope's, not the machine's: a claim changes no decision.
  'custody.claimed',
]);
/**
 * The traversal must end in about a minute: each path of the model carries at most this many disturbances
 * at a time (someone away, the newcomer arrived, another round, a withdrawal, a concern escalated), which keeps every scenario
 * the invariants are about (a decliner leaves and the chair asks again; the requester leaves while recording
 * and comes back; a join during recording; a withdrawal during a review) and drops their pile-ups.
 */
const MAX_DISTURBANCES = 2;
function disturbances(ctx: MeetingContext): number {
  return (
    ctx.attendees.filter((a) => !a.isPresent).length +
    (ctx.attendees.some((a) => a.id === JOINER.id) ? 1 : 0) +
    Math.max(ctx.round - 1, 0) +
    (ctx.isWithdrawn || ctx.outcome?.basis === 'withdrawn' ? 1 : 0) +
    (ctx.concern === 'none' ? 0 : 1)
  );
}
const DISTURBING: ReadonlySet<DomainEventType> = new Set([
  'attendee.joined',
  'attendee.left',
  'recording.withdrawn',
  'recording.paused',
  'review.requested',
  'concern.escalated',
]);

/**
 * A narrower choice than `sampleEvents`, for enumerating the reachable states: the whole cast is added,
 * in order, before anything else happens; attendees are asked in the order of the cast (the first present
 * one without an answer) and answer from a short palette; people leave when it matters (`mayLeave`) and
 * come back once no review is under way; the request is made by the mother alone, on the day or after the
 * start; each ground the facts raise is confirmed or dismissed, the chair may confirm one of their own,
 * and screening ends with "none of the other grounds applies"; the chair asks again only after a round
 * that did not permit it; disturbances do not pile up (`MAX_DISTURBANCES`). Nothing here decides what is
 * legal: the machine does.
 */
export function modelEvents(ctx: MeetingContext, config: MeetingConfig): DomainEvent[] {
  const all = sampleEvents(ctx, [config]);
  if (ctx.meeting === null) return all;
  const known = new Set(ctx.attendees.map((a) => a.id));
  const present = new Set(ctx.attendees.filter((a) => a.isPresent).map((a) => a.id));
  const nextToAdd = CAST_AT_START.find((a) => !known.has(a.id))?.id;
  if (nextToAdd !== undefined) {
    return all.filter((ev) => ev.type === 'attendee.added' && ev.payload.attendee.id === nextToAdd);
  }
  const nextToAsk = ctx.attendees.find(
    (a) => a.isPresent && !isRequester(ctx, a.id) && ctx.answers[a.id] === undefined,
  )?.id;
  const palette = ctx.asking === null ? [] : (MODEL_ANSWERS[ctx.asking] ?? ['agreed']);
  const isCalm = disturbances(ctx) < MAX_DISTURBANCES;
  return all.filter((ev) => {
    if (NO_OP_TYPES.has(ev.type) || LEFT_TO_PROPERTY_TESTS.has(ev.type)) return false;
    // Leaving when handed the tablet is a round losing its people: never held back.
    if (DISTURBING.has(ev.type) && !isCalm && !(ev.type === 'attendee.left' && ctx.asking !== null)) {
      return false;
    }
    switch (ev.type) {
      case 'attendee.added':
        return false;
      case 'attendee.joined':
        return !known.has(ev.payload.attendee.id);
      case 'attendee.left':
        return present.has(ev.payload.attendeeId) && mayLeave(ctx, ev.payload.attendeeId);
      case 'attendee.returned':
        return known.has(ev.payload.attendeeId) && ctx.reviewCause === null;
      case 'request.made':
        return (
          ev.payload.request.additionalRequesterIds === undefined &&
          ev.payload.request.timing === (ctx.hasDiscussionStarted ? 'after-start' : 'on-the-day')
        );
      case 'eligibility.confirmed':
      case 'eligibility.refused':
        return ev.payload.requesterId === undefined;
      case 'undertaking.signed':
        return ev.payload.signerId === REQUESTER.id;
      case 'consent.asked':
        return ev.payload.attendeeId === nextToAsk;
      case 'consent.declined':
        return (
          ev.payload.attendeeId === ctx.asking && palette.includes('declined') && isModelDecline(ctx, ev)
        );
      case 'consent.given':
      case 'consent.authorisation-needed':
        return (
          ev.payload.attendeeId === ctx.asking &&
          ev.payload.relayedBy === undefined &&
          ev.payload.interpreter === undefined &&
          palette.some((a) => ANSWER_EVENT[a] === ev.type)
        );
      case 'ground.confirmed':
      case 'ground.dismissed':
        // A ground the facts raise is confirmed or dismissed; the chair may also confirm one of their own.
        return (
          ctx.grounds[ev.payload.ground] === undefined &&
          (derivedGrounds(ctx).includes(ev.payload.ground) ||
            (ev.type === 'ground.confirmed' &&
              ev.payload.ground === 'history-of-misuse' &&
              Object.keys(ctx.grounds).length === 0))
        );
      case 'screening.completed':
        return ev.payload.otherGroundsNotApplicable === true;
      case 'chair.decided':
        return ev.payload.disagreements !== '';
      case 'review.requested':
        // HCS 2.11: asking again after a round that did not permit it (e.g. a decliner has left).
        return ctx.outcome !== null && ctx.outcome.status !== 'permitted';
      case 'concern.escalated':
      case 'concern.advice-received':
        return ctx.reviewCause === null;
      case 'minute.confirmed':
        // The chair reads and confirms the entry once the discussion is under way and nothing is recording.
        return ev.payload.chairId === cast.chair.id && ctx.hasDiscussionStarted && ctx.recording !== 'on';
      default:
        return true;
    }
  });
}

/** Only the event types some active state node handles can change anything; the others are refused. */
export const handledTypes = (snapshot: MeetingSnapshot): Set<string> =>
  new Set(snapshot._nodes.flatMap((node) => node.ownEvents));

/** The sample events the machine accepts now (`snapshot.can`). */
export function legalEvents(snapshot: MeetingSnapshot): DomainEvent[] {
  if (snapshot.status === 'done') return [];
  const handled = handledTypes(snapshot);
  return sampleEvents(snapshot.context).filter((ev) => handled.has(ev.type) && snapshot.can(ev));
}

export interface Walk {
  events: DomainEvent[];
  /** `snapshots[0]` is the initial snapshot; `snapshots[i + 1]` follows `events[i]`. */
  snapshots: MeetingSnapshot[];
}

const RARELY: ReadonlySet<DomainEventType> = new Set([
  'attendee.left',
  'meeting.started',
  ...NO_OP_TYPES,
  ...LEFT_TO_PROPERTY_TESTS,
]);

/**
 * Walks the machine with `step` (engine.ts). Each choice picks first an event type among those legal now,
 * then one of its legal sample payloads, so that a type with many payloads (who leaves, who is asked)
 * does not crowd out the rest; leaving, starting the discussion and facts that change nothing are picked
 * less often, so that walks reach the round, the decision and recording. Closing is left to the end (`close`).
 */
export function walk(choices: readonly number[], close = false): Walk {
  const snapshots = [initialSnapshot()];
  const events: DomainEvent[] = [];
  const take = (event: DomainEvent) => {
    const result = step(snapshots[snapshots.length - 1] as MeetingSnapshot, event);
    if (!result.ok)
      throw new Error(`step refused ${event.type}, which can() accepted: ${result.rejection.code}`);
    events.push(event);
    snapshots.push(result.snapshot);
  };
  for (const choice of choices) {
    const current = snapshots[snapshots.length - 1] as MeetingSnapshot;
    // A claim is legal to the machine, but only on a log the records service began (the writers are the
    // envelopes', tests/unit/prepared.test.ts): these walks are one tablet's logs.
    const legal = legalEvents(current).filter(
      (ev) => ev.type !== 'meeting.closed' && ev.type !== 'custody.claimed',
    );
    const types = [...new Set(legal.map((ev) => ev.type))].flatMap((type) =>
      RARELY.has(type) ? [type] : [type, type, type],
    );
    const type = types[choice % Math.max(types.length, 1)];
    if (type === undefined) break;
    const ofType = legal.filter((ev) => ev.type === type);
    take(ofType[Math.floor(choice / types.length) % ofType.length] as DomainEvent);
  }
  // The chair confirms the minute entry, then closes the meeting (as the tablet ends one), where they can.
  const confirming: DomainEvent = { type: 'minute.confirmed', payload: { chairId: cast.chair.id } };
  const closing: DomainEvent = { type: 'meeting.closed', payload: {} };
  const last = () => snapshots[snapshots.length - 1] as MeetingSnapshot;
  if (close && !last().can(closing) && last().can(confirming)) take(confirming);
  if (close && last().can(closing)) take(closing);
  // A failing property prints the walk as its events: a snapshot holds the whole machine, too big to print.
  return Object.assign(
    { events, snapshots },
    { [fc.toStringMethod]: () => `walk(${events.map((ev) => JSON.stringify(ev)).join(', ')})` },
  );
}

/** A random legal walk of `minLength` to `maxLength` events (fewer if the meeting has nowhere to go). */
export const legalWalk = ({ minLength = 1, maxLength = 30 } = {}): fc.Arbitrary<Walk> =>
  fc
    .record({ choices: fc.array(fc.nat(), { minLength, maxLength, size: 'max' }), close: fc.boolean() })
    .map(({ choices, close }) => walk(choices, close));
