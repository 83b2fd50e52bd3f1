/**
 * Model-based test of the meeting statechart for issue 18, "Interpreters and people not in the room", in the
 * style of machine.model.test.ts: xstate/graph enumerates the states a small cast reaches (a chair, Sarah Doe
 * asking to record, DC Anna Webb who may take part by phone, and an interpreter), with the new events (how
 * someone takes part, answers through the interpreter or relayed by the chair, both), and every state and
 * every transition of every shortest path is checked against the guidance and the product's decisions. The
 * minute entry of each path is read too: each answer line says how it was given, and only what was so.
 */
import { describe, expect, test } from 'vitest';
import { createTestModel, type TestPath } from 'xstate/graph';
import { type MeetingSnapshot, step } from '../../src/domain/engine';
import { type DomainEvent, EVENT_VERSION, type EventEnvelope, GENESIS_HASH } from '../../src/domain/events';
import { meetingMachine } from '../../src/domain/meetingMachine';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import type { Attendee } from '../../src/domain/model';
import { isRemote, type Participation } from '../../src/domain/participation';
import { attendeeById, isRequester, type MeetingContext } from '../../src/domain/rules';
import { handledTypes } from '../support/arbitraries';
import * as s from '../support/scenario';

const { people } = s;
const CAST: readonly Attendee[] = [people.chair, people.mother, people.police, people.interpreter];
const MAX_DEPTH = 17;

type Path = TestPath<MeetingSnapshot, DomainEvent>;
type AnswerEvent = Extract<DomainEvent, { type: 'consent.given' | 'consent.declined' }>;

const e = (type: DomainEvent['type'], payload: object) => ({ type, payload }) as DomainEvent;
const isAnswer = (ev: DomainEvent): ev is AnswerEvent =>
  ev.type === 'consent.given' || ev.type === 'consent.declined';

/** Every way an answer can be given: on the tablet, relayed, through the interpreter, both. */
const HOWS = [{}, s.relayed, s.through('pl'), { ...s.relayed, ...s.through('pl') }] as const;

/**
 * The events worth trying: the cast added in order (DC Anna Webb in the room or by phone); Sarah asks on
 * the day, is eligible and signs; each present person is asked in the cast's order and answers every way;
 * DC Anna Webb and Sarah move between the room and the phone (the chair is tried too, and refused); the
 * interpreter and DC Anna Webb leave and return; discussion, recording, its resumption, asking again,
 * confirming and closing. The machine decides what is legal.
 */
function events(snapshot: MeetingSnapshot): DomainEvent[] {
  if (snapshot.status === 'done') return [];
  const ctx = snapshot.context;
  if (ctx.meeting === null) return [s.opened('meeting')];
  const next = CAST.find((a) => !ctx.attendees.some((x) => x.id === a.id));
  if (next) return next.id === people.police.id ? [s.added(next), s.addedBy(next, 'phone')] : [s.added(next)];
  const toAsk = ctx.attendees.find(
    (a) => a.isPresent && !isRequester(ctx, a.id) && ctx.answers[a.id] === undefined,
  );
  const away = ctx.attendees.filter((a) => !a.isPresent).length;
  const moves = ctx.attendees.reduce((n, a) => n + (isRemote(a) ? 1 : 0), 0);
  const candidates: DomainEvent[] = [
    s.requested('mother', ctx.hasDiscussionStarted ? 'after-start' : 'on-the-day'),
    s.eligible(),
    s.signed('mother'),
    ...(toAsk ? [s.asked(toAsk.id)] : []),
    ...(ctx.asking
      ? HOWS.flatMap((how) => [
          e('consent.given', { attendeeId: ctx.asking, ...how }),
          ...(ctx.asking === people.police.id
            ? [e('consent.declined', { attendeeId: ctx.asking, reason: 'Ongoing inquiry.', ...how })]
            : []),
        ])
      : []),
    ...(['in-room', 'phone'] satisfies Participation[]).flatMap((by) =>
      [people.police.id, people.mother.id, people.chair.id].map((id) => s.takesPartBy(id, by)),
    ),
    ...(away === 0 && ctx.reviewCause === null && moves < 2
      ? [s.left(people.interpreter.id), s.left(people.police.id)]
      : []),
    ...(ctx.reviewCause === null ? [s.returned(people.interpreter.id), s.returned(people.police.id)] : []),
    ...s.screened(),
    s.alternativesOffered(),
    s.started,
    s.recordingStarted,
    s.recordingResumed,
    ...(ctx.outcome !== null && ctx.outcome.status !== 'permitted'
      ? [e('review.requested', { reason: 'The interpreter is back.' })]
      : []),
    ...(ctx.hasDiscussionStarted && ctx.recording !== 'on' ? s.confirmedAndClosed : []),
  ];
  const handled = handledTypes(snapshot);
  return candidates.filter((ev) => handled.has(ev.type));
}

