/**
 * Model-based tests of the meeting statechart (DESIGN.md: "shortest paths to every state"). For each
 * meeting kind that matters and both policy profiles, xstate/graph enumerates every state the fixed cast
 * can reach (up to a depth), and every state of every shortest path is checked against the guidance and
 * against the decisions DOMAIN.md takes where it is silent (an answer stays in its round; a refusal
 * outranks a wait for advice; the requester leaving stops the recording; a withdrawal leads to other
 * arrangements). States are told apart by their value and their whole context (but the meeting's details,
 * fixed by the config), so the traversal ends; a closed meeting is one state, since nothing follows it.
 */

import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { type StateValue, transition } from 'xstate';
import { createTestModel, type TestPath } from 'xstate/graph';
import { type MeetingSnapshot, phaseOf, step } from '../../src/domain/engine';
import { type DomainEvent, EVENT_VERSION, type EventEnvelope, GENESIS_HASH } from '../../src/domain/events';
import { DECLINE_REASON_LABELS } from '../../src/domain/labels';
import { type MeetingPhase, meetingMachine } from '../../src/domain/meetingMachine';
import { minuteEntry, outcomeText, renderMinuteText } from '../../src/domain/minutes';
import { type Answer, PROFESSIONAL_ROLES, type RecordingRequest } from '../../src/domain/model';
import { PROFILES } from '../../src/domain/profiles';
import {
  type AttendeeState,
  activeRequesterIds,
  initialContext,
  isRequester,
  type MeetingContext,
  type Outcome,
} from '../../src/domain/rules';
import {
  CONFIGS,
  cast,
  handledTypes,
  type MeetingConfig,
  modelEvents,
  sampleEvents,
} from '../support/arbitraries';
import { DEVICE_ID, MEETING_ID } from '../support/scenario';

/**
 * How many events deep each kind and profile is explored. HCS meetings take more steps (eligibility,
 * undertaking, screening, alternatives) than SSLSCB ones or conversations; a child protection conference
 * adds the chair's decision. Deep enough for: a join during recording, its review (with the chair's
 * decision again in a conference) and the recording resumed; the requester leaving while recording, coming
 * back and the recording resumed; a withdrawal before or during discussion and the alternatives after it;
 * and a decliner leaving before the discussion and the chair asking again. The whole file must run in about
 * a minute and a half on two shared cores: these depths are what fit (`time npx vitest run` this file).
 */
const MAX_DEPTH: Record<string, number> = {
  'meeting/hertfordshire': 20,
  'meeting/staffordshire-stoke': 18,
  'child-protection-conference/hertfordshire': 21,
  'child-protection-conference/staffordshire-stoke': 18,
  'conversation/hertfordshire': 18,
  'conversation/staffordshire-stoke': 17,
};
const depthOf = (config: MeetingConfig): number => MAX_DEPTH[`${config.kind}/${config.profileId}`] ?? 18;

type Path = TestPath<MeetingSnapshot, DomainEvent>;
interface Edge {
  from: MeetingSnapshot;
  event: DomainEvent;
  to: MeetingSnapshot;
}
interface Exploration {
  config: MeetingConfig;
  paths: Path[];
  states: Map<string, MeetingSnapshot>;
  edges: Edge[];
}

/** JSON with the keys of every object sorted: the same context gives the same key however it was built. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(record[k])}`)
    .join(',')}}`;
}

/** Value plus the whole context (the meeting's details, profile and children are fixed by the config). */
function keyOf(snapshot: MeetingSnapshot): string {
  const known = keys.get(snapshot);
  if (known !== undefined) return known;
  const { meeting: _m, children: _c, profileId: _p, ...rest } = snapshot.context;
  const key =
    snapshot.status === 'done' ? `done:${stableJson(snapshot.value)}` : stableJson([snapshot.value, rest]);
  keys.set(snapshot, key);
  return key;
}
const keys = new WeakMap<MeetingSnapshot, string>();

function eventsFor(config: MeetingConfig, choose = modelEvents) {
  return (snapshot: MeetingSnapshot): DomainEvent[] => {
    if (snapshot.status === 'done') return [];
    const handled = handledTypes(snapshot);
    return choose(snapshot.context, config).filter((ev) => handled.has(ev.type));
  };
}

function explore(config: MeetingConfig): Exploration {
  // The traversal hands serializeState every transition it makes (the state, the event, the state it came
  // from): each snapshot learns its depth from it, and the transitions are kept for HCS 2.9.
  const depth = new WeakMap<MeetingSnapshot, number>();
  const maxDepth = depthOf(config);
  const edges: Edge[] = [];
  const serializeState = (state: MeetingSnapshot, event?: DomainEvent, prev?: MeetingSnapshot) => {
    if (!depth.has(state)) {
      depth.set(state, prev ? (depth.get(prev) ?? 0) + 1 : 0);
      if (prev && event) edges.push({ from: prev, event, to: state });
    }
    return keyOf(state);
  };
  const traversal = {
    events: eventsFor(config),
    serializeState,
    stopWhen: (state: MeetingSnapshot) => (depth.get(state) ?? 0) >= maxDepth,
  };
  const model = createTestModel(meetingMachine, traversal);
  // `events` is given again so that it replaces the model's default (which sends payload-less events).
  const paths = model.getShortestPaths(traversal);
  const states = new Map<string, MeetingSnapshot>();
  for (const { from, to } of edges) {
    if (!states.has(keyOf(from))) states.set(keyOf(from), from);
    if (!states.has(keyOf(to))) states.set(keyOf(to), to);
  }
  return { config, paths, states, edges };
}

