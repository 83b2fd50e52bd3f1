/**
 * How each fact changes what the meeting knows: a pure reducer over the context. The statechart decides
 * whether an event may happen; this says what it means once it has.
 */
import type { DomainEvent } from './events';
import { deriveOutcome, type MeetingContext, profileOf, type ReviewCause } from './rules';

export function applyFact(ctx: MeetingContext, event: DomainEvent): MeetingContext {
  switch (event.type) {
    case 'meeting.opened':
      return {
        ...ctx,
        meeting: event.payload.meeting,
        profileId: event.payload.profileId,
        children: event.payload.subjectChildren,
      };
    case 'attendee.added':
    case 'attendee.joined':
      return { ...ctx, attendees: [...ctx.attendees, { ...event.payload.attendee, isPresent: true }] };
    case 'attendee.left': {
      const { attendeeId } = event.payload;
      return {
        ...ctx,
        attendees: ctx.attendees.map((a) => (a.id === attendeeId ? { ...a, isPresent: false } : a)),
        asking: ctx.asking === attendeeId ? null : ctx.asking,
      };
    }
    case 'request.made':
      return {
        ...ctx,
        request: event.payload.request,
        eligibility: 'pending',
        undertaking: 'pending',
        answers: {},
        asking: null,
        grounds: {},
        isScreeningDone: false,
        decision: null,
        isAlternativesOffered: false,
        outcome: null,
        reviewCause: ctx.hasDiscussionStarted ? 'request-after-start' : 'request',
      };
    case 'eligibility.confirmed':
      return { ...ctx, eligibility: 'confirmed' };
    case 'eligibility.refused':
      return { ...ctx, eligibility: 'refused' };
    case 'undertaking.signed':
      return { ...ctx, undertaking: 'signed' };
    case 'undertaking.declined':
      return { ...ctx, undertaking: 'declined' };
    case 'consent.asked':
      return { ...ctx, asking: event.payload.attendeeId };
    case 'consent.given':
      return answer(ctx, event.payload.attendeeId, 'agreed');
    case 'consent.declined':
      return answer(ctx, event.payload.attendeeId, 'declined');
    case 'consent.authorisation-needed':
      return answer(ctx, event.payload.attendeeId, 'authorisation-needed');
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
      return { ...ctx, recording: 'on' };
    case 'recording.paused':
    case 'review.requested':
      return startReview(ctx, 'review');
    case 'recording.withdrawn':
      return {
        ...ctx,
        recording: 'off',
        outcome: { status: 'not-permitted', basis: 'withdrawn', ref: profileOf(ctx).refs.changes },
      };
    case 'meeting.closed':
      return { ...ctx, recording: 'off', asking: null };
    case 'request.attendees-notified':
    case 'request.outcome-confirmed':
    case 'covert-recording.suspected':
      return ctx;
  }
}

function answer(
  ctx: MeetingContext,
  attendeeId: string,
  value: MeetingContext['answers'][string],
): MeetingContext {
  return { ...ctx, answers: { ...ctx.answers, [attendeeId]: value }, asking: null };
}

/**
 * HCS 2.11: the meeting stops and permission is sought to continue. A newcomer is asked on top of the
 * answers already given; any other review asks everyone again. Recording that was going on is paused.
 */
export function startReview(ctx: MeetingContext, cause: ReviewCause): MeetingContext {
  return {
    ...ctx,
    reviewCause: cause,
    answers: cause === 'attendee-joined' ? ctx.answers : {},
    asking: null,
    isScreeningDone: cause === 'attendee-joined' ? ctx.isScreeningDone : false,
    decision: null,
    isAlternativesOffered: false,
    outcome: null,
    recording: ctx.recording === 'on' ? 'paused' : ctx.recording,
  };
}

/** The review is over: the outcome is fixed, and recording that was paused stops if it is no longer permitted. */
export function finishReview(ctx: MeetingContext): MeetingContext {
  const outcome = deriveOutcome(ctx);
  return {
    ...ctx,
    outcome,
    reviewCause: null,
    asking: null,
    recording: ctx.recording === 'paused' && outcome.status !== 'permitted' ? 'off' : ctx.recording,
  };
}