function keyOf(snapshot: MeetingSnapshot): string {
  if (snapshot.status === 'done') return `done:${JSON.stringify(snapshot.value)}`;
  const { meeting: _m, children: _c, ...rest } = snapshot.context;
  return JSON.stringify([snapshot.value, rest]);
}

interface Edge {
  from: MeetingSnapshot;
  event: DomainEvent;
  to: MeetingSnapshot;
}

/**
 * The shortest paths, and every transition the traversal made (an answer relayed and the same answer
 * relayed through the interpreter lead to the same state, so only one of them is on a shortest path).
 */
function explore(): { paths: Path[]; edges: Edge[] } {
  const depth = new WeakMap<MeetingSnapshot, number>();
  const edges: Edge[] = [];
  const traversal = {
    events,
    serializeState: (state: MeetingSnapshot, event?: DomainEvent, prev?: MeetingSnapshot) => {
      if (!depth.has(state)) depth.set(state, prev ? (depth.get(prev) ?? 0) + 1 : 0);
      // The traversal also hands over events the machine refused (the state stays): those are no transition.
      if (prev && event && step(prev, event).ok) edges.push({ from: prev, event, to: state });
      return keyOf(state);
    },
    stopWhen: (state: MeetingSnapshot) => (depth.get(state) ?? 0) >= MAX_DEPTH,
  };
  return { paths: createTestModel(meetingMachine, traversal).getShortestPaths(traversal), edges };
}

const brief = (ev: DomainEvent): string => {
  const p = (ev.payload ?? {}) as { attendeeId?: string; takesPartBy?: string; relayedBy?: string };
  return [
    ev.type,
    p.attendeeId,
    p.takesPartBy,
    p.relayedBy ? 'relayed' : '',
    'interpreter' in p ? 'interp' : '',
  ]
    .filter(Boolean)
    .join(' ');
};

/** The events of the shortest path to each state, by its key. */
function routes(paths: readonly Path[]): Map<string, DomainEvent[]> {
  const to = new Map<string, DomainEvent[]>();
  for (const path of paths) {
    for (const [i, step] of path.steps.entries()) {
      const key = keyOf(step.state);
      const known = to.get(key);
      if (!known || known.length > i)
        to.set(
          key,
          path.steps.slice(1, i + 1).map((x) => x.event),
        );
    }
  }
  return to;
}

/** The first transition at which `check` finds a problem, as a readable repro; null when none does. */
function firstViolation(
  edges: readonly Edge[],
  route: Map<string, DomainEvent[]>,
  check: (before: MeetingContext, event: DomainEvent, after: MeetingContext) => string | null,
): string | null {
  for (const { from, event, to } of edges) {
    const problem = check(from.context, event, to.context);
    if (problem) return `${[...(route.get(keyOf(from)) ?? []), event].map(brief).join(' → ')} ⇒ ${problem}`;
  }
  return null;
}

/** The path's events as a log a minute apart (hashes left as zeros: the minute does not check the chain). */
function envelopes(events: readonly DomainEvent[]): EventEnvelope[] {
  const t0 = Date.parse('2026-11-23T09:00:00Z');
  return events.map((event, i) => ({
    ...event,
    v: EVENT_VERSION,
    id: `0193a1b2-0000-7000-8000-${String(i + 1).padStart(12, '0')}`,
    meetingId: s.MEETING_ID,
    deviceId: s.DEVICE_ID,
    seq: i + 1,
    at: new Date(t0 + i * 60_000).toISOString().replace('.000Z', '+00:00'),
    prevHash: GENESIS_HASH,
    hash: GENESIS_HASH,
  }));
}

