/**
 * Who holds the tablet during a meeting, as a statechart: the chair, an attendee answering, the requester
 * signing the undertaking, or nobody (the chair's PIN). The meeting's log decides whose turn it is (the
 * machine is told of each change with `meeting.changed`); the people at the table decide the rest (handing
 * over, "Chair: take the tablet back", Cancel, the PIN, Lock, inactivity, Back).
 *
 * Rules the screens rely on:
 * - An attendee's or signer's screen reaches nothing of the chair's: leaving it takes the PIN, and Cancel on
 *   that PIN returns them to their screen as they left it (the signer's strokes are kept in `draft`).
 * - When an answer or a signature has been written, the tablet goes back to the chair behind the PIN.
 * - The holder is saved with the meeting (`saveHolder`, a setting): a reload returns whoever held the tablet
 *   to their own screen. The signer starts their signature again (strokes are never saved), and only the
 *   chair's screens need the PIN.
 * - Back never leaves an open meeting and never reaches the chair's screens from someone else's: on the PIN
 *   over someone's screen it is Cancel; elsewhere it stays, except on a closed meeting's minutes (`left`).
 */
import { assign, type SnapshotFrom, setup } from 'xstate';
import { type MeetingSnapshot, phaseOf } from '../domain/engine';
import type { Signature } from '../domain/model';
import { requesterAwaitingUndertaking } from '../domain/rules';
import type { LockReason } from '../shell/Lock';
import type { Holder, SavedCustody } from '../storage/custody';

export type { Holder, SavedCustody };

/** What the machine needs to know of the meeting. */
export interface MeetingView {
  /** Someone is being asked in the round (the log's `asking`), or null. */
  asking: string | null;
  isRound: boolean;
  /** The requester has an undertaking to sign now. */
  isSignable: boolean;
  /** Recording is paused for a review (the chair is told once). */
  isPaused: boolean;
  isClosed: boolean;
}

export function viewOf(snapshot: MeetingSnapshot): MeetingView {
  const phase = phaseOf(snapshot);
  const ctx = snapshot.context;
  return {
    asking: ctx.asking,
    isRound: phase === 'review.round',
    // The requester signs at the undertaking step, or, for a request decided in advance, once they are here.
    isSignable:
      requesterAwaitingUndertaking(ctx) !== null &&
      (phase === 'review.undertaking' || phase === 'ready' || phase.startsWith('discussing')),
    isPaused: ctx.recording === 'paused' && ctx.pauseCause === 'review' && phase.startsWith('review'),
    isClosed: phase === 'closed' || phase === 'discarded',
  };
}

export interface CustodyInput {
  meetingId: string;
  view: MeetingView;
  /** What was saved before a reload (ignored when it is another meeting's). */
  saved: SavedCustody | null;
  /** The chair's PIN is needed before their screens show (after a reload), or null (the chair opened it). */
  lock: LockReason | null;
}

export interface CustodyContext {
  meetingId: string;
  view: MeetingView;
  tookBackFrom: string | null;
  /** Why the chair's PIN is asked for; null when the chair opened the meeting (no PIN at the start). */
  lockReason: LockReason | null;
  /** The signer's strokes while the chair's PIN is up over their screen (memory only, never saved). */
  draft: Signature | null;
  hasSeenPause: boolean;
  /** Where the machine started: the saved holder, for the initial choice. */
  restored: Holder | null;
}

export type CustodyEvent =
  | { type: 'meeting.changed'; view: MeetingView }
  | { type: 'handOver' }
  | { type: 'chair.requested' }
  | { type: 'pin.cancelled' }
  | { type: 'pin.unlocked' }
  | { type: 'lock' }
  | { type: 'idle' }
  | { type: 'pause.seen' }
  | { type: 'draft'; signature: Signature | null }
  | { type: 'back' };

const isTurnOf = (view: MeetingView, tookBackFrom: string | null) =>
  view.isRound && view.asking !== null && view.asking !== tookBackFrom;

