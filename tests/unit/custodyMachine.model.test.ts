/**
 * Model-based tests of who holds the tablet (issue 15): xstate/graph enumerates every state the custody
 * statechart reaches from each way a meeting can be opened (by the chair from home; after a reload with the
 * chair, an attendee or the signer holding the tablet), under every change of the meeting and every tap, and
 * takes the shortest path to each. Each path is run on a live actor whose `saveHolder` writes to a stand-in
 * for the settings table, and every step is checked against what the people at the table are owed: nobody
 * but the chair reaches the chair's screens, Cancel returns someone to their screen as they left it, Back
 * never leaves an open meeting, and a reload at any step gives the tablet back to whoever held it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createTestModel, type TestPath } from 'xstate/graph';
import type { Signature } from '../../src/domain/model';
import {
  type CustodyEvent,
  type CustodyInput,
  type CustodyScreen,
  type CustodySnapshot,
  custodyMachine,
  type MeetingView,
  type SavedCustody,
  screenOf,
} from '../../src/meeting/custodyMachine';

const MEETING = 'meeting-1';
const A = 'attendee-a';
const B = 'attendee-b';

const base: MeetingView = {
  asking: null,
  isRound: false,
  isSignable: false,
  isPaused: false,
  isClosed: false,
};
/** The meetings the machine is told about: the log's state as far as custody depends on it. */
const VIEWS = {
  preparing: base,
  roundWaiting: { ...base, isRound: true },
  askingA: { ...base, isRound: true, asking: A },
  askingB: { ...base, isRound: true, asking: B },
  undertaking: { ...base, isSignable: true },
  paused: { ...base, isPaused: true },
  pausedSignable: { ...base, isPaused: true, isSignable: true },
  closed: { ...base, isClosed: true },
} satisfies Record<string, MeetingView>;

const STROKES: Signature = {
  width: 400,
  height: 200,
  strokes: [
    [
      { x: 1, y: 1, t: 0 },
      { x: 90, y: 80, t: 40 },
    ],
  ],
} as unknown as Signature;

const TAPS: CustodyEvent[] = [
  { type: 'handOver' },
  { type: 'chair.requested' },
  { type: 'pin.cancelled' },
  { type: 'pin.unlocked' },
  { type: 'lock' },
  { type: 'idle' },
  { type: 'pause.seen' },
  { type: 'draft', signature: STROKES },
  { type: 'back' },
];

const eventsFor = (): CustodyEvent[] => [
  ...Object.values(VIEWS).map((view): CustodyEvent => ({ type: 'meeting.changed', view })),
  ...TAPS,
];

/** The ways a meeting is opened: by the chair from home, or at boot after a reload with someone holding it. */
const STARTS: Record<string, CustodyInput> = {
  'opened by the chair from home': { meetingId: MEETING, view: VIEWS.preparing, saved: null, lock: null },
  'reloaded with the chair holding it': {
    meetingId: MEETING,
    view: VIEWS.preparing,
    saved: { meetingId: MEETING, holder: 'chair', tookBackFrom: null },
    lock: 'start',
  },
  'reloaded while A answered': {
    meetingId: MEETING,
    view: VIEWS.askingA,
    saved: { meetingId: MEETING, holder: 'attendee', tookBackFrom: null },
    lock: 'start',
  },
  'reloaded after the chair took A’s turn back': {
    meetingId: MEETING,
    view: VIEWS.askingA,
    saved: { meetingId: MEETING, holder: 'chair', tookBackFrom: A },
    lock: 'start',
  },
  'reloaded while the requester signed': {
    meetingId: MEETING,
    view: VIEWS.undertaking,
    saved: { meetingId: MEETING, holder: 'signer', tookBackFrom: null },
    lock: 'start',
  },
  'reloaded with another meeting’s signer saved': {
    meetingId: MEETING,
    view: VIEWS.undertaking,
    saved: { meetingId: 'another', holder: 'signer', tookBackFrom: null },
    lock: 'start',
  },
};

