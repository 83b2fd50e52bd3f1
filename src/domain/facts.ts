/**
 * How each fact changes what the meeting knows: a pure reducer over the context. The statechart decides
 * whether an event may happen; this says what it means once it has.
 */
import type { DomainEvent } from './events';
import type { Participation } from './participation';
import { understandingQuestionsOf } from './profiles';
import {
  type AttendeeState,
  deriveOutcome,
  isCoveredByAdvanceDecision,
  isPermissionInForce,
  isRequester,
  isRequesterPresent,
  type MeetingContext,
  profileOf,
  type ReviewCause,
  understandingOf,
} from './rules';

export function applyFact(ctx: MeetingContext, event: DomainEvent): MeetingContext {
  const next = applyOne(ctx, event);
  // The chair's confirmation is of the entry as it stood: any later fact but the closing needs another.
  return event.type === 'minute.confirmed' || event.type === 'meeting.closed' || !next.isMinuteConfirmed
    ? next
    : { ...next, isMinuteConfirmed: false };
}

function applyOne(ctx: MeetingContext, event: DomainEvent): MeetingContext {
  switch (event.type) {
    case 'meeting.opened':
      return {
        ...ctx,
        meeting: event.payload.meeting,
        profileId: event.payload.profileId,
        children: event.payload.subjectChildren,
      };
    case 'attendee.added':
      return {
        ...ctx,
        attendees: [
          ...ctx.attendees,
          {
            ...event.payload.attendee,
            ...(event.payload.isAbsent === true
              ? { isPresent: false, isExpected: true }
              : { isPresent: true }),
            ...takesPart(event.payload.takesPartBy),
          },
        ],
      };
    case 'attendee.joined':
      return {
        ...ctx,
        attendees: [
          ...ctx.attendees,
          { ...event.payload.attendee, isPresent: true, ...takesPart(event.payload.takesPartBy) },
        ],
      };
    case 'attendee.participation-changed': {
      const { attendeeId, takesPartBy } = event.payload;
      // Left the room for the phone or video: for the person recording, as when they leave.
      return pausedIfRecorderGone(ctx, attendeeId, {
        ...ctx,
        attendees: ctx.attendees.map((a) => (a.id === attendeeId ? { ...a, takesPartBy } : a)),
      });
    }
    case 'attendee.left': {
      const { attendeeId } = event.payload;
      return pausedIfRecorderGone(ctx, attendeeId, {
        ...ctx,
        attendees: ctx.attendees.map((a) => (a.id === attendeeId ? { ...a, isPresent: false } : a)),
        asking: ctx.asking === attendeeId ? null : ctx.asking,
      });
    }
    case 'attendee.returned': {
      const { attendeeId } = event.payload;
      const { [attendeeId]: _earlier, ...answers } = ctx.answers;
      // HCS 2.5: an invited attendee told of the request, arriving to a decision made in advance, is covered.
      const covered = isCoveredByAdvanceDecision(ctx, attendeeId);
      return {
        ...ctx,
        ...(covered ? { coveredInAdvance: { ...ctx.coveredInAdvance, [attendeeId]: true as const } } : {}),
        // Arrived (no longer expected) or back.
        attendees: ctx.attendees.map((a) => (a.id === attendeeId ? arrived(a) : a)),
        // Someone coming back is asked again where permission stands (HCS 2.11), like a newcomer.
        answers:
          isPermissionInForce(ctx) || (ctx.reviewCause === 'attendee-joined' && ctx.carried[attendeeId])
            ? answers
            : ctx.answers,
      };
    }
    case 'attendee.corrected': {
      const { attendeeId, ...fields } = event.payload;
      return {
        ...ctx,
        attendees: ctx.attendees.map((a) => (a.id === attendeeId ? { ...a, ...fields } : a)),
      };
    }
    case 'attendee.language-chosen': {
      const { attendeeId, language } = event.payload;
      return {
        ...ctx,
        attendees: ctx.attendees.map((a) => (a.id === attendeeId ? { ...a, language } : a)),
      };
    }
    case 'attendee.removed':
      return { ...ctx, attendees: ctx.attendees.filter((a) => a.id !== event.payload.attendeeId) };
    case 'request.made': {
      const { request } = event.payload;
      return {
        ...ctx,
        request,
        toldOfRequest: {},
        coveredInAdvance: {},
        eligibility: {},
        undertaking: {},
        understanding: {},
        answers: {},
        round: 1,
        asking: null,
        grounds: {},
        // An objection received from a PR holder who is not here still stands for a new request.
        isScreeningDone: false,
        decision: null,
        isAlternativesOffered: false,
        outcome: null,
        isWithdrawn: false,
        wasPermitted: false,
        concern: 'none',
        reviewCause: ctx.hasDiscussionStarted ? 'request-after-start' : 'request',
      };
    }
    case 'request.corrected':
      return ctx.request
        ? {
            ...ctx,
            request: {
              ...ctx.request,
              ...(event.payload.purpose !== undefined ? { purpose: event.payload.purpose } : {}),
              ...(event.payload.reasons !== undefined ? { reasons: event.payload.reasons } : {}),
            },
          }
        : ctx;
    case 'pr-holder.objected':
      return { ...ctx, absentPrObjections: ctx.absentPrObjections + 1 };
    case 'eligibility.confirmed':
    case 'eligibility.refused': {
      const id = event.payload.requesterId ?? ctx.request?.requesterId ?? '';
      const status = event.type === 'eligibility.confirmed' ? 'confirmed' : 'refused';
      return { ...ctx, eligibility: { ...ctx.eligibility, [id]: status } };
    }
    case 'undertaking.signed':
      return { ...ctx, undertaking: { ...ctx.undertaking, [event.payload.signerId]: 'signed' } };
    case 'undertaking.declined': {
      const undertaking = { ...ctx.undertaking, [event.payload.signerId]: 'declined' as const };
      // Declining after a decision made in advance: that decision no longer stands; the review that follows
      // records what it has become, and the other arrangements (HCS 1.3, 3.2).
      return ctx.outcome === null
        ? { ...ctx, undertaking }
        : {
            ...ctx,
            undertaking,
            outcome: null,
            wasPermitted: false,
            isAlternativesOffered: false,
            reviewCause: 'request',
          };
    }
    case 'understanding.answered': {
      const { signerId, textVersion, questionId, answerId } = event.payload;
      const check = understandingOf(ctx, signerId);
      const question = understandingQuestionsOf(profileOf(ctx), textVersion).find((q) => q.id === questionId);
      const isRight = question?.answers.find((a) => a.id === answerId)?.isRight === true;
      const next = {
        ...check,
        textVersion,
        attempts: { ...check.attempts, [questionId]: (check.attempts[questionId] ?? 0) + 1 },
        understood: isRight ? [...check.understood, questionId] : check.understood,
      };
      return { ...ctx, understanding: { ...ctx.understanding, [signerId]: next } };
    }
    case 'understanding.skipped': {
      const { signerId } = event.payload;
      const check = { ...understandingOf(ctx, signerId), skipped: true };
      return { ...ctx, understanding: { ...ctx.understanding, [signerId]: check } };
    }
    case 'consent.asked':
      return {
        ...ctx,
        asking: event.payload.attendeeId,
        tookPart: { ...ctx.tookPart, [event.payload.attendeeId]: true },
      };
    case 'consent.given':
      return answer(ctx, event.payload.attendeeId, 'agreed', event.payload);
    case 'consent.declined':
      return answer(ctx, event.payload.attendeeId, 'declined', event.payload);
    case 'consent.authorisation-needed':
      return answer(ctx, event.payload.attendeeId, 'authorisation-needed', event.payload);
    case 'ground.confirmed':
      return { ...ctx, grounds: { ...ctx.grounds, [event.payload.ground]: 'confirmed' } };
    case 'ground.dismissed':
      return { ...ctx, grounds: { ...ctx.grounds, [event.payload.ground]: 'dismissed' } };
    case 'screening.completed':
      return { ...ctx, isScreeningDone: true };
    case 'chair.decided':
      return { ...ctx, decision: event.payload.outcome };
    case 'alternatives.offered':
      return { ...ctx, isAlternativesOffered: true };
    case 'meeting.started':
      return { ...ctx, hasDiscussionStarted: true };
    case 'recording.started':
    case 'recording.resumed':
      return { ...ctx, recording: 'on', pauseCause: null };
    case 'recording.paused':
    case 'review.requested':
      return startReview(ctx, 'review');
    case 'recording.withdrawn':
      return { ...startReview(ctx, 'withdrawal'), recording: 'off', pauseCause: null, isWithdrawn: true };
    case 'concern.escalated':
      return { ...ctx, concern: 'escalated' };
    case 'concern.advice-received':
      return { ...ctx, concern: 'advised' };
    case 'minute.confirmed':
      return { ...ctx, isMinuteConfirmed: true };
    case 'meeting.closed':
    case 'meeting.discarded':
      return { ...ctx, recording: 'off', pauseCause: null, asking: null };
    case 'custody.claimed':
      return { ...ctx, isCustodyClaimed: true };
    case 'request.attendees-notified': {
      const told = Object.fromEntries((event.payload.attendeeIds ?? []).map((id) => [id, true as const]));
      return { ...ctx, toldOfRequest: { ...ctx.toldOfRequest, ...told } };
    }
    case 'request.outcome-confirmed':
    case 'covert-recording.suspected':
      return ctx;
  }
}