// ---------------------------------------------------------------- helpers for readable failures

function brief(event: DomainEvent): string {
  const p = event.payload as Record<string, unknown> & {
    attendee?: { id: string };
    request?: { timing: string };
    meeting?: { kind: string };
  };
  const detail =
    p.attendee?.id ??
    p.attendeeId ??
    p.request?.timing ??
    p.meeting?.kind ??
    p.outcome ??
    p.ground ??
    p.basis ??
    p.signerId;
  return detail === undefined ? event.type : `${event.type}(${String(detail)})`;
}

/** The shortest known event sequence to the state with this key. */
function shortestTo(x: Exploration, key: string): string {
  let best: DomainEvent[] | null = null;
  for (const path of x.paths) {
    const i = path.steps.findIndex((s) => keyOf(s.state) === key);
    if (i >= 0 && (best === null || i < best.length)) best = eventsOf(path, i);
  }
  return best ? describePath(best) : '(no path)';
}

const eventsOf = (path: Path, upTo = path.steps.length - 1): DomainEvent[] =>
  path.steps.slice(1, upTo + 1).map((s) => s.event);
const describePath = (events: readonly DomainEvent[]): string => events.map(brief).join(' → ');

/**
 * Runs `check` on every state of every path. Returns nothing when all pass; otherwise how many paths break
 * the rule and the shortest event sequence that does (a minimal repro, since the paths are shortest paths).
 */
function violationsOnEveryState(
  paths: readonly Path[],
  check: (state: MeetingSnapshot, event: DomainEvent, previous: MeetingSnapshot | undefined) => string | null,
): string[] {
  let shortest: { length: number; text: string } | null = null;
  let count = 0;
  for (const path of paths) {
    for (const [i, { state, event }] of path.steps.entries()) {
      const problem = check(state, event, path.steps[i - 1]?.state);
      if (problem === null) continue;
      count += 1;
      if (shortest === null || i < shortest.length) {
        shortest = { length: i, text: `${describePath(eventsOf(path, i))} ⇒ ${problem}` };
      }
      break;
    }
  }
  return shortest ? [`${count} path(s) break it; the shortest: ${shortest.text}`] : [];
}

/**
 * The events as a log, one minute apart. The minute entry is a projection of a log that replay has
 * already verified, and does not check the chain itself, so the hashes are left as zeros here: sealing
 * thousands of paths would only slow the test. (tests/unit/log.property.test.ts tests the chain.)
 */
function envelopes(events: readonly DomainEvent[]): EventEnvelope[] {
  const t0 = Date.parse('2026-11-23T09:00:00Z');
  return events.map((event, i) => ({
    ...event,
    v: EVENT_VERSION,
    id: `0193a1b2-0000-7000-8000-${String(i + 1).padStart(12, '0')}`,
    meetingId: MEETING_ID,
    deviceId: DEVICE_ID,
    seq: i + 1,
    at: new Date(t0 + i * 60_000).toISOString().replace('.000Z', '+00:00'),
    prevHash: GENESIS_HASH,
    hash: GENESIS_HASH,
  }));
}

/**
 * Paths whose minute entries, between them, hold every kind of answer and every kind of decision found on
 * any path: the same answer (or outcome) beside the same answers of its round and the same people present,
 * whatever else differs (the minute entry is a fold over the log, so a longer path holds what the path it
 * extends says). The longest paths are taken first, and a path only if it brings something not yet held:
 * reading the entry of every path would take minutes.
 */
function minuteCover(x: Exploration): Path[] {
  const covered = new Set<string>();
  const chosen: Path[] = [];
  const situation = (ctx: MeetingContext) =>
    `${stableJson(ctx.answers)} ${ctx.attendees.map((a) => (a.isPresent ? a.id : `-${a.id}`)).join()}`;
  const mattersAt = (path: Path): string[] =>
    path.steps.flatMap(({ state, event }, i) => {
      const before = path.steps[i - 1]?.state;
      if (!before) return [];
      if (answerIn(event) !== null) return [`${brief(event)} ${situation(before.context)}`];
      const { outcome } = state.context;
      return before.context.outcome === null && outcome !== null
        ? [`${event.type} ${outcome.status} ${outcome.basis} ${situation(state.context)}`]
        : [];
    });
  for (const path of [...x.paths].sort((a, b) => b.steps.length - a.steps.length)) {
    const fresh = mattersAt(path).filter((edge) => !covered.has(edge));
    if (fresh.length === 0) continue;
    for (const edge of fresh) covered.add(edge);
    chosen.push(path);
  }
  return chosen;
}

// ---------------------------------------------------------------- the guidance, as checks on one state

