/**
 * The rules of the guidance as pure functions over the meeting's context. The statechart decides which
 * kind of event may come next; these functions decide whether its content is acceptable and what
 * follows from the facts held. Each rejection is a machine-readable code with a plain explanation.
 */
import type { DomainEvent, EventOf } from './events';
import {
  type Answer,
  type Attendee,
  type MeetingDetails,
  PROFESSIONAL_ROLES,
  type RecordingRequest,
  type Signature,
  type SubjectChild,
} from './model';
import {
  type GuidanceRef,
  type PolicyProfile,
  type ProfileId,
  profileById,
  type RefusalGroundId,
} from './profiles';

export interface AttendeeState extends Attendee {
  isPresent: boolean;
}

export type ReviewCause = 'request' | 'request-after-start' | 'attendee-joined' | 'review';
export type RecordingStatus = 'off' | 'on' | 'paused';

export type OutcomeBasis =
  | 'all-agreed'
  | 'not-all-agreed'
  | 'authorisation-needed'
  | 'chair-decided'
  | 'ground-confirmed'
  | 'ineligible'
  | 'undertaking-declined'
  | 'notice-model'
  | 'withdrawn';

export interface Outcome {
  status: 'permitted' | 'not-permitted' | 'awaiting-authorisation';
  basis: OutcomeBasis;
  ref: GuidanceRef;
}

export interface MeetingContext {
  profileId: ProfileId;
  meeting: MeetingDetails | null;
  children: SubjectChild[];
  attendees: AttendeeState[];
  request: RecordingRequest | null;
  eligibility: 'pending' | 'confirmed' | 'refused';
  undertaking: 'pending' | 'signed' | 'declined';
  /** Answers of the current round, by attendee id. A later answer replaces an earlier one. */
  answers: Record<string, Answer>;
  /** Who holds the tablet now, being asked (HCS 2.6). */
  asking: string | null;
  grounds: Partial<Record<RefusalGroundId, 'confirmed' | 'dismissed'>>;
  isScreeningDone: boolean;
  decision: 'permitted' | 'not-permitted' | null;
  isAlternativesOffered: boolean;
  outcome: Outcome | null;
  reviewCause: ReviewCause | null;
  hasDiscussionStarted: boolean;
  recording: RecordingStatus;
}

export const initialContext: MeetingContext = {
  profileId: 'hertfordshire',
  meeting: null,
  children: [],
  attendees: [],
  request: null,
  eligibility: 'pending',
  undertaking: 'pending',
  answers: {},
  asking: null,
  grounds: {},
  isScreeningDone: false,
  decision: null,
  isAlternativesOffered: false,
  outcome: null,
  reviewCause: null,
  hasDiscussionStarted: false,
  recording: 'off',
};

export const profileOf = (ctx: MeetingContext): PolicyProfile => profileById(ctx.profileId);
export const isConversation = (ctx: MeetingContext): boolean => ctx.meeting?.kind === 'conversation';
export const isProfessional = (a: Attendee): boolean => PROFESSIONAL_ROLES.includes(a.role);
export const attendeeById = (ctx: MeetingContext, id: string): AttendeeState | undefined =>
  ctx.attendees.find((a) => a.id === id);
export const presentAttendees = (ctx: MeetingContext): AttendeeState[] =>
  ctx.attendees.filter((a) => a.isPresent);

/** Everyone present who must be asked: all attendees but the requester, whose request is their answer. */
export function attendeesToAsk(ctx: MeetingContext): AttendeeState[] {
  return presentAttendees(ctx).filter((a) => a.id !== ctx.request?.requesterId);
}

export const isRoundComplete = (ctx: MeetingContext): boolean =>
  attendeesToAsk(ctx).every((a) => ctx.answers[a.id] !== undefined);

export function answersOf(ctx: MeetingContext, answer: Answer): AttendeeState[] {
  return attendeesToAsk(ctx).filter((a) => ctx.answers[a.id] === answer);
}

// ---------------------------------------------------------------- eligibility (HCS 1.3)