/** Here now: back, or arrived (an invited attendee is no longer expected). */
/**
 * The person recording is no longer in the room (they left, or moved to the phone or video), and their
 * device with them: recording stops until the chair resumes it.
 */
function pausedIfRecorderGone(
  before: MeetingContext,
  attendeeId: string,
  after: MeetingContext,
): MeetingContext {
  return isRequester(before, attendeeId) && before.recording === 'on' && !isRequesterPresent(after)
    ? { ...after, recording: 'paused', pauseCause: 'requester-left' }
    : after;
}

function arrived({ isExpected: _expected, ...attendee }: AttendeeState): AttendeeState {
  return { ...attendee, isPresent: true };
}
/** In the room is the default, left unsaid, so that a log without these fields reads as it always did. */
const takesPart = (by: Participation | undefined): { takesPartBy?: Participation } =>
  by && by !== 'in-room' ? { takesPartBy: by } : {};

function answer(
  ctx: MeetingContext,
  attendeeId: string,
  value: MeetingContext['answers'][string],
  how: { interpreter?: { attendeeId: string }; relayedBy?: string },
): MeetingContext {
  const { [attendeeId]: _answeredNow, ...carried } = ctx.carried;
  const after = { ...ctx, answers: { ...ctx.answers, [attendeeId]: value }, carried, asking: null };
  // The minute names the interpreter an answer came through and the chair who relayed it (issue 18).
  const through = [how.interpreter?.attendeeId, how.relayedBy].filter((id) => id !== undefined);
  return through.length === 0
    ? after
    : {
        ...after,
        answeredThrough: { ...ctx.answeredThrough, ...Object.fromEntries(through.map((id) => [id, true])) },
      };
}