const isProfessional = (a: AttendeeState): boolean => PROFESSIONAL_ROLES.includes(a.role);
const isPermissionProfile = (ctx: MeetingContext) =>
  PROFILES[ctx.profileId].decisionModel.value === 'permission';
/** Everyone who gave this answer in the current round, whether or not they are still here. */
const answered = (ctx: MeetingContext, answer: Answer): AttendeeState[] =>
  ctx.attendees.filter((a) => ctx.answers[a.id] === answer);
const listAnswers = (ctx: MeetingContext, people: readonly AttendeeState[]) =>
  people.map((a) => `${a.id}=${ctx.answers[a.id] ?? 'no answer'}${a.isPresent ? '' : ' (left)'}`).join(', ');

/**
 * Who stands in the way of recording: everyone present but the requesters (whose request is their answer,
 * HCS 2.6) who has not agreed, and everyone who gave another answer in this round and has left since (a
 * departure never turns a "no" into a "yes").
 */
const notAgreed = (ctx: MeetingContext): AttendeeState[] =>
  ctx.attendees.filter(
    (a) =>
      !isRequester(ctx, a.id) &&
      (a.isPresent || ctx.answers[a.id] !== undefined) &&
      ctx.answers[a.id] !== 'agreed',
  );
/** HCS 2.12: in a child protection conference the chair may permit it over professionals who declined. */
const isChairOverride = (ctx: MeetingContext, against: readonly AttendeeState[]): boolean =>
  ctx.meeting?.kind === 'child-protection-conference' &&
  ctx.outcome?.basis === 'chair-decided' &&
  against.every((a) => isProfessional(a) && ctx.answers[a.id] === 'declined');

function hcs27(state: MeetingSnapshot): string | null {
  const ctx = state.context;
  if (!isPermissionProfile(ctx)) return null;
  if (ctx.recording !== 'on' && ctx.outcome?.status !== 'permitted') return null;
  const against = notAgreed(ctx);
  if (against.length === 0 || isChairOverride(ctx, against)) return null;
  return `recording=${ctx.recording}, outcome=${ctx.outcome?.status}/${ctx.outcome?.basis}, not agreed: ${listAnswers(ctx, against)}`;
}

/** Permission needs at least one answer, and an "agreed" among the answers (DOMAIN.md, decisions). */
function permissionNeedsAnAnswer(state: MeetingSnapshot): string | null {
  const ctx = state.context;
  if (!isPermissionProfile(ctx)) return null;
  if (ctx.recording !== 'on' && ctx.outcome?.status !== 'permitted') return null;
  return answered(ctx, 'agreed').length > 0
    ? null
    : `recording=${ctx.recording}, outcome=${ctx.outcome?.status}/${ctx.outcome?.basis} with no "agreed" answer (answers: ${JSON.stringify(ctx.answers)})`;
}

/** Someone arriving, or coming back, while recording is on: the meeting stops and they are asked (HCS 2.11). */
const isArrival = (ctx: MeetingContext, event: DomainEvent): boolean =>
  event.type === 'attendee.joined' ||
  (event.type === 'attendee.returned' && !isRequester(ctx, event.payload.attendeeId));

function hcs211(state: MeetingSnapshot, event: DomainEvent, previous?: MeetingSnapshot): string | null {
  const ctx = state.context;
  if (isArrival(ctx, event) && previous?.context.recording === 'on' && ctx.recording !== 'paused') {
    return `recording was on; after ${event.type} it is "${ctx.recording}", not paused`;
  }
  if (ctx.recording !== 'on') return null;
  // Everyone present has answered; under the permission profile the answers of those gone count too.
  const against = ctx.attendees.filter(
    (a) =>
      !isRequester(ctx, a.id) &&
      (a.isPresent
        ? ctx.answers[a.id] === undefined
        : isPermissionProfile(ctx) && ctx.answers[a.id] !== undefined && ctx.answers[a.id] !== 'agreed'),
  );
  if (against.length === 0 || isChairOverride(ctx, against)) return null;
  return `recording is on while ${listAnswers(ctx, against)}`;
}

/** The person recording leaving takes the device with them: recording stops (DOMAIN.md, decisions). */
function requesterLeavingStopsRecording(
  state: MeetingSnapshot,
  event: DomainEvent,
  previous?: MeetingSnapshot,
): string | null {
  const ctx = state.context;
  const isRequesterHere = activeRequesterIds(ctx).some(
    (id) => ctx.attendees.find((a) => a.id === id)?.isPresent === true,
  );
  if (ctx.recording === 'on' && !isRequesterHere) return 'recording is on while no requester is present';
  if (
    event.type === 'attendee.left' &&
    isRequester(ctx, event.payload.attendeeId) &&
    previous?.context.recording === 'on' &&
    !isRequesterHere &&
    (ctx.recording !== 'paused' || ctx.pauseCause !== 'requester-left')
  ) {
    return `the requester left while recording; recording is "${ctx.recording}" (${ctx.pauseCause})`;
  }
  return null;
}

