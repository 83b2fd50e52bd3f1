/**
 * The meeting statechart (XState v5). It enforces the order of the guidance; the content of each event
 * is checked by the pure rules in rules.ts, and what an event means is applied by facts.ts.
 *
 *   new -> preparing -> [review] -> ready -> discussing -> closed
 *                          ^                    |
 *                          +--------------------+  (HCS 2.11: a request after the start, a newcomer, a review)
 *
 * A review walks: eligibility (1.3) -> undertaking (1.3, 3.3) -> round (2.6) -> screening (1.4)
 * -> decision (2.12) -> alternatives (3.2), skipping the steps its profile and meeting kind do not need.
 */
import { and, assign, setup } from 'xstate';
import type { DomainEvent } from './events';
import { applyFact, finishReview, startReview } from './facts';
import {
  checkEvent,
  initialContext,
  isCoveredByAdvanceDecision,
  isPermissionInForce,
  isRequester,
  type MeetingContext,
  nextReviewStep,
} from './rules';

const valid = ({ context, event }: { context: MeetingContext; event: DomainEvent }) =>
  checkEvent(context, event) === null;

const stepIs =
  (step: ReturnType<typeof nextReviewStep>) =>
  ({ context }: { context: MeetingContext }) =>
    nextReviewStep(context) === step;

/** Facts the chair can record at any step before the meeting closes: corrections, and who is in the room. */
const corrections = {
  'attendee.corrected': { guard: 'valid', actions: 'apply' },
  'attendee.removed': { guard: 'valid', actions: 'apply' },
  /** An attendee's choice of language for their own screens (issue 18): at any step, changing no step. */
  'attendee.language-chosen': { guard: 'valid', actions: 'apply' },
  'request.corrected': { guard: 'valid', actions: 'apply' },
  'covert-recording.suspected': { actions: 'apply' },
  'concern.escalated': { guard: 'valid', actions: 'apply' },
  'concern.advice-received': { guard: 'valid', actions: 'apply' },
} as const;