export type EligibilityBasis = 'subject-child' | 'parent-with-pr';

export function eligibilityBasis(ctx: MeetingContext, requesterId: string): EligibilityBasis | null {
  const requester = attendeeById(ctx, requesterId);
  if (!requester) return null;
  if (requester.role === 'young-person' && ctx.children.some((c) => c.id === requester.subjectChildId)) {
    return 'subject-child';
  }
  if (
    requester.role === 'parent-carer' &&
    ctx.children.some((c) => requester.parentalResponsibility?.[c.id] === true)
  ) {
    return 'parent-with-pr';
  }
  return null;
}

// ---------------------------------------------------------------- refusal grounds (HCS 1.4)

/** Grounds 1-3 of HCS 1.4 that the facts already held raise. */
export function derivedGrounds(ctx: MeetingContext): RefusalGroundId[] {
  const profile = profileOf(ctx);
  const offered = new Set(profile.refusalGrounds.map((g) => g.id));
  const raised: RefusalGroundId[] = [];
  const requester = ctx.request ? attendeeById(ctx, ctx.request.requesterId) : undefined;
  if (
    requester?.role === 'parent-carer' &&
    ctx.children.some((c) => requester.parentalResponsibility?.[c.id] !== true)
  ) {
    raised.push('no-parental-responsibility');
  }
  const decliners = answersOf(ctx, 'declined');
  if (
    decliners.some(
      (a) => a.role === 'parent-carer' && Object.values(a.parentalResponsibility ?? {}).some((pr) => pr),
    )
  ) {
    raised.push('pr-holder-objected');
  }
  if (decliners.some((a) => a.role === 'young-person')) raised.push('child-objected');
  return raised.filter((g) => offered.has(g));
}

export const confirmedGrounds = (ctx: MeetingContext): RefusalGroundId[] =>
  (Object.keys(ctx.grounds) as RefusalGroundId[]).filter((g) => ctx.grounds[g] === 'confirmed');

export const unaddressedDerivedGrounds = (ctx: MeetingContext): RefusalGroundId[] =>
  derivedGrounds(ctx).filter((g) => ctx.grounds[g] === undefined);

// ---------------------------------------------------------------- the decision (HCS 2.7, 2.8, 2.12)

/** HCS 2.12: in a child protection conference where professionals disagree, the chair decides. */
export function professionalsDisagree(ctx: MeetingContext): boolean {
  const decliners = answersOf(ctx, 'declined');
  return (
    decliners.length > 0 && decliners.every(isProfessional) && answersOf(ctx, 'agreed').some(isProfessional)
  );
}

export function needsChairDecision(ctx: MeetingContext): boolean {
  const profile = profileOf(ctx);
  return (
    profile.decisionModel.value === 'permission' &&
    profile.chairDecidesProfessionalDisagreement.value &&
    ctx.meeting?.kind === 'child-protection-conference' &&
    !isRequestEnded(ctx) &&
    confirmedGrounds(ctx).length === 0 &&
    answersOf(ctx, 'authorisation-needed').length === 0 &&
    professionalsDisagree(ctx)
  );
}

/** The request cannot go on: the requester is not eligible, or (where that ends it) would not sign. */
export function isRequestEnded(ctx: MeetingContext): boolean {
  return (
    ctx.eligibility === 'refused' ||
    (ctx.undertaking === 'declined' && profileOf(ctx).undertaking.declineEndsRequest)
  );
}