function sslscbNotice(state: MeetingSnapshot): string | null {
  const { outcome, profileId } = state.context;
  if (PROFILES[profileId].decisionModel.value !== 'notice' || outcome === null) return null;
  return outcome.status === 'permitted' || outcome.basis === 'withdrawn'
    ? null
    : `outcome ${outcome.status} (${outcome.basis}) under the notice model`;
}

const nameOf = (ctx: MeetingContext) => (id: string) => ctx.attendees.find((a) => a.id === id)?.name ?? id;
const sameIds = (a: readonly string[] | undefined, people: readonly AttendeeState[]) =>
  [...(a ?? [])].sort().join() ===
  people
    .map((p) => p.id)
    .sort()
    .join();

/**
 * The outcome sentence agrees with every answer given in the round (present or not): never "permitted"
 * or "everyone agreed" beside a decline or a need for advice (but the chair's decision in a conference,
 * or the notice model, which bans nothing); a decline is never hidden behind "awaiting"; whoever declined
 * or needs advice is named.
 */
function outcomeSentenceProblem(ctx: MeetingContext, outcome: Outcome, text: string): string | null {
  const declined = answered(ctx, 'declined');
  const awaiting = answered(ctx, 'authorisation-needed');
  const objections = [...declined, ...awaiting];
  const said = `"${text}" with ${listAnswers(ctx, objections)}`;
  if (objections.length > 0 && /everyone[^.;]*agreed/i.test(text)) return `says everyone agreed: ${said}`;
  if (
    objections.length > 0 &&
    outcome.status === 'permitted' &&
    outcome.basis !== 'chair-decided' &&
    outcome.basis !== 'notice-model'
  ) {
    return `permitted (${outcome.basis}): ${said}`;
  }
  if (declined.length > 0 && outcome.status === 'awaiting-authorisation') {
    return `a decline hidden behind "awaiting": ${said}`;
  }
  const names = (outcome.basis === 'not-all-agreed' || outcome.basis === 'ground-confirmed' ? objections : [])
    .concat(outcome.basis === 'authorisation-needed' ? awaiting : [])
    .map((a) => a.name);
  const unnamed = names.filter((name) => !text.includes(name));
  if (unnamed.length > 0) return `does not name ${unnamed.join(', ')}: ${said}`;
  if (outcome.declinedIds !== undefined && !sameIds(outcome.declinedIds, declined)) {
    return `declinedIds ${JSON.stringify(outcome.declinedIds)}, but ${listAnswers(ctx, declined)}`;
  }
  if (outcome.awaitingIds !== undefined && !sameIds(outcome.awaitingIds, awaiting)) {
    return `awaitingIds ${JSON.stringify(outcome.awaitingIds)}, but ${listAnswers(ctx, awaiting)}`;
  }
  return null;
}

function outcomeSentenceAgrees(state: MeetingSnapshot): string | null {
  const { outcome } = state.context;
  if (outcome === null) return null;
  return outcomeSentenceProblem(state.context, outcome, outcomeText(outcome, nameOf(state.context)));
}

/** The answer an event gives, if it is one (HCS 2.6, 2.8: agree, decline with a reason, or need more first). */
function answerIn(ev: DomainEvent): { attendeeId: string; answer: Answer; reasons: string[] } | null {
  switch (ev.type) {
    case 'consent.given':
      return { attendeeId: ev.payload.attendeeId, answer: 'agreed', reasons: [] };
    case 'consent.declined': {
      const choices = (ev.payload.reasonChoices ?? []).map((c) => DECLINE_REASON_LABELS[c]);
      return {
        attendeeId: ev.payload.attendeeId,
        answer: 'declined',
        reasons: [ev.payload.reason, ...choices],
      };
    }
    case 'consent.authorisation-needed':
      return {
        attendeeId: ev.payload.attendeeId,
        answer: 'authorisation-needed',
        reasons: [ev.payload.detail],
      };
    default:
      return null;
  }
}
const ANSWER_WORDING: Record<Answer, RegExp> = {
  agreed: /\bagreed\b/,
  declined: /did not agree/,
  'authorisation-needed': /advice or more information was needed first/,
};

// ---------------------------------------------------------------- which states each kind and profile uses

const ALL_PHASES: readonly MeetingPhase[] = [
  'preparing',
  'review.eligibility',
  'review.undertaking',
  'review.round',
  'review.screening',
  'review.decision',
  'review.alternatives',
  'ready',
  'discussing.notRecording',
  'discussing.recording',
  'discussing.paused',
  'closed',
];
const COMMON: readonly MeetingPhase[] = [
  'preparing',
  'review.round',
  'ready',
  'discussing.notRecording',
  'discussing.recording',
  'discussing.paused',
  'closed',
];
/** HCS asks eligibility, undertaking, screening and alternatives of meetings, not conversations (2.2-2.4). */
const HCS_MEETING = [
  ...COMMON,
  'review.eligibility',
  'review.undertaking',
  'review.screening',
  'review.alternatives',
];
/** SSLSCB: anyone may ask and nothing is banned; the undertaking is offered, never required. */
const SSLSCB_MEETING = [...COMMON, 'review.undertaking'];
const EXPECTED_PHASES: Record<string, readonly string[]> = {
  'meeting/hertfordshire': HCS_MEETING,
  'meeting/staffordshire-stoke': SSLSCB_MEETING,
  'child-protection-conference/hertfordshire': [...HCS_MEETING, 'review.decision'],
  'child-protection-conference/staffordshire-stoke': SSLSCB_MEETING,
  // A withdrawal is followed by other arrangements in a conversation too (HCS 3.2; DOMAIN.md decisions).
  'conversation/hertfordshire': [...COMMON, 'review.alternatives'],
  'conversation/staffordshire-stoke': COMMON,
};

