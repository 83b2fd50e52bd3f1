/**
 * Model-based tests of the meeting statechart (DESIGN.md: "shortest paths to every state"). For each
 * meeting kind that matters and both policy profiles, xstate/graph enumerates every state the fixed cast
 * can reach (up to a depth), and every state of every shortest path is checked against the guidance.
 * States are told apart by their value and the context that decides what may follow, so the traversal
 * ends; a closed meeting is one state, since nothing follows it.
 */

import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { type StateValue, transition } from 'xstate';
import { createTestModel, type TestPath } from 'xstate/graph';
import { type MeetingSnapshot, phaseOf, step } from '../../src/domain/engine';
import { type DomainEvent, EVENT_VERSION, type EventEnvelope, GENESIS_HASH } from '../../src/domain/events';
import { type MeetingPhase, meetingMachine } from '../../src/domain/meetingMachine';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import { type Answer, PROFESSIONAL_ROLES } from '../../src/domain/model';
import { PROFILES } from '../../src/domain/profiles';
import { type AttendeeState, initialContext, type MeetingContext } from '../../src/domain/rules';
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
 * How many events deep each kind and profile is explored: deep enough for a join during recording, its
 * review (with the chair's decision again in a child protection conference) and the recording resumed.
 * HCS meetings take more steps (eligibility, screening, alternatives) than SSLSCB ones or conversations.
 */
const MAX_DEPTH: Record<string, number> = {
  'meeting/hertfordshire': 21,
  'meeting/staffordshire-stoke': 19,
  'child-protection-conference/hertfordshire': 23,
  'child-protection-conference/staffordshire-stoke': 19,
  'conversation/hertfordshire': 18,
  'conversation/staffordshire-stoke': 18,
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

const sortedEntries = (record: object) => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1));

/** Value plus the context that decides what may follow; names and titles are fixed by the cast. */
function keyOf(snapshot: MeetingSnapshot): string {
  if (snapshot.status === 'done') return 'closed';
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.attendees.map((a) => `${a.id}${a.isPresent ? '' : ' (left)'}`),
    c.request?.requesterId ?? null,
    c.request?.timing ?? null,
    c.eligibility,
    c.undertaking,
    sortedEntries(c.answers),
    c.asking,
    sortedEntries(c.grounds),
    c.isScreeningDone,
    c.decision,
    c.isAlternativesOffered,
    c.outcome,
    c.reviewCause,
    c.hasDiscussionStarted,
    c.recording,
  ]);
}

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

// ---------------------------------------------------------------- the guidance, as checks on one state

const isProfessional = (a: AttendeeState): boolean => PROFESSIONAL_ROLES.includes(a.role);
/** Everyone present but the requester, whose request is their answer (HCS 2.6). */
const asked = (ctx: MeetingContext): AttendeeState[] =>
  ctx.attendees.filter((a) => a.isPresent && a.id !== ctx.request?.requesterId);
const isPermissionProfile = (ctx: MeetingContext) =>
  PROFILES[ctx.profileId].decisionModel.value === 'permission';

function hcs27(state: MeetingSnapshot): string | null {
  const ctx = state.context;
  if (!isPermissionProfile(ctx)) return null;
  if (ctx.recording !== 'on' && ctx.outcome?.status !== 'permitted') return null;
  const notAgreed = asked(ctx).filter((a) => ctx.answers[a.id] !== 'agreed');
  if (notAgreed.length === 0) return null;
  // HCS 2.12: in a child protection conference the chair may permit it over professionals who declined.
  const isChairOverride =
    ctx.meeting?.kind === 'child-protection-conference' &&
    ctx.outcome?.basis === 'chair-decided' &&
    notAgreed.every((a) => isProfessional(a) && ctx.answers[a.id] === 'declined');
  if (isChairOverride) return null;
  return `recording=${ctx.recording}, outcome=${JSON.stringify(ctx.outcome)}, not agreed: ${notAgreed
    .map((a) => `${a.id}=${ctx.answers[a.id] ?? 'no answer'}`)
    .join(', ')}`;
}

function hcs211(state: MeetingSnapshot, event: DomainEvent, previous?: MeetingSnapshot): string | null {
  const ctx = state.context;
  if (
    event.type === 'attendee.joined' &&
    previous?.context.recording === 'on' &&
    ctx.recording !== 'paused'
  ) {
    return `recording was on; after the join it is "${ctx.recording}", not paused`;
  }
  if (ctx.recording !== 'on') return null;
  const unanswered = asked(ctx).filter((a) => ctx.answers[a.id] === undefined);
  return unanswered.length === 0
    ? null
    : `recording is on while ${unanswered.map((a) => a.id).join(', ')} has not answered`;
}

function sslscbNotice(state: MeetingSnapshot): string | null {
  const { outcome, profileId } = state.context;
  if (PROFILES[profileId].decisionModel.value !== 'notice' || outcome === null) return null;
  return outcome.status === 'permitted' || outcome.basis === 'withdrawn'
    ? null
    : `outcome ${outcome.status} (${outcome.basis}) under the notice model`;
}