export function deriveOutcome(ctx: MeetingContext): Outcome {
  const profile = profileOf(ctx);
  const conv = isConversation(ctx);
  if (ctx.eligibility === 'refused') return { status: 'not-permitted', basis: 'ineligible', ref: 'HCS 1.3' };
  if (ctx.undertaking === 'declined' && profile.undertaking.declineEndsRequest) {
    return { status: 'not-permitted', basis: 'undertaking-declined', ref: profile.undertaking.ref };
  }
  if (profile.decisionModel.value === 'notice') {
    return { status: 'permitted', basis: 'notice-model', ref: profile.decisionModel.ref };
  }
  if (confirmedGrounds(ctx).length > 0)
    return { status: 'not-permitted', basis: 'ground-confirmed', ref: 'HCS 1.4' };
  if (answersOf(ctx, 'authorisation-needed').length > 0) {
    return {
      status: 'awaiting-authorisation',
      basis: 'authorisation-needed',
      ref: profile.refs.notAllAgreed,
    };
  }
  if (answersOf(ctx, 'declined').length === 0) {
    return {
      status: 'permitted',
      basis: 'all-agreed',
      ref: conv ? profile.refs.conversationAgreed : profile.refs.allAgreed,
    };
  }
  if (ctx.decision && needsChairDecision(ctx)) {
    return {
      status: ctx.decision,
      basis: 'chair-decided',
      ref: profile.chairDecidesProfessionalDisagreement.ref,
    };
  }
  return {
    status: 'not-permitted',
    basis: 'not-all-agreed',
    ref: conv ? profile.refs.conversationDeclined : profile.refs.notAllAgreed,
  };
}

export type ReviewStep =
  | 'eligibility'
  | 'undertaking'
  | 'round'
  | 'screening'
  | 'decision'
  | 'alternatives'
  | 'done';

/** The order of a review: HCS 1.3 (eligibility, undertaking), 2.6 (round), 1.4 (screening), 2.12, 3.2. */
export function nextReviewStep(ctx: MeetingContext): ReviewStep {
  const profile = profileOf(ctx);
  const conv = isConversation(ctx);
  if (!isRequestEnded(ctx)) {
    if (!conv && profile.eligibilityRequired.value && ctx.eligibility === 'pending') return 'eligibility';
    if (!conv && ctx.undertaking === 'pending') return 'undertaking';
    if (!isRoundComplete(ctx)) return 'round';
    if (
      !conv &&
      profile.refusalGrounds.length > 0 &&
      (!ctx.isScreeningDone || unaddressedDerivedGrounds(ctx).length > 0)
    ) {
      return 'screening';
    }
    if (needsChairDecision(ctx) && ctx.decision === null) return 'decision';
  }
  if (deriveOutcome(ctx).status !== 'permitted' && !conv && !ctx.isAlternativesOffered) return 'alternatives';
  return 'done';
}

/** Recording is permitted and the permission still stands (nobody has joined since, nothing withdrawn). */
export const isPermissionInForce = (ctx: MeetingContext): boolean => ctx.outcome?.status === 'permitted';

// ---------------------------------------------------------------- advance requests (HCS 2.5)

/** HCS 2.5: a request made in advance but less than the profile's notice before the meeting is flagged. */
export function isLateAdvanceRequest(
  meeting: MeetingDetails,
  request: RecordingRequest,
  noticeHours: number,
): boolean {
  if (request.timing !== 'in-advance' || noticeHours <= 0) return false;
  const lead = Date.parse(meeting.scheduledAt) - Date.parse(request.receivedAt);
  return lead < noticeHours * 3_600_000;
}

// ---------------------------------------------------------------- signatures

export const MIN_SIGNATURE_POINTS = 10;
/** A signature must cover at least this share of the pad's smaller side: a dot or a tick is not one. */
export const MIN_SIGNATURE_EXTENT = 0.15;

/** An empty or near-empty pad cannot be submitted as a signature (PITFALLS 15). */
export function isSignatureSubstantial(signature: Signature): boolean {
  const points = signature.strokes.flatMap((s) => s.points);
  if (points.length < MIN_SIGNATURE_POINTS) return false;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const extent = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  return extent >= MIN_SIGNATURE_EXTENT * Math.min(signature.width, signature.height);
}

// ---------------------------------------------------------------- per-event checks