const explorations = new Map<MeetingConfig, Exploration>();
const exploration = (config: MeetingConfig): Exploration => {
  const found = explorations.get(config) ?? explore(config);
  explorations.set(config, found);
  return found;
};
const phasesOf = (x: Exploration): Set<string> =>
  new Set(x.paths.flatMap((p) => p.steps.map((s) => phaseOf(s.state) as string)));

// ---------------------------------------------------------------- the tests

describe.each(CONFIGS)('a $kind under the $profileId profile', (config) => {
  let x: Exploration;
  beforeAll(() => {
    x = exploration(config);
  }, 120_000);

  test('reaches every state its kind and profile use, and no other', () => {
    const phases = phasesOf(x);
    phases.delete('new');
    expect([...phases].sort()).toEqual(
      [...(EXPECTED_PHASES[`${config.kind}/${config.profileId}`] ?? [])].sort(),
    );
  });

  test('the engine steps every transition of every path to the state the model reaches', () => {
    const checked = new Set<MeetingSnapshot>();
    const mismatches: string[] = [];
    for (const path of x.paths) {
      for (const [i, { state, event }] of path.steps.entries()) {
        const previous = path.steps[i - 1]?.state;
        if (previous === undefined || checked.has(state)) continue;
        checked.add(state);
        const result = step(previous, event);
        const landed = result.ok ? keyOf(result.snapshot) : `rejected: ${result.rejection.code}`;
        // A closed meeting is one state in the model, whatever it held: only its value is compared.
        const isSameContext =
          !result.ok || state.status === 'done' || isDeepStrictEqual(result.snapshot.context, state.context);
        if (landed !== keyOf(state) || !isSameContext) {
          mismatches.push(`${describePath(eventsOf(path, i))}: ${landed}`);
        }
      }
    }
    expect(checked.size).toBeGreaterThan(x.states.size / 2);
    expect(mismatches.slice(0, 3)).toEqual([]);
  }, 120_000);

  test('HCS 2.7: under the permission profile recording is never on or permitted while anyone asked in the round, present or gone, has not agreed', () => {
    expect(violationsOnEveryState(x.paths, hcs27)).toEqual([]);
    // Not vacuous: recording went on, and (HCS 2.12) a chair permitted it over a professional's objection.
    const contexts = [...x.states.values()].map((s) => s.context);
    expect(contexts.some((c) => c.recording === 'on')).toBe(true);
    if (config.kind === 'child-protection-conference' && config.profileId === 'hertfordshire') {
      const overridden = contexts.filter(
        (c) =>
          c.outcome?.basis === 'chair-decided' && c.outcome.status === 'permitted' && c.recording === 'on',
      );
      expect(overridden.length).toBeGreaterThan(0);
    }
    // ...and someone who declined or needed advice left with their answer standing, after the outcome.
    const leftWithObjection = contexts.filter(
      (c) =>
        c.outcome !== null &&
        c.attendees.some(
          (a) => !a.isPresent && c.answers[a.id] !== undefined && c.answers[a.id] !== 'agreed',
        ),
    );
    expect(leftWithObjection.length).toBeGreaterThan(0);
  });

  test('DOMAIN.md: permission needs at least one "agreed" answer (a round whose people all left permits nothing)', () => {
    expect(violationsOnEveryState(x.paths, permissionNeedsAnAnswer)).toEqual([]);
    // Not vacuous: a round ended in which everyone asked left before answering.
    const nobodyAnswered = [...x.states.values()].filter(
      (s) =>
        s.context.outcome !== null &&
        s.context.request !== null &&
        Object.keys(s.context.answers).length === 0,
    );
    expect(nobodyAnswered.length).toBeGreaterThan(0);
  });

  test('HCS 2.11: after a join or a return, recording stays paused until the person arriving answers', () => {
    expect(violationsOnEveryState(x.paths, hcs211)).toEqual([]);
    // Not vacuous: someone joined, and someone came back, while recording was on.
    const arrivals = x.edges.filter(
      (e) => isArrival(e.from.context, e.event) && e.from.context.recording === 'on',
    );
    expect(new Set(arrivals.map((e) => e.event.type))).toEqual(
      new Set(['attendee.joined', 'attendee.returned']),
    );
  });

  test('the outcome sentence agrees with every answer given in the round, present or not', () => {
    expect(violationsOnEveryState(x.paths, outcomeSentenceAgrees)).toEqual([]);
    // Not vacuous: outcomes were decided with a decline, and with a need for advice, in the round.
    const outcomes = [...x.states.values()].map((s) => s.context).filter((c) => c.outcome !== null);
    expect(outcomes.some((c) => Object.values(c.answers).includes('declined'))).toBe(true);
    expect(outcomes.some((c) => Object.values(c.answers).includes('authorisation-needed'))).toBe(true);
  });

  test('the requester leaving while recording stops the recording, and it is never on without a requester present', () => {
    expect(violationsOnEveryState(x.paths, requesterLeavingStopsRecording)).toEqual([]);
    // Not vacuous: the requester left while recording, and recording went on again after they came back.
    const leaving = x.edges.filter(
      (e) =>
        e.event.type === 'attendee.left' &&
        isRequester(e.from.context, e.event.payload.attendeeId) &&
        e.from.context.recording === 'on',
    );
    expect(leaving.length).toBeGreaterThan(0);
    const resumedAfterReturn = x.edges.filter(
      (e) => e.event.type === 'recording.resumed' && e.from.context.pauseCause === 'requester-left',
    );
    expect(resumedAfterReturn.length).toBeGreaterThan(0);
  });

  test('HCS 3.2: a withdrawal is always followed by other arrangements offered before the meeting goes on', () => {
    const problems: string[] = [];
    let withdrawals = 0;
    for (const path of x.paths) {
      let withdrawnAt: number | null = null;
      for (const [i, { state, event }] of path.steps.entries()) {
        if (event.type === 'recording.withdrawn') {
          withdrawnAt = i;
          withdrawals += 1;
        }
        if (event.type === 'alternatives.offered') withdrawnAt = null;
        if (withdrawnAt !== null && (state.matches('ready') || state.matches('discussing'))) {
          problems.push(
            `${describePath(eventsOf(path, i))} ⇒ at ${phaseOf(state)} with no alternatives offered`,
          );
          break;
        }
      }
    }
    expect(problems.sort((a, b) => a.length - b.length).slice(0, 1)).toEqual([]);
    // Not vacuous under a profile that lets the chair withdraw; none under one that does not (SSLSCB).
    const canWithdraw = PROFILES[config.profileId].whenRecordingShouldStop.value === 'withdraw';
    if (canWithdraw) {
      const from = new Set(
        x.edges
          .filter((e) => e.event.type === 'recording.withdrawn')
          .map((e) => phaseOf(e.from).split('.')[0]),
      );
      expect([...from].sort()).toEqual(['discussing', 'ready', 'review']);
    } else {
      expect(withdrawals).toBe(0);
      expect(x.edges.filter((e) => e.event.type === 'concern.escalated').length).toBeGreaterThan(0);
    }
  });

  test('HCS 2.8: under a profile that requires a reason, a decline with no reason and no choice is refused as reason-required', () => {
    const profile = PROFILES[config.profileId];
    const isRequired = profile.declineReason.isRequired || config.kind === 'conversation';
    let asked = 0;
    const wrong: string[] = [];
    for (const s of x.states.values()) {
      const attendeeId = s.context.asking;
      if (attendeeId === null || s.status === 'done') continue;
      asked += 1;
      const bare: DomainEvent = { type: 'consent.declined', payload: { attendeeId, reason: '  ' } };
      const result = step(s, bare);
      const got = result.ok ? 'accepted' : result.rejection.code;
      if ((got === 'reason-required') !== isRequired)
        wrong.push(`${phaseOf(s)} asking ${attendeeId}: ${got}`);
      const chosen: DomainEvent = {
        type: 'consent.declined',
        payload: { attendeeId, reason: '', reasonChoices: ['third-party-information'] },
      };
      if (!step(s, chosen).ok) wrong.push(`${phaseOf(s)} asking ${attendeeId}: a chosen reason was refused`);
    }
    expect(asked).toBeGreaterThan(0);
    expect(wrong.slice(0, 3)).toEqual([]);
  });

  test('SSLSCB: under the notice profile recording is never banned, only withdrawn by the chair', () => {
    expect(violationsOnEveryState(x.paths, sslscbNotice)).toEqual([]);
  });

  test('HCS 2.9: a refusal never cancels the meeting', () => {
    // Only the chair closing the record ends the meeting...
    const closings = x.edges.filter((e) => e.to.status === 'done' && e.from.status !== 'done');
    expect(closings.length).toBeGreaterThan(0);
    expect(closings.filter((e) => e.event.type !== 'meeting.closed').map((e) => brief(e.event))).toEqual([]);
    // ...and from every state that is not closed, the discussion can begin or go on without closing.
    const goesOn = statesThatGoOn(x);
    const stuck = [...x.states.entries()]
      .filter(([key, s]) => s.status !== 'done' && !goesOn.has(key) && !canGoOn(s, config, goesOn))
      .map(([key]) => key);
    expect(stuck.map((key) => `${shortestTo(x, key)} ⇒ stuck at ${key}`).slice(0, 2)).toEqual([]);
  }, 120_000);

  test('HCS 2.10: the minute entry mentions every answer given, and each outcome it states agrees with the answers of its round', () => {
    const problems: string[] = [];
    let answersChecked = 0;
    let outcomesChecked = 0;
    for (const path of minuteCover(x)) {
      const events = eventsOf(path);
      const log = envelopes(events);
      const entry = minuteEntry(log);
      const lines = renderMinuteText(entry).split('\n');
      const answers = events.flatMap((ev, i) => {
        const answer = answerIn(ev);
        return answer ? [{ ...answer, event: ev, i }] : [];
      });
      for (const [n, { attendeeId, answer, reasons, event, i }] of answers.entries()) {
        answersChecked += 1;
        const name = path.steps[i + 1]?.state.context.attendees.find((a) => a.id === attendeeId)?.name ?? '?';
        const time = log[i]?.at.slice(11, 16) ?? '';
        const line = lines.find((l) => l.startsWith(`${time} `) && l.includes(name)) ?? '';
        const saysIt =
          ANSWER_WORDING[answer].test(line) &&
          reasons.every((r) => line.toLowerCase().includes(r.trim().toLowerCase()));
        const recorded = entry.answers[n];
        const isListed = recorded?.attendeeId === attendeeId && recorded.answer === answer;
        if (!saysIt || !isListed) {
          problems.push(`${brief(event)} at ${time} is not in the minutes of: ${describePath(events)}`);
        }
      }
      // Each outcome the minute states, at the time it was decided, against the answers of that round.
      for (const [i, { state }] of path.steps.entries()) {
        const before = path.steps[i - 1]?.state;
        const outcome = state.context.outcome;
        if (!before || before.context.outcome !== null || outcome === null || state.status === 'done')
          continue;
        const at = log[i - 1]?.at;
        const said = entry.items.filter((item) => item.at === at && /^Recording (was|could)/.test(item.text));
        const isSaidElsewhere = outcome.basis === 'chair-decided' || outcome.basis === 'withdrawn';
        if (said.length === 0 && !isSaidElsewhere)
          problems.push(`${describePath(eventsOf(path, i))} ⇒ no outcome line`);
        for (const item of said) {
          outcomesChecked += 1;
          const problem = outcomeSentenceProblem(state.context, outcome, item.text);
          if (problem) problems.push(`${describePath(eventsOf(path, i))} ⇒ minute: ${problem}`);
        }
      }
      // The entry's outcome is the meeting's.
      const end = path.state.context.outcome;
      if (path.state.status !== 'done' && end !== null) {
        const said = entry.outcome;
        if (said?.status !== end.status || said.basis !== end.basis) {
          problems.push(
            `${describePath(events)} ⇒ the entry says ${said?.status}/${said?.basis}, the meeting ${end.status}/${end.basis}`,
          );
        }
      }
      if (problems.length > 0) break;
    }
    expect(problems).toEqual([]);
    expect(answersChecked).toBeGreaterThan(0);
    expect(outcomesChecked).toBeGreaterThan(0);
  }, 120_000);
});