export const meetingMachine = setup({
  types: {
    context: {} as MeetingContext,
    events: {} as DomainEvent,
  },
  guards: {
    valid,
    permissionInForce: ({ context }) => isPermissionInForce(context),
    recordingOn: ({ context }) => context.recording === 'on',
    recordingPaused: ({ context }) => context.recording === 'paused',
    hasDiscussionStarted: ({ context }) => context.hasDiscussionStarted,
    /**
     * Someone who returns is asked again, unless they are the person asking to record, or an invited
     * attendee told of a request decided in advance, arriving before the discussion (HCS 2.5, 2.11).
     */
    isReturnerAsked: ({ context, event }) =>
      event.type === 'attendee.returned' &&
      !isRequester(context, event.payload.attendeeId) &&
      !isCoveredByAdvanceDecision(context, event.payload.attendeeId),
    stepEligibility: stepIs('eligibility'),
    stepUndertaking: stepIs('undertaking'),
    stepRound: stepIs('round'),
    stepScreening: stepIs('screening'),
    stepDecision: stepIs('decision'),
    stepAlternatives: stepIs('alternatives'),
  },
  actions: {
    apply: assign(({ context, event }) => applyFact(context, event)),
    startJoinReview: assign(({ context }) => startReview(context, 'attendee-joined')),
    finishReview: assign(({ context }) => finishReview(context)),
  },
}).createMachine({
  id: 'meeting',
  initial: 'new',
  context: initialContext,
  states: {
    new: {
      on: { 'meeting.opened': { guard: 'valid', target: 'preparing', actions: 'apply' } },
    },
    preparing: {
      on: {
        ...corrections,
        'attendee.added': { guard: 'valid', actions: 'apply' },
        'attendee.left': { guard: 'valid', actions: 'apply' },
        'attendee.returned': { guard: 'valid', actions: 'apply' },
        'attendee.participation-changed': { guard: 'valid', actions: 'apply' },
        'request.made': { guard: 'valid', target: 'review', actions: 'apply' },
        'meeting.started': { target: 'discussing', actions: 'apply' },
        'minute.confirmed': { guard: 'valid', actions: 'apply' },
        'meeting.closed': { guard: 'valid', target: 'closed', actions: 'apply' },
        'meeting.discarded': { guard: 'valid', target: 'discarded', actions: 'apply' },
        'custody.claimed': { guard: 'valid', actions: 'apply' },
      },
    },
    review: {
      initial: 'routing',
      on: {
        ...corrections,
        'attendee.corrected': { guard: 'valid', target: '.routing', actions: 'apply' },
        'attendee.removed': { guard: 'valid', target: '.routing', actions: 'apply' },
        'attendee.added': {
          guard: and(['valid', ({ context }) => !context.hasDiscussionStarted]),
          target: '.routing',
          actions: 'apply',
        },
        'attendee.joined': {
          guard: and(['valid', 'hasDiscussionStarted']),
          target: '.routing',
          actions: 'apply',
        },
        'attendee.left': { guard: 'valid', target: '.routing', actions: 'apply' },
        'attendee.returned': { guard: 'valid', target: '.routing', actions: 'apply' },
        'attendee.participation-changed': { guard: 'valid', target: '.routing', actions: 'apply' },
        'pr-holder.objected': { guard: 'valid', target: '.routing', actions: 'apply' },
        'request.attendees-notified': { guard: 'valid', actions: 'apply' },
        'recording.withdrawn': { guard: 'valid', target: '.routing', actions: 'apply' },
        // No closing in the middle of a review: its outcome is recorded first (HCS 2.10, 3.2).
        'meeting.discarded': { guard: 'valid', target: 'discarded', actions: 'apply' },
        // A meeting prepared in the office may be taken over in the middle of its advance review.
        'custody.claimed': { guard: 'valid', actions: 'apply' },
      },
      states: {
        routing: {
          always: [
            { guard: 'stepEligibility', target: 'eligibility' },
            { guard: 'stepUndertaking', target: 'undertaking' },
            { guard: 'stepRound', target: 'round' },
            { guard: 'stepScreening', target: 'screening' },
            { guard: 'stepDecision', target: 'decision' },
            { guard: 'stepAlternatives', target: 'alternatives' },
            { target: 'done' },
          ],
        },
        eligibility: {
          on: {
            'eligibility.confirmed': { guard: 'valid', target: 'routing', actions: 'apply' },
            'eligibility.refused': { guard: 'valid', target: 'routing', actions: 'apply' },
          },
        },
        undertaking: {
          on: {
            'understanding.answered': { guard: 'valid', actions: 'apply' },
            'understanding.skipped': { guard: 'valid', actions: 'apply' },
            'undertaking.signed': { guard: 'valid', target: 'routing', actions: 'apply' },
            'undertaking.declined': { guard: 'valid', target: 'routing', actions: 'apply' },
          },
        },
        round: {
          on: {
            'consent.asked': { guard: 'valid', actions: 'apply' },
            'consent.given': { guard: 'valid', target: 'routing', actions: 'apply' },
            'consent.declined': { guard: 'valid', target: 'routing', actions: 'apply' },
            'consent.authorisation-needed': { guard: 'valid', target: 'routing', actions: 'apply' },
          },
        },
        screening: {
          on: {
            'ground.confirmed': { guard: 'valid', actions: 'apply' },
            'ground.dismissed': { guard: 'valid', actions: 'apply' },
            'screening.completed': { guard: 'valid', target: 'routing', actions: 'apply' },
          },
        },
        decision: {
          on: { 'chair.decided': { guard: 'valid', target: 'routing', actions: 'apply' } },
        },
        alternatives: {
          on: { 'alternatives.offered': { guard: 'valid', target: 'routing', actions: 'apply' } },
        },
        done: {
          always: [
            { guard: 'hasDiscussionStarted', target: '#meeting.discussing', actions: 'finishReview' },
            { target: '#meeting.ready', actions: 'finishReview' },
          ],
        },
      },
    },
    ready: {
      on: {
        ...corrections,
        'attendee.added': [
          {
            guard: and(['valid', 'permissionInForce']),
            target: 'review',
            actions: ['apply', 'startJoinReview'],
          },
          { guard: 'valid', actions: 'apply' },
        ],
        'attendee.left': { guard: 'valid', actions: 'apply' },
        'attendee.participation-changed': { guard: 'valid', actions: 'apply' },
        'attendee.returned': [
          {
            guard: and(['valid', 'permissionInForce', 'isReturnerAsked']),
            target: 'review',
            actions: ['apply', 'startJoinReview'],
          },
          { guard: 'valid', actions: 'apply' },
        ],
        /** HCS 2.6: after a request that did not lead to recording, someone may still ask before discussion. */
        'request.made': { guard: 'valid', target: 'review', actions: 'apply' },
        'request.attendees-notified': { guard: 'valid', actions: 'apply' },
        'request.outcome-confirmed': { guard: 'valid', actions: 'apply' },
        'review.requested': { guard: 'valid', target: 'review', actions: 'apply' },
        'recording.withdrawn': { guard: 'valid', target: 'review', actions: 'apply' },
        // A request decided in advance: the requester signs once here (HCS 2.5, 1.3); declining ends it.
        'understanding.answered': { guard: 'valid', actions: 'apply' },
        'understanding.skipped': { guard: 'valid', actions: 'apply' },
        'undertaking.signed': { guard: 'valid', actions: 'apply' },
        'undertaking.declined': { guard: 'valid', target: 'review', actions: 'apply' },
        'meeting.started': { target: 'discussing', actions: 'apply' },
        'minute.confirmed': { guard: 'valid', actions: 'apply' },
        'meeting.closed': { guard: 'valid', target: 'closed', actions: 'apply' },
        'meeting.discarded': { guard: 'valid', target: 'discarded', actions: 'apply' },
        'custody.claimed': { guard: 'valid', actions: 'apply' },
      },
    },
    discussing: {
      initial: 'routing',
      on: {
        ...corrections,
        'request.made': { guard: 'valid', target: 'review', actions: 'apply' },
        'attendee.joined': [
          {
            guard: and(['valid', 'permissionInForce']),
            target: 'review',
            actions: ['apply', 'startJoinReview'],
          },
          { guard: 'valid', actions: 'apply' },
        ],
        // The person recording may leave (recording stops with them) or come back: the state follows.
        'attendee.left': { guard: 'valid', target: '.routing', actions: 'apply' },
        // Moving between the room and the phone or video: the person recording leaving the room stops it.
        'attendee.participation-changed': { guard: 'valid', target: '.routing', actions: 'apply' },
        'attendee.returned': [
          {
            guard: and(['valid', 'permissionInForce', 'isReturnerAsked']),
            target: 'review',
            actions: ['apply', 'startJoinReview'],
          },
          { guard: 'valid', target: '.routing', actions: 'apply' },
        ],
        'request.outcome-confirmed': { guard: 'valid', actions: 'apply' },
        'recording.withdrawn': { guard: 'valid', target: 'review', actions: 'apply' },
        // A requester decided in advance who arrives after the start signs here (HCS 2.5, 1.3).
        'understanding.answered': { guard: 'valid', actions: 'apply' },
        'understanding.skipped': { guard: 'valid', actions: 'apply' },
        'undertaking.signed': { guard: 'valid', actions: 'apply' },
        'undertaking.declined': { guard: 'valid', target: 'review', actions: 'apply' },
        'minute.confirmed': { guard: 'valid', actions: 'apply' },
        'meeting.closed': { guard: 'valid', target: 'closed', actions: 'apply' },
      },
      states: {
        routing: {
          always: [
            { guard: 'recordingOn', target: 'recording' },
            { guard: 'recordingPaused', target: 'paused' },
            { target: 'notRecording' },
          ],
        },
        notRecording: {
          on: {
            'recording.started': { guard: 'valid', target: 'routing', actions: 'apply' },
            'review.requested': { guard: 'valid', target: '#meeting.review', actions: 'apply' },
          },
        },
        recording: {
          on: {
            'recording.paused': { guard: 'valid', target: '#meeting.review', actions: 'apply' },
          },
        },
        /** Permission stands but recording is paused (after a review, or the person recording left). */
        paused: {
          on: {
            'recording.resumed': { guard: 'valid', target: 'routing', actions: 'apply' },
            'review.requested': { guard: 'valid', target: '#meeting.review', actions: 'apply' },
          },
        },
      },
    },
    closed: { type: 'final' },
    /** Opened in error: not a meeting's record, and never listed as a closed meeting. */
    discarded: { type: 'final' },
  },
});

export type MeetingMachine = typeof meetingMachine;

/** The statechart's states, named for screens and for messages. */
export type MeetingPhase =
  | 'new'
  | 'preparing'
  | 'review.eligibility'
  | 'review.undertaking'
  | 'review.round'
  | 'review.screening'
  | 'review.decision'
  | 'review.alternatives'
  | 'ready'
  | 'discussing.notRecording'
  | 'discussing.recording'
  | 'discussing.paused'
  | 'closed'
  | 'discarded';