export type RejectionCode =
  | 'not-allowed-now'
  | 'invalid-event'
  | 'duplicate-attendee'
  | 'unknown-attendee'
  | 'attendee-not-present'
  | 'requester-not-present'
  | 'nobody-to-ask'
  | 'wrong-timing'
  | 'not-eligible'
  | 'not-the-requester'
  | 'undertaking-text-mismatch'
  | 'signature-too-small'
  | 'requester-is-not-asked'
  | 'not-being-asked'
  | 'reason-required'
  | 'ground-not-in-profile'
  | 'grounds-unaddressed'
  | 'nothing-offered'
  | 'not-permitted'
  | 'already-recording'
  | 'unknown-child'
  | 'request-in-force'
  | 'not-advance-request'
  | 'no-request';

export interface Rejection {
  code: RejectionCode;
  message: string;
}

const reject = (code: RejectionCode, message: string): Rejection => ({ code, message });

function checkNewAttendee(ctx: MeetingContext, attendee: Attendee): Rejection | null {
  if (attendeeById(ctx, attendee.id))
    return reject('duplicate-attendee', 'That attendee is already on the list.');
  const childIds = new Set(ctx.children.map((c) => c.id));
  const prChildren = Object.keys(attendee.parentalResponsibility ?? {});
  if (
    prChildren.some((id) => !childIds.has(id)) ||
    (attendee.subjectChildId && !childIds.has(attendee.subjectChildId))
  ) {
    return reject('unknown-child', 'The attendee refers to a child who is not a subject of this meeting.');
  }
  return null;
}

function checkAnswer(ctx: MeetingContext, attendeeId: string): Rejection | null {
  if (ctx.asking !== attendeeId) {
    return reject('not-being-asked', 'Only the attendee who has been handed the tablet can answer.');
  }
  return null;
}

type Checks = { [T in DomainEvent['type']]?: (ctx: MeetingContext, event: EventOf<T>) => Rejection | null };

/**
 * Content checks, by event type. A check runs only where the statechart accepts that kind of event, so
 * it need not repeat what the state already says (e.g. that a round is under way).
 */