test('the checks flag states that break the guidance (so a pass above means something)', () => {
  const chair = { ...cast.chair, isPresent: true };
  const mother = { ...cast.mother, isPresent: true };
  const police = { ...cast.police, isPresent: true };
  const yp = { ...cast.youngPerson, isPresent: true };
  const request: RecordingRequest = {
    requesterId: 'mother',
    reasons: [],
    purpose: '',
    timing: 'on-the-day',
    receivedVia: 'in-person',
    receivedAt: '2026-11-23T09:55:00+00:00',
  };
  const at = (value: StateValue, patch: Partial<MeetingContext>) =>
    meetingMachine.resolveState({
      value,
      context: {
        ...initialContext,
        meeting: { kind: 'meeting', title: 'A meeting', scheduledAt: request.receivedAt, place: '' },
        attendees: [chair, mother, police, yp],
        request,
        ...patch,
      },
    }) as MeetingSnapshot;
  const permitted: Outcome = { status: 'permitted', basis: 'all-agreed', ref: 'HCS 2.7' };
  const recording = (answers: MeetingContext['answers'], patch: Partial<MeetingContext> = {}) =>
    at({ discussing: 'recording' }, { answers, recording: 'on', outcome: permitted, ...patch });
  const started: DomainEvent = { type: 'meeting.started', payload: {} };
  const gone = { ...police, isPresent: false };

  // HCS 2.7 and 2.11: a present objector, and one who has left, both count.
  expect(hcs27(recording({ chair: 'agreed', police: 'declined', yp: 'agreed' }))).not.toBeNull();
  expect(
    hcs27(
      recording(
        { chair: 'agreed', police: 'declined', yp: 'agreed' },
        { attendees: [chair, mother, gone, yp] },
      ),
    ),
  ).not.toBeNull();
  expect(hcs27(recording({ chair: 'agreed', police: 'agreed', yp: 'agreed' }))).toBeNull();
  expect(hcs211(recording({ chair: 'agreed', police: 'agreed' }), started)).not.toBeNull();
  expect(
    hcs211(
      recording(
        { chair: 'agreed', police: 'authorisation-needed', yp: 'agreed' },
        { attendees: [chair, mother, gone, yp] },
      ),
      started,
    ),
  ).not.toBeNull();
  expect(hcs211(recording({ chair: 'agreed', police: 'agreed', yp: 'declined' }), started)).toBeNull();
  const back: DomainEvent = { type: 'attendee.returned', payload: { attendeeId: 'police' } };
  const stillOn = recording({ chair: 'agreed', police: 'agreed', yp: 'agreed' });
  expect(hcs211(stillOn, back, stillOn)).not.toBeNull();

  // No permission without an "agreed" answer.
  expect(permissionNeedsAnAnswer(at('ready', { answers: {}, outcome: permitted }))).not.toBeNull();
  expect(
    permissionNeedsAnAnswer(at('ready', { answers: { chair: 'agreed' }, outcome: permitted })),
  ).toBeNull();

  // The outcome sentence: "everyone agreed" or "permitted" beside a decline, "awaiting" hiding a decline,
  // a decliner not named.
  const withObjections = at('ready', {
    answers: { chair: 'agreed', police: 'declined', yp: 'authorisation-needed' },
    attendees: [chair, mother, gone, yp],
  }).context;
  const sentence = (o: Outcome, text = outcomeText(o, nameOf(withObjections))) =>
    outcomeSentenceProblem(withObjections, o, text);
  expect(sentence(permitted)).not.toBeNull();
  expect(
    sentence({
      status: 'awaiting-authorisation',
      basis: 'authorisation-needed',
      ref: 'HCS 2.8',
      awaitingIds: ['yp'],
    }),
  ).not.toBeNull();
  const notAll: Outcome = {
    status: 'not-permitted',
    basis: 'not-all-agreed',
    ref: 'HCS 2.8',
    declinedIds: ['police'],
    awaitingIds: ['yp'],
  };
  expect(sentence(notAll)).toBeNull();
  expect(sentence(notAll, 'Recording was not permitted: DC Anna Webb did not agree')).not.toBeNull();
  expect(sentence({ ...notAll, declinedIds: [] })).not.toBeNull();

  // The requester leaving while recording.
  const requesterGone = recording(
    { chair: 'agreed' },
    { attendees: [chair, { ...mother, isPresent: false }] },
  );
  expect(requesterLeavingStopsRecording(requesterGone, started)).not.toBeNull();
  expect(requesterLeavingStopsRecording(recording({ chair: 'agreed' }), started)).toBeNull();

  const banned = at('ready', {
    profileId: 'staffordshire-stoke',
    outcome: { status: 'not-permitted', basis: 'not-all-agreed', ref: 'SSLSCB' },
  });
  expect(sslscbNotice(banned)).not.toBeNull();
});

