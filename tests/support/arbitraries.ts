/**
 * Sample events for walking the meeting machine: a fixed small cast (a chair, a mother with parental
 * responsibility who asks to record, a social worker, a police officer, and a young person who joins
 * after the start), for each meeting kind that matters and both policy profiles. Used by the model-based
 * tests (as the `events` of xstate/graph) and by the property tests (as the candidates of a random walk).
 */
import fc from 'fast-check';
import { initialSnapshot, type MeetingSnapshot, step } from '../../src/domain/engine';
import type { DomainEvent, DomainEventType } from '../../src/domain/events';
import type { Answer, MeetingKind } from '../../src/domain/model';
import type { ProfileId } from '../../src/domain/profiles';
import { derivedGrounds, type MeetingContext } from '../../src/domain/rules';
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
    requested(REQUESTER.id, 'on-the-day'),
    requested(REQUESTER.id, 'in-advance', '2026-11-20T09:00:00+00:00'),
    requested(REQUESTER.id, 'after-start'),
    e('request.attendees-notified', { via: 'email' }),
    e('request.outcome-confirmed', { via: 'in-person', note: 'Told at the meeting.' }),
    e('eligibility.confirmed', { basis: 'parent-with-pr' }),
    e('eligibility.refused', { reason: 'Not a parent of the subject child.' }),
    signed(REQUESTER.id, ctx.profileId),
    e('undertaking.declined', { signerId: REQUESTER.id }),
    ...CAST_IDS.map((attendeeId) => e('consent.asked', { attendeeId })),
    ...CAST_IDS.flatMap((attendeeId) => [
      e('consent.given', { attendeeId }),
      e('consent.declined', { attendeeId, reason: `${attendeeId} has operational concerns` }),
      e('consent.authorisation-needed', { attendeeId, detail: `${attendeeId} needs legal advice` }),
    ]),
    e('ground.confirmed', { ground: 'child-objected', note: 'Jamie said no.' }),
    e('ground.dismissed', { ground: 'child-objected', note: 'Jamie is content after all.' }),
    e('ground.confirmed', { ground: 'history-of-misuse', note: 'A recording was posted online in 2025.' }),
    e('ground.dismissed', { ground: 'history-of-misuse', note: 'No history known.' }),
    e('screening.completed', {}),
    e('chair.decided', {
      outcome: 'permitted',
      reason: 'The record helps the family.',
      disagreements: 'Police object.',
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
 * Who may leave in the model, and when: the police officer when handed the tablet (instead of answering)
 * or during the discussion, and the newcomer during the review their arrival caused (before answering).
 */
function mayLeave(ctx: MeetingContext, attendeeId: string): boolean {
  switch (attendeeId) {
    case cast.police.id:
      return ctx.asking === attendeeId || (ctx.hasDiscussionStarted && ctx.reviewCause === null);
    case cast.youngPerson.id:
      return ctx.reviewCause === 'attendee-joined';
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
 * A narrower choice than `sampleEvents`, for enumerating the reachable states: the whole cast is added,
 * in order, before anything else happens; attendees are asked in the order of the cast (the first present
 * one without an answer) and answer from a short palette; two people may leave, when it matters (`mayLeave`); the request is made on
 * the day or after the start; each ground is confirmed or dismissed once. Nothing here decides what is
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
    (a) => a.isPresent && a.id !== ctx.request?.requesterId && ctx.answers[a.id] === undefined,
  )?.id;
  const palette = ctx.asking === null ? [] : (MODEL_ANSWERS[ctx.asking] ?? ['agreed']);
  return all.filter((ev) => {
    if (NO_OP_TYPES.has(ev.type)) return false;
    switch (ev.type) {
      case 'attendee.added':
        return false;
      case 'attendee.joined':
        return !known.has(ev.payload.attendee.id);
      case 'attendee.left':
        return present.has(ev.payload.attendeeId) && mayLeave(ctx, ev.payload.attendeeId);
      case 'request.made':
        return ev.payload.request.timing === (ctx.hasDiscussionStarted ? 'after-start' : 'on-the-day');
      case 'consent.asked':
        return ev.payload.attendeeId === nextToAsk;
      case 'consent.given':
      case 'consent.declined':
      case 'consent.authorisation-needed':
        return ev.payload.attendeeId === ctx.asking && palette.some((a) => ANSWER_EVENT[a] === ev.type);
      case 'ground.confirmed':
      case 'ground.dismissed':
        // A ground the facts raise is confirmed or dismissed; the chair may also add one of their own.
        return (
          ctx.grounds[ev.payload.ground] === undefined &&
          (derivedGrounds(ctx).includes(ev.payload.ground) ||
            (ev.type === 'ground.confirmed' && Object.keys(ctx.grounds).length === 0))
        );
      case 'undertaking.signed':
      case 'undertaking.declined':
        return ctx.undertaking === 'pending';
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

const RARELY: ReadonlySet<DomainEventType> = new Set(['attendee.left', 'meeting.started', ...NO_OP_TYPES]);

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
    const legal = legalEvents(current).filter((ev) => ev.type !== 'meeting.closed');
    const types = [...new Set(legal.map((ev) => ev.type))].flatMap((type) =>
      RARELY.has(type) ? [type] : [type, type, type],
    );
    const type = types[choice % Math.max(types.length, 1)];
    if (type === undefined) break;
    const ofType = legal.filter((ev) => ev.type === type);
    take(ofType[Math.floor(choice / types.length) % ofType.length] as DomainEvent);
  }
  const closing: DomainEvent = { type: 'meeting.closed', payload: {} };
  if (close && (snapshots[snapshots.length - 1] as MeetingSnapshot).can(closing)) take(closing);
  return { events, snapshots };
}

/** A random legal walk of `minLength` to `maxLength` events (fewer if the meeting has nowhere to go). */
export const legalWalk = ({ minLength = 1, maxLength = 30 } = {}): fc.Arbitrary<Walk> =>
  fc
    .record({ choices: fc.array(fc.nat(), { minLength, maxLength, size: 'max' }), close: fc.boolean() })
    .map(({ choices, close }) => walk(choices, close));