/** The answer an event gives, if it is one (HCS 2.6, 2.8: agree, decline with a reason, or need more first). */
function answerIn(ev: DomainEvent): { attendeeId: string; answer: Answer; reason: string } | null {
  switch (ev.type) {
    case 'consent.given':
      return { attendeeId: ev.payload.attendeeId, answer: 'agreed', reason: '' };
    case 'consent.declined':
      return { attendeeId: ev.payload.attendeeId, answer: 'declined', reason: ev.payload.reason };
    case 'consent.authorisation-needed':
      return { attendeeId: ev.payload.attendeeId, answer: 'authorisation-needed', reason: ev.payload.detail };
    default:
      return null;
  }
}
const ANSWER_WORDING: Record<Answer, RegExp> = {
  agreed: /\bagreed\b/,
  declined: /not agree|declined/,
  'authorisation-needed': /authorisation/,
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
/** SSLSCB: anyone may ask, nothing is banned, but the undertaking is still signed. */
const SSLSCB_MEETING = [...COMMON, 'review.undertaking'];
const EXPECTED_PHASES: Record<string, readonly string[]> = {
  'meeting/hertfordshire': HCS_MEETING,
  'meeting/staffordshire-stoke': SSLSCB_MEETING,
  'child-protection-conference/hertfordshire': [...HCS_MEETING, 'review.decision'],
  'child-protection-conference/staffordshire-stoke': SSLSCB_MEETING,
  'conversation/hertfordshire': COMMON,
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
  }, 60_000);

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
  });

  test('HCS 2.7: under the permission profile recording is never on or permitted while a present attendee has not agreed', () => {
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
  });

  test('HCS 2.11: after a join, recording stays paused until the newcomer answers', () => {
    expect(violationsOnEveryState(x.paths, hcs211)).toEqual([]);
    // Not vacuous: someone joined while recording was on.
    const joinsWhileRecording = x.edges.filter(
      (e) => e.event.type === 'attendee.joined' && e.from.context.recording === 'on',
    );
    expect(joinsWhileRecording.length).toBeGreaterThan(0);
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
  });

  test('HCS 2.10: the minute entry mentions every answer given', () => {
    const problems: string[] = [];
    let answersChecked = 0;
    for (const path of x.paths) {
      // Each path ends at its own state, so its log holds every answer given on the way there; the minute
      // entry of a shorter log is the beginning of this one (it is a fold over the log).
      const events = eventsOf(path);
      const log = envelopes(events);
      const entry = minuteEntry(log);
      const lines = renderMinuteText(entry).split('\n');
      const answers = events.flatMap((ev, i) => {
        const answer = answerIn(ev);
        return answer ? [{ ...answer, event: ev, i }] : [];
      });
      for (const [n, { attendeeId, answer, reason, event, i }] of answers.entries()) {
        answersChecked += 1;
        const name = path.steps[i + 1]?.state.context.attendees.find((a) => a.id === attendeeId)?.name ?? '?';
        const time = log[i]?.at.slice(11, 16) ?? '';
        const line = lines.find((l) => l.startsWith(`${time} `) && l.includes(name)) ?? '';
        const saysIt = ANSWER_WORDING[answer].test(line) && line.includes(reason.trim());
        const recorded = entry.answers[n];
        const isListed = recorded?.attendeeId === attendeeId && recorded.answer === answer;
        if (!saysIt || !isListed) {
          problems.push(`${brief(event)} at ${time} is not in the minutes of: ${describePath(events)}`);
        }
      }
      if (problems.length > 0) break;
    }
    expect(problems).toEqual([]);
    expect(answersChecked).toBeGreaterThan(x.paths.length);
  });
});

test('the checks flag states that break the guidance (so a pass above means something)', () => {
  const chair = { ...cast.chair, isPresent: true };
  const police = { ...cast.police, isPresent: true };
  const yp = { ...cast.youngPerson, isPresent: true };
  const at = (value: StateValue, patch: Partial<MeetingContext>) =>
    meetingMachine.resolveState({
      value,
      context: { ...initialContext, attendees: [chair, police, yp], ...patch },
    }) as MeetingSnapshot;
  const recording = (answers: MeetingContext['answers']) =>
    at(
      { discussing: 'recording' },
      { answers, recording: 'on', outcome: { status: 'permitted', basis: 'all-agreed', ref: 'HCS 2.7' } },
    );
  const started: DomainEvent = { type: 'meeting.started', payload: {} };
  expect(hcs27(recording({ chair: 'agreed', police: 'declined', yp: 'agreed' }))).not.toBeNull();
  expect(hcs27(recording({ chair: 'agreed', police: 'agreed', yp: 'agreed' }))).toBeNull();
  expect(hcs211(recording({ chair: 'agreed', police: 'agreed' }), started)).not.toBeNull();
  expect(hcs211(recording({ chair: 'agreed', police: 'agreed', yp: 'declined' }), started)).toBeNull();
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