type Path = TestPath<CustodySnapshot, CustodyEvent>;

const keyOf = (s: CustodySnapshot) =>
  JSON.stringify([
    s.value,
    s.context.view,
    s.context.tookBackFrom,
    s.context.draft !== null,
    s.context.hasSeenPause,
  ]);

const pathsOf = new Map<string, Path[]>();

beforeAll(() => {
  for (const [name, input] of Object.entries(STARTS)) {
    const traversal = { events: eventsFor, serializeState: keyOf, input };
    const model = createTestModel(custodyMachine, traversal);
    pathsOf.set(name, model.getShortestPaths(traversal) as unknown as Path[]);
  }
});

const isChairScreen = (screen: CustodyScreen) => screen.kind === 'chair' || screen.kind === 'pauseNotice';
const isSomeoneElses = (screen: CustodyScreen) => screen.kind === 'attendee' || screen.kind === 'signer';

/**
 * Runs each path on a live actor, and then each event once more from the state it reaches (so every
 * transition out of every reachable state is taken, not only those on a shortest path); `check` sees each
 * step with the state before and after and what was saved for a reload.
 */
function runPaths(
  check: (step: {
    event: CustodyEvent;
    before: CustodySnapshot;
    after: CustodySnapshot;
    saved: SavedCustody | null;
    path: string;
  }) => void,
) {
  for (const [name, paths] of pathsOf) {
    const input = STARTS[name] as CustodyInput;
    for (const path of paths) {
      const steps = path.steps.slice(1);
      for (const extra of [null, ...eventsFor()]) {
        let saved: SavedCustody | null = input.saved;
        const actor = createActor(
          custodyMachine.provide({
            actions: {
              saveHolder: ({ context }, holder) => {
                saved = { meetingId: context.meetingId, holder, tookBackFrom: context.tookBackFrom };
              },
            },
          }),
          { input },
        ).start();
        const events = [...steps.map((s) => s.event), ...(extra ? [extra] : [])];
        const label = `${name}: ${events.map((e) => (e.type === 'meeting.changed' ? `meeting(${JSON.stringify(e.view)})` : e.type)).join(' → ')}`;
        events.forEach((event, i) => {
          const before = actor.getSnapshot();
          actor.send(event);
          const after = actor.getSnapshot();
          const expected = steps[i];
          if (expected) expect(keyOf(after), label).toBe(keyOf(expected.state));
          if (extra === null || i === events.length - 1) check({ event, before, after, saved, path: label });
        });
        actor.stop();
      }
    }
  }
}

/** The state a reload of the tablet right now would start in: a new actor from what was saved. */
function reloaded(view: MeetingView, saved: SavedCustody | null): CustodySnapshot {
  const actor = createActor(custodyMachine, { input: { meetingId: MEETING, view, saved, lock: 'start' } });
  actor.start();
  const snapshot = actor.getSnapshot();
  actor.stop();
  return snapshot;
}