const viewIn = (context: CustodyContext, event: CustodyEvent) =>
  event.type === 'meeting.changed' ? event.view : context.view;

export const custodyMachine = setup({
  types: {} as { context: CustodyContext; events: CustodyEvent; input: CustodyInput },
  guards: {
    /** Someone is being asked and the chair has not taken their turn back. */
    isAttendeeTurn: ({ context, event }) => isTurnOf(viewIn(context, event), context.tookBackFrom),
    isNoLongerAttendeeTurn: ({ context, event }) => !isTurnOf(viewIn(context, event), context.tookBackFrom),
    isAnotherAttendee: ({ context, event }) =>
      event.type === 'meeting.changed' && event.view.asking !== context.view.asking,
    isSignable: ({ context, event }) => viewIn(context, event).isSignable,
    isNotSignable: ({ context, event }) => !viewIn(context, event).isSignable,
    wasSigning: ({ context }) => context.restored === 'signer' && context.view.isSignable,
    isChairLocked: ({ context }) => context.lockReason !== null,
    isPauseUnseen: ({ context }) => context.view.isPaused && !context.hasSeenPause,
    isClosed: ({ context }) => context.view.isClosed,
  },
  actions: {
    takeView: assign(({ context, event }) => {
      if (event.type !== 'meeting.changed') return {};
      const { view } = event;
      return {
        view,
        // A turn taken back is forgotten once someone else (or nobody) is asked.
        tookBackFrom: view.asking === context.tookBackFrom ? context.tookBackFrom : null,
        hasSeenPause: view.isPaused ? context.hasSeenPause : false,
      };
    }),
    lockFor: assign((_, reason: LockReason) => ({ lockReason: reason })),
    takeBack: assign(({ context }) => ({
      tookBackFrom: context.view.asking,
      draft: null,
    })),
    keepDraft: assign(({ event }) => (event.type === 'draft' ? { draft: event.signature } : {})),
    dropDraft: assign({ draft: null }),
    markPauseSeen: assign({ hasSeenPause: true }),
    /** Writes who holds the tablet with the meeting; provided by the app (a setting), a spy in tests. */
    saveHolder: (_, _holder: Holder) => undefined,
  },
}).createMachine({
  id: 'custody',
  context: ({ input }) => ({
    meetingId: input.meetingId,
    view: input.view,
    tookBackFrom: input.saved?.meetingId === input.meetingId ? input.saved.tookBackFrom : null,
    lockReason: input.lock,
    draft: null,
    hasSeenPause: false,
    restored: input.saved?.meetingId === input.meetingId ? input.saved.holder : null,
  }),
  initial: 'starting',
  states: {
    /** A reload returns whoever held the tablet to their own screen; the chair's screens need the PIN. */
    starting: {
      always: [
        { guard: 'isAttendeeTurn', target: 'attendee' },
        { guard: 'wasSigning', target: 'signer' },
        { guard: 'isChairLocked', target: 'locked' },
        { target: 'chair' },
      ],
    },
    chair: {
      entry: [{ type: 'saveHolder', params: 'chair' }],
      initial: 'entering',
      on: {
        'meeting.changed': [
          { guard: 'isAttendeeTurn', target: 'attendee', actions: 'takeView' },
          // Recording paused for a review shows its notice (once); it goes when the pause ends.
          { target: '.entering', actions: 'takeView' },
        ],
        handOver: { guard: 'isSignable', target: 'signer' },
        lock: { target: 'locked', actions: { type: 'lockFor', params: 'chair' } },
        idle: { target: 'locked', actions: { type: 'lockFor', params: 'idle' } },
        back: { guard: 'isClosed', target: 'left' },
      },
      states: {
        entering: {
          always: [{ guard: 'isPauseUnseen', target: 'pauseNotice' }, { target: 'working' }],
        },
        working: {},
        /** Recording was paused for a review: the chair is told once before their screen. */
        pauseNotice: {
          on: { 'pause.seen': { target: 'working', actions: 'markPauseSeen' } },
        },
      },
    },
    /** The chair's PIN over the chair's screens (at the start, after inactivity, Lock, after a hand-back). */
    locked: {
      entry: [{ type: 'saveHolder', params: 'chair' }],
      on: {
        'meeting.changed': [
          { guard: 'isAttendeeTurn', target: 'attendee', actions: 'takeView' },
          { actions: 'takeView' },
        ],
        // The chair holds the tablet now: a turn still open is theirs to hand over again.
        'pin.unlocked': { target: 'chair', actions: 'takeBack' },
      },
    },
    /** An attendee answers their question; nothing here reaches the chair's screens. */
    attendee: {
      entry: [{ type: 'saveHolder', params: 'attendee' }],
      initial: 'answering',
      on: {
        'meeting.changed': [
          {
            guard: 'isNoLongerAttendeeTurn',
            target: 'locked',
            actions: ['takeView', { type: 'lockFor', params: 'handback' }],
          },
          { guard: 'isAnotherAttendee', target: 'attendee', reenter: true, actions: 'takeView' },
          { actions: 'takeView' },
        ],
      },
      states: {
        answering: { on: { 'chair.requested': 'pin' } },
        /** "Chair: take the tablet back": the PIN, or Cancel (or Back) to the question as it was left. */
        pin: {
          on: {
            'pin.cancelled': 'answering',
            back: 'answering',
            'pin.unlocked': { target: '#custody.chair', actions: 'takeBack' },
          },
        },
      },
    },
    /** The requester reads and signs the undertaking. */
    signer: {
      entry: [{ type: 'saveHolder', params: 'signer' }],
      exit: 'dropDraft',
      initial: 'signing',
      on: {
        'meeting.changed': [
          { guard: 'isAttendeeTurn', target: 'attendee', actions: 'takeView' },
          {
            guard: 'isNotSignable',
            target: 'locked',
            actions: ['takeView', { type: 'lockFor', params: 'handback' }],
          },
          { actions: 'takeView' },
        ],
      },
      states: {
        signing: { on: { 'chair.requested': 'pin', draft: { actions: 'keepDraft' } } },
        pin: {
          on: {
            'pin.cancelled': 'signing',
            back: 'signing',
            'pin.unlocked': { target: '#custody.chair', actions: 'takeBack' },
          },
        },
      },
    },
    /** Back on a closed meeting's minutes: the chair goes home. */
    left: { type: 'final' },
  },
});