test('every state of the machine is reached by at least one path', () => {
  const reached = new Set(CONFIGS.flatMap((config) => [...phasesOf(exploration(config))]));
  for (const phase of ALL_PHASES) expect(reached, phase).toContain(phase);
});

// ---------------------------------------------------------------- HCS 2.9: can the meeting go on?

/**
 * The states of the explored graph from which a state in discussion can be reached without closing the
 * meeting: backwards from every state in discussion, along every edge but `meeting.closed`.
 */
function statesThatGoOn(x: Exploration): Set<string> {
  const into = new Map<string, string[]>();
  for (const { from, event, to } of x.edges) {
    if (event.type === 'meeting.closed') continue;
    const list = into.get(keyOf(to)) ?? [];
    list.push(keyOf(from));
    into.set(keyOf(to), list);
  }
  const goesOn = new Set([...x.states].filter(([, s]) => s.matches('discussing')).map(([key]) => key));
  const queue = [...goesOn];
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
    for (const before of into.get(key) ?? []) {
      if (goesOn.has(before)) continue;
      goesOn.add(before);
      queue.push(before);
    }
  }
  return goesOn;
}

/**
 * For a state the explored graph cannot vouch for (at the edge of its depth, or stuck): a breadth-first
 * witness search, never closing the meeting, until a state known to go on; every state on the witness
 * path is added. The model's few events are tried first, then every sample event (slower, but it stops
 * a narrow model from calling a state stuck).
 */