/**
 * HCS 2.11: the meeting stops and permission is sought to continue. A newcomer is asked on top of the
 * answers already given; any other review asks everyone again, in a new round. Recording that was going
 * on is paused. A withdrawal keeps the answers: it leads to other arrangements, not to a new round.
 */
export function startReview(ctx: MeetingContext, cause: ReviewCause): MeetingContext {
  const isNewRound = cause === 'review';
  return {
    ...ctx,
    reviewCause: cause,
    answers: isNewRound ? {} : ctx.answers,
    // Asking everyone again asks those the decision made in advance covered, too.
    coveredInAdvance: isNewRound ? {} : ctx.coveredInAdvance,
    carried:
      cause === 'attendee-joined' ? Object.fromEntries(Object.keys(ctx.answers).map((id) => [id, true])) : {},
    round: isNewRound ? ctx.round + 1 : ctx.round,
    // A new round is screened afresh: a ground confirmed on the answers of the last round does not outlast them.
    grounds: isNewRound ? {} : ctx.grounds,
    asking: null,
    isScreeningDone: cause === 'attendee-joined' || cause === 'withdrawal' ? ctx.isScreeningDone : false,
    decision: cause === 'withdrawal' ? ctx.decision : null,
    isAlternativesOffered: false,
    outcome: null,
    isWithdrawn: cause === 'withdrawal' ? ctx.isWithdrawn : false,
    wasPermitted: isPermissionInForce(ctx) || (ctx.outcome === null && ctx.wasPermitted),
    recording: ctx.recording === 'on' ? 'paused' : ctx.recording,
    pauseCause: ctx.recording === 'on' ? 'review' : ctx.pauseCause,
  };
}

/** The review is over: the outcome is fixed, and recording that was paused stops if it is no longer permitted. */
export function finishReview(ctx: MeetingContext): MeetingContext {
  const outcome = deriveOutcome(ctx);
  const stops = ctx.recording === 'paused' && outcome.status !== 'permitted';
  return {
    ...ctx,
    outcome,
    reviewCause: null,
    asking: null,
    wasPermitted: false,
    recording: stops ? 'off' : ctx.recording,
    pauseCause: stops ? null : ctx.pauseCause,
  };
}