export const checks: Checks = {
  'meeting.opened': (_ctx, { payload }) => {
    const ids = payload.subjectChildren.map((c) => c.id);
    return new Set(ids).size === ids.length
      ? null
      : reject('invalid-event', 'Each child needs a different id.');
  },
  'attendee.added': (ctx, { payload }) => checkNewAttendee(ctx, payload.attendee),
  'attendee.joined': (ctx, { payload }) => checkNewAttendee(ctx, payload.attendee),
  'attendee.left': (ctx, { payload }) => {
    const a = attendeeById(ctx, payload.attendeeId);
    if (!a) return reject('unknown-attendee', 'There is no such attendee.');
    return a.isPresent ? null : reject('attendee-not-present', 'That attendee has already left.');
  },
  'request.made': (ctx, { payload: { request } }) => {
    const requester = attendeeById(ctx, request.requesterId);
    if (!requester?.isPresent) return reject('requester-not-present', 'The person asking must be present.');
    if (ctx.hasDiscussionStarted !== (request.timing === 'after-start')) {
      return reject(
        'wrong-timing',
        ctx.hasDiscussionStarted
          ? 'The discussion has begun: this request is made after the start.'
          : 'The discussion has not begun yet: the request is made in advance or on the day.',
      );
    }
    if (isPermissionInForce(ctx))
      return reject('request-in-force', 'A request to record is already permitted.');
    if (!presentAttendees(ctx).some((a) => a.id !== request.requesterId)) {
      return reject('nobody-to-ask', 'There is nobody present to ask.');
    }
    return null;
  },
  'request.attendees-notified': (ctx) =>
    ctx.request?.timing === 'in-advance'
      ? null
      : reject('not-advance-request', 'Attendees are notified only of a request made in advance.'),
  'eligibility.confirmed': (ctx, { payload }) => {
    const basis = ctx.request ? eligibilityBasis(ctx, ctx.request.requesterId) : null;
    if (basis === null) {
      return reject(
        'not-eligible',
        'Only a subject child, or a parent with parental responsibility for a subject child, may ask to record.',
      );
    }
    return payload.basis === basis ? null : reject('not-eligible', `The requester is eligible as ${basis}.`);
  },
  'undertaking.signed': (ctx, { payload }) => {
    const { undertaking } = profileOf(ctx);
    if (payload.signerId !== ctx.request?.requesterId) {
      return reject('not-the-requester', 'Only the person asking to record signs the undertaking.');
    }
    if (payload.textVersion !== undertaking.version || payload.textSha256 !== undertaking.sha256) {
      return reject('undertaking-text-mismatch', 'The undertaking signed is not the text of this policy.');
    }
    return isSignatureSubstantial(payload.signature)
      ? null
      : reject('signature-too-small', 'The signature is empty or too small to be a signature.');
  },
  'undertaking.declined': (ctx, { payload }) =>
    payload.signerId === ctx.request?.requesterId
      ? null
      : reject('not-the-requester', 'Only the person asking to record can decline to sign.'),
  'consent.asked': (ctx, { payload }) => {
    const a = attendeeById(ctx, payload.attendeeId);
    if (!a) return reject('unknown-attendee', 'There is no such attendee.');
    if (!a.isPresent) return reject('attendee-not-present', 'That attendee is not present.');
    return a.id === ctx.request?.requesterId
      ? reject('requester-is-not-asked', 'The person asking to record is not asked for permission.')
      : null;
  },
  'consent.given': (ctx, { payload }) => checkAnswer(ctx, payload.attendeeId),
  'consent.declined': (ctx, { payload }) => {
    const answer = checkAnswer(ctx, payload.attendeeId);
    if (answer) return answer;
    // HCS 2.4: a professional declining in a conversation needs "a very valid reason", noted in the case note.
    return isConversation(ctx) && payload.reason.trim() === ''
      ? reject('reason-required', 'In a conversation, declining needs a reason for the case note.')
      : null;
  },
  'consent.authorisation-needed': (ctx, { payload }) => checkAnswer(ctx, payload.attendeeId),
  'ground.confirmed': (ctx, { payload }) =>
    profileOf(ctx).refusalGrounds.some((g) => g.id === payload.ground)
      ? null
      : reject('ground-not-in-profile', 'That ground is not one of this policy.'),
  'ground.dismissed': (ctx, { payload }) =>
    profileOf(ctx).refusalGrounds.some((g) => g.id === payload.ground)
      ? null
      : reject('ground-not-in-profile', 'That ground is not one of this policy.'),
  'screening.completed': (ctx) =>
    unaddressedDerivedGrounds(ctx).length === 0
      ? null
      : reject(
          'grounds-unaddressed',
          'Each ground raised by the facts must be confirmed or dismissed, with a note.',
        ),
  'alternatives.offered': (_ctx, { payload }) =>
    payload.arrangements.length > 0 || payload.note.trim() !== ''
      ? null
      : reject('nothing-offered', 'Choose at least one arrangement, or say in a note what was offered.'),
  // HCS 2.5: the decision confirmed to the requester presupposes a request that has been decided.
  'request.outcome-confirmed': (ctx) =>
    ctx.outcome ? null : reject('no-request', 'No request has been decided, so there is nothing to confirm.'),
  // HCS 2.11: asking again presupposes a request to ask about.
  'review.requested': (ctx) =>
    ctx.request
      ? null
      : reject('no-request', 'Nobody has asked to record, so there is nothing to ask again.'),
  'recording.started': (ctx) => {
    if (ctx.recording !== 'off') return reject('already-recording', 'Recording has already begun.');
    return isPermissionInForce(ctx) ? null : reject('not-permitted', 'Recording is not permitted.');
  },
  'recording.resumed': (ctx) =>
    isPermissionInForce(ctx) ? null : reject('not-permitted', 'Recording is not permitted.'),
};

/** The content check for one event; null when it is acceptable. */
export function checkEvent(ctx: MeetingContext, event: DomainEvent): Rejection | null {
  const check = checks[event.type] as ((c: MeetingContext, e: DomainEvent) => Rejection | null) | undefined;
  return check ? check(ctx, event) : null;
}