describe('who holds the tablet, on the shortest path to every state', () => {
  it('reaches every screen from the ways a meeting is opened', () => {
    const screens = new Set<string>();
    for (const input of Object.values(STARTS))
      screens.add(screenKey(screenOf(createActor(custodyMachine, { input }).getSnapshot())));
    for (const paths of pathsOf.values())
      for (const path of paths) for (const step of path.steps) screens.add(screenKey(screenOf(step.state)));
    expect([...screens].sort(), [...screens].sort().join()).toEqual(
      [
        'attendee',
        'attendee+pin',
        'chair',
        'left',
        'locked:chair',
        'locked:handback',
        'locked:idle',
        'locked:start',
        'pauseNotice',
        'signer',
        'signer+pin',
      ].sort(),
    );
  });

  it('the chair’s screens are reached from an attendee’s or signer’s screen only with the chair’s PIN', () => {
    let checked = 0;
    runPaths(({ event, before, after, path }) => {
      if (!isSomeoneElses(screenOf(before)) || !isChairScreen(screenOf(after))) return;
      checked += 1;
      expect(event.type, path).toBe('pin.unlocked');
      expect(screenOf(before), path).toMatchObject({ isPinUp: true });
    });
    expect(checked).toBeGreaterThan(0);
  });

  it('an answer or a signature written hands the tablet back to the chair behind the PIN', () => {
    let checked = 0;
    runPaths(({ event, before, after, path }) => {
      const was = screenOf(before);
      if (event.type !== 'meeting.changed' || !isSomeoneElses(was)) return;
      const isOver = was.kind === 'attendee' ? event.view.asking !== was.attendeeId : !event.view.isSignable;
      if (!isOver) return;
      checked += 1;
      const next = event.view.isRound ? event.view.asking : null;
      // The next person asked gets their own screen; otherwise the chair's PIN says to hand the tablet back.
      expect(screenOf(after), path).toEqual(
        next !== null
          ? { kind: 'attendee', attendeeId: next, isPinUp: false }
          : { kind: 'locked', reason: 'handback' },
      );
    });
    expect(checked).toBeGreaterThan(0);
  });

  it('Cancel (or Back) on the PIN returns the attendee or signer to their screen as they left it', () => {
    let checked = 0;
    runPaths(({ event, before, after, path }) => {
      const was = screenOf(before);
      if (!isSomeoneElses(was) || !('isPinUp' in was) || !was.isPinUp) return;
      if (event.type !== 'pin.cancelled' && event.type !== 'back') return;
      checked += 1;
      expect(screenOf(after), path).toEqual({ ...was, isPinUp: false });
      // The signer's strokes are still there to sign with.
      expect(after.context.draft, path).toBe(before.context.draft);
    });
    expect(checked).toBeGreaterThan(0);
  });

  it('Back never leaves an open meeting, and leaves a closed one only from the chair’s screens', () => {
    runPaths(({ event, before, after, path }) => {
      if (event.type !== 'back' || before.status === 'done') return;
      if (screenOf(after).kind === 'left') {
        expect(before.context.view.isClosed, path).toBe(true);
        expect(isChairScreen(screenOf(before)), path).toBe(true);
      } else if (!isSomeoneElses(screenOf(before))) {
        expect(screenOf(after), path).toEqual(screenOf(before));
      }
    });
  });

  it('a reload at any step returns whoever held the tablet to their own screen; the chair’s need the PIN', () => {
    let signers = 0;
    runPaths(({ after, saved, path }) => {
      const now = screenOf(after);
      if (now.kind === 'left') return;
      const again = screenOf(reloaded(after.context.view, saved));
      if (now.kind === 'attendee') {
        expect(again, path).toEqual({ kind: 'attendee', attendeeId: now.attendeeId, isPinUp: false });
      } else if (now.kind === 'signer') {
        signers += 1;
        expect(again, path).toEqual({ kind: 'signer', isPinUp: false });
      } else {
        expect(again, path).toEqual({ kind: 'locked', reason: 'start' });
      }
    });
    expect(signers).toBeGreaterThan(0);
  });

  it('a reload while signing starts the signature again: strokes are never saved', () => {
    const actor = createActor(custodyMachine, {
      input: {
        meetingId: MEETING,
        view: VIEWS.undertaking,
        saved: { meetingId: MEETING, holder: 'signer', tookBackFrom: null },
        lock: 'start',
      },
    }).start();
    expect(screenOf(actor.getSnapshot())).toEqual({ kind: 'signer', isPinUp: false });
    expect(actor.getSnapshot().context.draft).toBeNull();
    actor.stop();
  });
});

function screenKey(screen: CustodyScreen): string {
  if (screen.kind === 'locked') return `locked:${screen.reason}`;
  if (screen.kind === 'attendee' || screen.kind === 'signer')
    return screen.isPinUp ? `${screen.kind}+pin` : screen.kind;
  return screen.kind;
}