function canGoOn(from: MeetingSnapshot, config: MeetingConfig, goesOn: Set<string>): boolean {
  return (
    witness(from, eventsFor(config), goesOn) ||
    witness(
      from,
      eventsFor(config, (ctx, c) => sampleEvents(ctx, [c])),
      goesOn,
    )
  );
}

function witness(
  from: MeetingSnapshot,
  events: (s: MeetingSnapshot) => DomainEvent[],
  goesOn: Set<string>,
): boolean {
  const start = keyOf(from);
  const parent = new Map<string, string | null>([[start, null]]);
  let frontier: MeetingSnapshot[] = [from];
  let found: string | null = null;
  while (frontier.length > 0 && found === null && parent.size < 20_000) {
    const next: MeetingSnapshot[] = [];
    for (const s of frontier) {
      const key = keyOf(s);
      if (goesOn.has(key) || s.matches('discussing')) {
        found = key;
        break;
      }
      for (const ev of events(s)) {
        if (ev.type === 'meeting.closed' || !s.can(ev)) continue;
        const [to] = transition(meetingMachine, s, ev);
        const toKey = keyOf(to);
        if (parent.has(toKey)) continue;
        parent.set(toKey, key);
        next.push(to);
      }
    }
    frontier = next;
  }
  for (let key: string | null | undefined = found; key; key = parent.get(key)) goesOn.add(key);
  return found !== null;
}