export type CustodySnapshot = SnapshotFrom<typeof custodyMachine>;

/** The screen to show, as the meeting's screens read it with useSelector. */
export type CustodyScreen =
  | { kind: 'chair' }
  | { kind: 'pauseNotice' }
  | { kind: 'locked'; reason: LockReason }
  | { kind: 'attendee'; attendeeId: string; isPinUp: boolean }
  | { kind: 'signer'; isPinUp: boolean }
  | { kind: 'left' };

export function screenOf(snapshot: CustodySnapshot): CustodyScreen {
  const { context } = snapshot;
  if (snapshot.matches({ attendee: 'answering' }) || snapshot.matches({ attendee: 'pin' }))
    return {
      kind: 'attendee',
      attendeeId: context.view.asking ?? '',
      isPinUp: snapshot.matches({ attendee: 'pin' }),
    };
  if (snapshot.matches('signer')) return { kind: 'signer', isPinUp: snapshot.matches({ signer: 'pin' }) };
  if (snapshot.matches('locked')) return { kind: 'locked', reason: context.lockReason ?? 'chair' };
  if (snapshot.matches({ chair: 'pauseNotice' })) return { kind: 'pauseNotice' };
  if (snapshot.matches('left')) return { kind: 'left' };
  return { kind: 'chair' };
}

/** Screens compare by what they show, so a change elsewhere in the context does not re-render them. */
export function isSameScreen(a: CustodyScreen, b: CustodyScreen): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