describe('issue 18: the meeting machine with interpreters and people not in the room (model-based)', () => {
  const { paths, edges } = explore();
  const route = routes(paths);

  test('the model reaches relayed, interpreted and combined answers, and the recorder leaving the room', () => {
    const seen = new Set(edges.map((x) => brief(x.event)));
    expect(seen).toContain('consent.given police relayed');
    expect(seen).toContain('consent.given police relayed interp');
    expect(seen).toContain('consent.declined police relayed interp');
    expect(seen).toContain('consent.given chair interp');
    expect(seen).toContain('attendee.participation-changed mother phone');
    expect(edges.some((x) => x.to.context.pauseCause === 'requester-left')).toBe(true);
  });

  test('an answer is relayed by the chair exactly when the person answering is not in the room', () => {
    const problem = firstViolation(edges, route, (before, ev) => {
      if (!isAnswer(ev)) return null;
      const isAway = isRemote(attendeeById(before, ev.payload.attendeeId));
      if (isAway !== (ev.payload.relayedBy !== undefined))
        return isAway ? 'a remote answer not relayed' : 'an answer in the room said to be relayed';
      if (ev.payload.relayedBy !== undefined && ev.payload.relayedBy !== people.chair.id)
        return 'relayed by someone other than the chair';
      return null;
    });
    expect(problem).toBeNull();
  });

  test('an answer through an interpreter names an interpreter present when it was given', () => {
    const problem = firstViolation(edges, route, (before, ev) => {
      if (!isAnswer(ev) || !ev.payload.interpreter) return null;
      const i = attendeeById(before, ev.payload.interpreter.attendeeId);
      return i?.role === 'interpreter' && i.isPresent && i.id !== ev.payload.attendeeId
        ? null
        : 'an interpreter who was not there, or not an interpreter';
    });
    expect(problem).toBeNull();
  });

  test('the chair is always in the room', () => {
    const problem = firstViolation(edges, route, (_b, _ev, after) =>
      after.attendees.some((a) => a.role === 'chair' && isRemote(a)) ? 'the chair is not in the room' : null,
    );
    expect(problem).toBeNull();
  });

  test('decisions: recording is on only while a requester is in the room; leaving it for the phone pauses it', () => {
    const problem = firstViolation(edges, route, (before, ev, after) => {
      const inRoom = after.attendees.some((a) => isRequester(after, a.id) && a.isPresent && !isRemote(a));
      if (after.recording === 'on' && !inRoom)
        return 'recording while the person recording is not in the room';
      if (ev.type === 'attendee.participation-changed' && before.recording === 'on' && !inRoom)
        return after.recording === 'paused' && after.pauseCause === 'requester-left'
          ? null
          : 'the recorder left the room and recording did not pause as for leaving';
      return null;
    });
    expect(problem).toBeNull();
  });

  test('the undertaking is signed only by a requester in the room', () => {
    const problem = firstViolation(edges, route, (before, ev) =>
      ev.type === 'undertaking.signed' && isRemote(attendeeById(before, ev.payload.signerId))
        ? 'signed by someone not in the room'
        : null,
    );
    expect(problem).toBeNull();
  });

  test('HCS 2.10: each answer line of the minute says how it was given, and nothing else', () => {
    for (const { from, event } of edges) {
      if (!isAnswer(event)) continue;
      const evs = [...(route.get(keyOf(from)) ?? []), event];
      const text = renderMinuteText(minuteEntry(envelopes(evs)));
      const isAnswerLine = (l: string) =>
        /^\d\d:\d\d {2}(?!Recording was).*\) (agreed|did not agree)/.test(l);
      const line = text.split('\n').findLast(isAnswerLine) ?? '';
      const where = `${evs.map(brief).join(' → ')}: ${line}`;
      const by = attendeeById(from.context, event.payload.attendeeId)?.takesPartBy;
      expect(line.includes('relayed by the chair'), where).toBe(event.payload.relayedBy !== undefined);
      expect(line.includes(', by phone'), where).toBe(
        event.payload.relayedBy !== undefined && by === 'phone',
      );
      expect(line.includes('through the interpreter Maria Silva (Polish)'), where).toBe(
        event.payload.interpreter !== undefined,
      );
    }
  });
});
