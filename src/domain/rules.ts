/**
 * The rules of the guidance as pure functions over the meeting's context. The statechart decides which
 * kind of event may come next; these functions decide whether its content is acceptable and what
 * follows from the facts held. Each rejection is a machine-readable code with a plain explanation.
 */
import type { DomainEvent, EventOf } from './events';
import { isEnglish, isShippedLanguage, SOURCE_LANGUAGE } from './languages';
import {
  type Answer,
  type Attendee,
  type MeetingDetails,
  PROFESSIONAL_ROLES,
  type RecordingRequest,
  type Signature,
  type SubjectChild,
} from './model';
import { type InterpreterRef, isRemote, type TakesPart } from './participation';
import {
  type GuidanceRef,
  isUndertakingTranslationApproved,
  type PolicyProfile,
  type ProfileId,
  profileById,
  type RefusalGroundId,
  type UnderstandingQuestion,
  understandingQuestionsOf,
  undertakingTranslationOf,
  undertakingVersionOf,
} from './profiles';
import type { UndertakingTranslation } from './undertakingTranslations';

/** `takesPartBy` (participation.ts): absent in the room; by phone or video they are present but not in the room. */
export interface AttendeeState extends Attendee, TakesPart {
  isPresent: boolean;
  /**
   * Invited and expected, not yet arrived (`attendee.added` with `isAbsent`, a meeting prepared in advance):
   * "not here yet", never "left". Cleared when they arrive. Optional: older snapshots.
   */
  isExpected?: boolean;
}

export type ReviewCause = 'request' | 'request-after-start' | 'attendee-joined' | 'review' | 'withdrawal';
export type RecordingStatus = 'off' | 'on' | 'paused';
/** Why recording is paused: a review under way or just ended, or the person recording left (their device went too). */
export type PauseCause = 'review' | 'requester-left';

export type OutcomeBasis =
  | 'all-agreed'
  | 'not-all-agreed'
  | 'authorisation-needed'
  | 'nobody-asked'
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
  /** Who did not agree, and who needs advice first, in this round (whether or not they are still here). */
  declinedIds?: string[];
  awaitingIds?: string[];
}

export type RequesterStatus = 'pending' | 'confirmed' | 'refused';
export type UndertakingStatus = 'pending' | 'signed' | 'declined';

/**
 * One requester's check of understanding (issue 18): the undertaking version asked about, how many answers
 * each question took, which were answered rightly, and whether the chair ended it without the questions.
 */
export interface UnderstandingCheck {
  textVersion: string | null;
  attempts: Record<string, number>;
  understood: string[];
  skipped: boolean;
}

export interface MeetingContext {
  profileId: ProfileId;
  meeting: MeetingDetails | null;
  children: SubjectChild[];
  attendees: AttendeeState[];
  request: RecordingRequest | null;
  /** Per requester (HCS 1.3: a subject child and a parent may both ask). */
  eligibility: Record<string, RequesterStatus>;
  undertaking: Record<string, UndertakingStatus>;
  /** Per requester, the check of understanding before signing (absent: not begun). Optional: older snapshots. */
  understanding?: Record<string, UnderstandingCheck>;
  /**
   * Answers of the current round, by attendee id. An answer stays in the round it was given in, even when
   * the person leaves: a departure never turns a "no" into a "yes" (DOMAIN.md, decisions).
   */
  answers: Record<string, Answer>;
  /** Rounds asked since the request (1 for the first); a new round starts with no answers. */
  round: number;
  /** Everyone who has been asked or has answered in any round: they took part, so they cannot be removed. */
  tookPart: Record<string, true>;
  /**
   * Who an answer went through, in any round (issue 18): the interpreter it was given through and the chair
   * who relayed it. The minute names them so, so they cannot be removed as added in error nor their role
   * corrected away. Optional: older snapshots.
   */
  answeredThrough?: Record<string, true>;
  /**
   * In a review started by someone joining (HCS 2.11), the answers carried over from before it: someone who
   * steps out and back in is asked again for those, never for an answer given in this review.
   */
  carried: Record<string, true>;
  /** Who holds the tablet now, being asked (HCS 2.6). */
  asking: string | null;
  grounds: Partial<Record<RefusalGroundId, 'confirmed' | 'dismissed'>>;
  /** HCS 1.4 ground 2: objections recorded from people with parental responsibility who are not present. */
  absentPrObjections: number;
  isScreeningDone: boolean;
  decision: 'permitted' | 'not-permitted' | null;
  isAlternativesOffered: boolean;
  outcome: Outcome | null;
  reviewCause: ReviewCause | null;
  /** The chair withdrew permission; the review that follows offers other arrangements (HCS 3.2). */
  isWithdrawn: boolean;
  /** Permission stood when the current review began (the chair may still withdraw it during the review). */
  wasPermitted: boolean;
  /** Notice model: the recording was raised as excessive or oppressive and advice sought; then advised. */
  concern: 'none' | 'escalated' | 'advised';
  hasDiscussionStarted: boolean;
  recording: RecordingStatus;
  pauseCause: PauseCause | null;
  /** The chair has confirmed the minute entry as it stands; any later fact but the closing unconfirms it. */
  isMinuteConfirmed: boolean;
  /** A tablet took over the meeting prepared by the records service (issue 19). Optional: older snapshots. */
  isCustodyClaimed?: boolean;
  /**
   * HCS 2.5: the attendees told, by name, of the current request made in advance (request.attendees-notified
   * with attendeeIds); a new request starts with nobody told. Optional: older snapshots.
   */
  toldOfRequest?: Record<string, true>;
  /**
   * HCS 2.5: invited attendees who arrived covered by the decision made in advance (told of the request):
   * a review that asks a newcomer does not ask them; a new round (asking everyone again) does. Optional:
   * older snapshots.
   */
  coveredInAdvance?: Record<string, true>;
}

export const initialContext: MeetingContext = {
  profileId: 'hertfordshire',
  meeting: null,
  children: [],
  attendees: [],
  request: null,
  eligibility: {},
  undertaking: {},
  understanding: {},
  answers: {},
  round: 0,
  tookPart: {},
  answeredThrough: {},
  carried: {},
  asking: null,
  grounds: {},
  absentPrObjections: 0,
  isScreeningDone: false,
  decision: null,
  isAlternativesOffered: false,
  outcome: null,
  reviewCause: null,
  isWithdrawn: false,
  wasPermitted: false,
  concern: 'none',
  hasDiscussionStarted: false,
  recording: 'off',
  pauseCause: null,
  isMinuteConfirmed: false,
  isCustodyClaimed: false,
  toldOfRequest: {},
  coveredInAdvance: {},
};

export const profileOf = (ctx: MeetingContext): PolicyProfile => profileById(ctx.profileId);
export const isConversation = (ctx: MeetingContext): boolean => ctx.meeting?.kind === 'conversation';
export const isProfessional = (a: Attendee): boolean => PROFESSIONAL_ROLES.includes(a.role);
export const attendeeById = (ctx: MeetingContext, id: string): AttendeeState | undefined =>
  ctx.attendees.find((a) => a.id === id);
export const presentAttendees = (ctx: MeetingContext): AttendeeState[] =>
  ctx.attendees.filter((a) => a.isPresent);

/** Everyone asking to record: the first requester and any second (HCS 1.3). */
export function requesterIds(ctx: MeetingContext): string[] {
  if (!ctx.request) return [];
  return [ctx.request.requesterId, ...(ctx.request.additionalRequesterIds ?? [])];
}
export const isRequester = (ctx: MeetingContext, id: string): boolean => requesterIds(ctx).includes(id);

/** The chair of the meeting, as the attendee list names them (the first with the chair's role). */
export const chairOf = (ctx: MeetingContext): AttendeeState | undefined =>
  ctx.attendees.find((a) => a.role === 'chair');

/** Who may confirm the minute entry: the chair; in a conversation (no chair), the professional holding it. */
export const canConfirmMinute = (ctx: MeetingContext, a: Attendee | undefined): boolean =>
  a !== undefined && (a.role === 'chair' || (isConversation(ctx) && isProfessional(a)));

/** The person who confirms the minute entry: the chair, or in a conversation the professional holding it. */
export const minuteConfirmer = (ctx: MeetingContext): AttendeeState | undefined =>
  chairOf(ctx) ?? ctx.attendees.find((a) => canConfirmMinute(ctx, a));

/**
 * Everyone present who must be asked: all attendees but the requesters, whose request is their answer, and
 * those covered by the decision made in advance (HCS 2.5, issue 19).
 */
export function attendeesToAsk(ctx: MeetingContext): AttendeeState[] {
  return presentAttendees(ctx).filter((a) => !isRequester(ctx, a.id) && !ctx.coveredInAdvance?.[a.id]);
}

/** The round is complete when everyone present has answered (those who left keep the answer they gave). */
export const isRoundComplete = (ctx: MeetingContext): boolean =>
  attendeesToAsk(ctx).every((a) => ctx.answers[a.id] !== undefined);

/** Everyone who gave this answer in the current round, present or not. */
export function answersOf(ctx: MeetingContext, answer: Answer): AttendeeState[] {
  return ctx.attendees.filter((a) => ctx.answers[a.id] === answer);
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

/** Requesters still in the request: not found ineligible, and not declining an undertaking that is required. */
export function activeRequesterIds(ctx: MeetingContext): string[] {
  const required = profileOf(ctx).undertaking.requirement === 'required';
  return requesterIds(ctx).filter(
    (id) => ctx.eligibility[id] !== 'refused' && !(required && ctx.undertaking[id] === 'declined'),
  );
}

/** The first requester whose eligibility the chair has still to decide, if the profile asks for it. */
export function requesterAwaitingEligibility(ctx: MeetingContext): string | null {
  if (isConversation(ctx) || !profileOf(ctx).eligibilityRequired.value) return null;
  return requesterIds(ctx).find((id) => (ctx.eligibility[id] ?? 'pending') === 'pending') ?? null;
}

/**
 * The translation of the undertaking (of `version`, today's when not named) a signer is shown and signs: the
 * one in the language the meeting has for them, or null where that version has none in it (the English
 * alone). The signer's screens show it, and the rules accept a signature only with it.
 */
export function signersTranslation(
  ctx: MeetingContext,
  signerId: string,
  version?: string,
): UndertakingTranslation | null {
  return undertakingTranslationOf(profileOf(ctx), attendeeById(ctx, signerId)?.language, version);
}

/**
 * What a signature of today's undertaking says of its translation when signed at `at`: the signer's
 * translation, its hash, and whether the council had approved that text then (the store settles the last at
 * the moment it seals the signature: asSealedAt). Null where the signer signs the English alone.
 */
export function translationSignedAt(
  ctx: MeetingContext,
  signerId: string,
  at: string,
): { language: string; textSha256: string; isApproved: boolean } | null {
  const translation = signersTranslation(ctx, signerId);
  if (!translation) return null;
  const text = { language: translation.language, textSha256: translation.sha256 };
  return { ...text, isApproved: isUndertakingTranslationApproved(profileOf(ctx), text, at) };
}

/** The first eligible requester who has still to sign (or decline) the undertaking, where one is used. */
export function requesterAwaitingUndertaking(ctx: MeetingContext): string | null {
  if (isConversation(ctx) || profileOf(ctx).undertaking.requirement === 'not-used') return null;
  return activeRequesterIds(ctx).find((id) => (ctx.undertaking[id] ?? 'pending') === 'pending') ?? null;
}

// ---------------------------------------------------------------- the check of understanding (issue 18)

export const NO_CHECK: UnderstandingCheck = {
  textVersion: null,
  attempts: {},
  understood: [],
  skipped: false,
};

export const understandingOf = (ctx: MeetingContext, signerId: string): UnderstandingCheck =>
  ctx.understanding?.[signerId] ?? NO_CHECK;

/** The question to ask next about this version: the first not yet answered rightly (null: none left). */
export function currentQuestion(
  ctx: MeetingContext,
  signerId: string,
  textVersion: string,
): UnderstandingQuestion | null {
  const check = understandingOf(ctx, signerId);
  if (check.skipped || (check.textVersion !== null && check.textVersion !== textVersion)) return null;
  return (
    understandingQuestionsOf(profileOf(ctx), textVersion).find((q) => !check.understood.includes(q.id)) ??
    null
  );
}

/**
 * Whether the signer may sign this version as far as understanding goes: it has no questions, the chair
 * recorded why they were not asked, or every question of this same version was answered rightly.
 */
export function isUnderstandingSettled(ctx: MeetingContext, signerId: string, textVersion: string): boolean {
  const questions = understandingQuestionsOf(profileOf(ctx), textVersion);
  const check = understandingOf(ctx, signerId);
  if (questions.length === 0 || check.skipped) return true;
  return check.textVersion === textVersion && questions.every((q) => check.understood.includes(q.id));
}

/** The requester who may answer a question or have the check skipped now: the one about to sign, present. */
function checkPrecondition(ctx: MeetingContext): Rejection | null {
  const id = requesterAwaitingUndertaking(ctx);
  if (id === null || isUndertakingDeferred(ctx))
    return reject('not-allowed-now', 'Nobody is about to sign the undertaking.');
  return null;
}

/** A subject child who is at the meeting (HCS 1.4 ground 3 is their objection, not any young person's). */
const isSubjectChild = (ctx: MeetingContext, a: Attendee): boolean =>
  a.role === 'young-person' && ctx.children.some((c) => c.id === a.subjectChildId);
const holdsPr = (a: Attendee): boolean =>
  a.role === 'parent-carer' && Object.values(a.parentalResponsibility ?? {}).some((pr) => pr);

// ---------------------------------------------------------------- refusal grounds (HCS 1.4)

/**
 * How each ground of the profile stands on the facts held: raised by them (the chair must confirm or
 * dismiss it, with a note), ruled out by them (shown with why, not asked), or the chair's to answer.
 */
export type GroundStanding =
  | { ground: RefusalGroundId; standing: 'raised'; why: GroundWhy }
  | { ground: RefusalGroundId; standing: 'ruled-out'; why: GroundWhy }
  | { ground: RefusalGroundId; standing: 'chair-to-answer' };

export type GroundWhy =
  | 'requester-lacks-pr'
  | 'requester-has-pr-for-every-child'
  | 'requester-is-subject-child'
  | 'pr-holder-declined'
  | 'absent-pr-holder-objected'
  | 'no-pr-holder-objected'
  | 'subject-child-declined'
  | 'no-subject-child-objected';

export function groundStandings(ctx: MeetingContext): GroundStanding[] {
  // A requester found not eligible is no longer asking: their lack of PR raises nothing against another's.
  const requesters = activeRequesterIds(ctx)
    .map((id) => attendeeById(ctx, id))
    .filter((a): a is AttendeeState => a !== undefined);
  const decliners = answersOf(ctx, 'declined');
  return profileOf(ctx).refusalGrounds.map((g): GroundStanding => {
    switch (g.id) {
      case 'no-parental-responsibility': {
        const lacking = requesters.some(
          (r) =>
            r.role === 'parent-carer' && ctx.children.some((c) => r.parentalResponsibility?.[c.id] !== true),
        );
        if (lacking) return { ground: g.id, standing: 'raised', why: 'requester-lacks-pr' };
        return {
          ground: g.id,
          standing: 'ruled-out',
          why: requesters.every((r) => isSubjectChild(ctx, r))
            ? 'requester-is-subject-child'
            : 'requester-has-pr-for-every-child',
        };
      }
      case 'pr-holder-objected':
        if (decliners.some((a) => holdsPr(a) && !isRequester(ctx, a.id)))
          return { ground: g.id, standing: 'raised', why: 'pr-holder-declined' };
        if (ctx.absentPrObjections > 0)
          return { ground: g.id, standing: 'raised', why: 'absent-pr-holder-objected' };
        return { ground: g.id, standing: 'ruled-out', why: 'no-pr-holder-objected' };
      case 'child-objected':
        return decliners.some((a) => isSubjectChild(ctx, a))
          ? { ground: g.id, standing: 'raised', why: 'subject-child-declined' }
          : { ground: g.id, standing: 'ruled-out', why: 'no-subject-child-objected' };
      default:
        return { ground: g.id, standing: 'chair-to-answer' };
    }
  });
}

/** Grounds 1-3 of HCS 1.4 that the facts already held raise. */
export const derivedGrounds = (ctx: MeetingContext): RefusalGroundId[] =>
  groundStandings(ctx)
    .filter((g) => g.standing === 'raised')
    .map((g) => g.ground);

export const confirmedGrounds = (ctx: MeetingContext): RefusalGroundId[] =>
  (Object.keys(ctx.grounds) as RefusalGroundId[]).filter((g) => ctx.grounds[g] === 'confirmed');

export const unaddressedDerivedGrounds = (ctx: MeetingContext): RefusalGroundId[] =>
  derivedGrounds(ctx).filter((g) => ctx.grounds[g] === undefined);

/** Grounds the chair must answer (4-6 of HCS 1.4) that have no answer of their own yet. */
export const unansweredChairGrounds = (ctx: MeetingContext): RefusalGroundId[] =>
  groundStandings(ctx)
    .filter((g) => g.standing === 'chair-to-answer' && ctx.grounds[g.ground] === undefined)
    .map((g) => g.ground);

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
    !ctx.isWithdrawn &&
    confirmedGrounds(ctx).length === 0 &&
    answersOf(ctx, 'authorisation-needed').length === 0 &&
    professionalsDisagree(ctx)
  );
}

/** The request cannot go on: no requester is left (not eligible, or would not sign where that ends it). */
export function isRequestEnded(ctx: MeetingContext): boolean {
  return ctx.request !== null && activeRequesterIds(ctx).length === 0;
}

const idsOf = (attendees: readonly AttendeeState[]): string[] => attendees.map((a) => a.id);

export function deriveOutcome(ctx: MeetingContext): Outcome {
  const profile = profileOf(ctx);
  const conv = isConversation(ctx);
  if (isRequestEnded(ctx)) {
    const anyEligible = requesterIds(ctx).some((id) => ctx.eligibility[id] !== 'refused');
    return anyEligible
      ? { status: 'not-permitted', basis: 'undertaking-declined', ref: profile.undertaking.ref }
      : { status: 'not-permitted', basis: 'ineligible', ref: 'HCS 1.3' };
  }
  if (ctx.isWithdrawn) return { status: 'not-permitted', basis: 'withdrawn', ref: profile.refs.changes };
  if (profile.decisionModel.value === 'notice') {
    return { status: 'permitted', basis: 'notice-model', ref: profile.decisionModel.ref };
  }
  const declinedIds = idsOf(answersOf(ctx, 'declined'));
  const awaitingIds = idsOf(answersOf(ctx, 'authorisation-needed'));
  const who = { declinedIds, awaitingIds };
  if (confirmedGrounds(ctx).length > 0)
    return { status: 'not-permitted', basis: 'ground-confirmed', ref: 'HCS 1.4', ...who };
  // A refusal outranks a wait for advice (DOMAIN.md, decisions): both are named.
  if (declinedIds.length > 0) {
    if (ctx.decision && needsChairDecision(ctx)) {
      return {
        status: ctx.decision,
        basis: 'chair-decided',
        ref: profile.chairDecidesProfessionalDisagreement.ref,
        ...who,
      };
    }
    return {
      status: 'not-permitted',
      basis: 'not-all-agreed',
      ref: conv ? profile.refs.conversationDeclined : profile.refs.notAllAgreed,
      ...who,
    };
  }
  if (awaitingIds.length > 0) {
    return {
      status: 'awaiting-authorisation',
      basis: 'authorisation-needed',
      ref: profile.refs.notAllAgreed,
      ...who,
    };
  }
  // Permission needs at least one answer: a round in which nobody was asked permits nothing.
  if (answersOf(ctx, 'agreed').length === 0) {
    return { status: 'not-permitted', basis: 'nobody-asked', ref: profile.refs.round };
  }
  return {
    status: 'permitted',
    basis: 'all-agreed',
    ref: conv ? profile.refs.conversationAgreed : profile.refs.allAgreed,
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

/**
 * HCS 2.5: a request made in advance is decided before the meeting, without the requester there; the
 * undertaking waits until they are (HCS 1.3: recording needs it signed, so recording waits too).
 */
export function isUndertakingDeferred(ctx: MeetingContext): boolean {
  const id = requesterAwaitingUndertaking(ctx);
  return id !== null && ctx.request?.timing === 'in-advance' && attendeeById(ctx, id)?.isPresent !== true;
}

/** Requesters still to sign an undertaking the profile requires before anything is recorded (HCS 1.3). */
export const unsignedRequiredUndertakings = (ctx: MeetingContext): string[] =>
  profileOf(ctx).undertaking.requirement === 'required' && !isConversation(ctx)
    ? activeRequesterIds(ctx).filter((id) => (ctx.undertaking[id] ?? 'pending') === 'pending')
    : [];

/** Whether screening (HCS 1.4) is finished: every raised ground answered, and the others answered too. */
export const isScreeningFinished = (ctx: MeetingContext): boolean =>
  ctx.isScreeningDone && unaddressedDerivedGrounds(ctx).length === 0;

/** The order of a review: HCS 1.3 (eligibility, undertaking), 2.6 (round), 1.4 (screening), 2.12, 3.2. */
export function nextReviewStep(ctx: MeetingContext): ReviewStep {
  const profile = profileOf(ctx);
  const conv = isConversation(ctx);
  if (!isRequestEnded(ctx) && !ctx.isWithdrawn) {
    if (requesterAwaitingEligibility(ctx) !== null) return 'eligibility';
    if (requesterAwaitingUndertaking(ctx) !== null && !isUndertakingDeferred(ctx)) return 'undertaking';
    if (!isRoundComplete(ctx)) return 'round';
    if (!conv && profile.refusalGrounds.length > 0 && !isScreeningFinished(ctx)) return 'screening';
    if (needsChairDecision(ctx) && ctx.decision === null) return 'decision';
  }
  // A withdrawal is always followed by other arrangements (HCS 3.2), in a conversation too.
  if (ctx.isWithdrawn && !ctx.isAlternativesOffered) return 'alternatives';
  if (deriveOutcome(ctx).status !== 'permitted' && !conv && !ctx.isAlternativesOffered) return 'alternatives';
  return 'done';
}

/** Recording is permitted and the permission still stands (nobody has joined since, nothing withdrawn). */
export const isPermissionInForce = (ctx: MeetingContext): boolean => ctx.outcome?.status === 'permitted';

/**
 * A requester is in the room: recording, which is on their device in the room, can go on (DOMAIN.md,
 * decisions). One taking part by phone or video is present but not recording (issue 18).
 */
export const isRequesterPresent = (ctx: MeetingContext): boolean =>
  activeRequesterIds(ctx).some((id) => isInRoom(ctx, id));

/** Present and in the room (not by phone or video): who can hold the tablet, sign on it, or record. */
export function isInRoom(ctx: MeetingContext, id: string): boolean {
  const a = attendeeById(ctx, id);
  return a?.isPresent === true && !isRemote(a);
}

/**
 * Who takes the answer of someone not in the room and records it as relayed (issue 18): the chair, or in a
 * conversation the professional holding it, in the room. Undefined when nobody can.
 */
export function relayerOf(ctx: MeetingContext): AttendeeState | undefined {
  const relayer = minuteConfirmer(ctx);
  return relayer && isInRoom(ctx, relayer.id) ? relayer : undefined;
}

/** The `relayedBy` an answer of this attendee must carry: the relayer's id when they are not in the room. */
export const relayedByFor = (ctx: MeetingContext, attendeeId: string): string | undefined =>
  isRemote(attendeeById(ctx, attendeeId)) ? relayerOf(ctx)?.id : undefined;

/** The interpreters present at the meeting through whom this attendee could answer (not themselves). */
export const interpretersFor = (ctx: MeetingContext, attendeeId: string): AttendeeState[] =>
  presentAttendees(ctx).filter((a) => a.role === 'interpreter' && a.id !== attendeeId);

/**
 * The chair may withdraw permission whenever it stands: before discussion, during it, or during a review
 * that began while it stood (DOMAIN.md, decisions; HCS 2.11), where the profile lets the chair withdraw.
 */
export function canWithdraw(ctx: MeetingContext): boolean {
  if (profileOf(ctx).whenRecordingShouldStop.value !== 'withdraw' || ctx.isWithdrawn) return false;
  return isPermissionInForce(ctx) || (ctx.outcome === null && ctx.wasPermitted);
}

/** Notice model (SSLSCB): a recording under way can be raised as excessive or oppressive, and advice sought. */
export const canEscalate = (ctx: MeetingContext): boolean =>
  profileOf(ctx).whenRecordingShouldStop.value === 'escalate' &&
  ctx.request !== null &&
  ctx.concern !== 'escalated';

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

/** Invited and expected, not yet arrived: "not here yet", never "left" (issue 19). */
export const isExpected = (a: AttendeeState): boolean => a.isExpected === true;

/** Those who were here and have gone (not those still expected). */
export const leftAttendees = (ctx: MeetingContext): AttendeeState[] =>
  ctx.attendees.filter((a) => !a.isPresent && !isExpected(a));

/** HCS 2.5: this attendee was told, by name, of the current request made in advance. */
export const wasToldOfRequest = (ctx: MeetingContext, attendeeId: string): boolean =>
  ctx.toldOfRequest?.[attendeeId] === true;

/**
 * HCS 2.5 and 2.11 (issue 19): a decision made in advance covers an invited attendee who was told of the
 * request and arrives before the discussion begins; they are not asked again. Anyone arriving who was not
 * told is asked, as a newcomer is (HCS 2.11), and so is anyone arriving once the discussion has begun (the
 * meeting has changed: HCS 2.11), or coming back after leaving.
 */
export function isCoveredByAdvanceDecision(ctx: MeetingContext, attendeeId: string): boolean {
  const a = attendeeById(ctx, attendeeId);
  return (
    a !== undefined &&
    isExpected(a) &&
    ctx.request?.timing === 'in-advance' &&
    isPermissionInForce(ctx) &&
    !ctx.hasDiscussionStarted &&
    wasToldOfRequest(ctx, attendeeId)
  );
}

// ---------------------------------------------------------------- signatures

export const MIN_SIGNATURE_POINTS = 10;
/** A signature must cover at least this share of the pad's smaller side: a dot or a tick is not one. */
export const MIN_SIGNATURE_EXTENT = 0.15;

/** An empty or near-empty pad cannot be submitted as a signature. */
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
  | 'field-required'
  | 'field-too-long'
  | 'field-invalid'
  | 'duplicate-attendee'
  | 'unknown-attendee'
  | 'attendee-not-present'
  | 'attendee-present'
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
  | 'disagreements-required'
  | 'ground-not-in-profile'
  | 'grounds-unaddressed'
  | 'other-grounds-unanswered'
  | 'nothing-offered'
  | 'not-permitted'
  | 'already-recording'
  | 'not-recording'
  | 'unknown-child'
  | 'request-in-force'
  | 'not-advance-request'
  | 'no-request'
  | 'cannot-withdraw'
  | 'cannot-escalate'
  | 'not-escalated'
  | 'nothing-to-correct'
  | 'correction-too-late'
  | 'cannot-remove'
  | 'not-the-chair'
  | 'already-confirmed'
  | 'cannot-discard'
  | 'already-answered'
  | 'ground-ruled-out'
  | 'purpose-required'
  | 'chair-not-present'
  | 'minute-not-confirmed'
  | 'undertaking-not-signed'
  | 'understanding-not-checked'
  | 'understanding-check-over'
  | 'understanding-version-changed'
  | 'not-the-current-question'
  | 'unknown-answer'
  | 'already-claimed'
  | 'relay-required'
  | 'relay-in-room'
  | 'not-the-relayer'
  | 'not-an-interpreter'
  | 'interpreter-not-present'
  | 'chair-in-room'
  | 'requester-not-in-room'
  | 'attendee-not-in-room'
  | 'not-their-language'
  | 'not-their-screen';

export interface Rejection {
  code: RejectionCode;
  message: string;
  /** The field of the event's payload the rejection is about, for a form to show it beside that field. */
  field?: string;
}

const reject = (code: RejectionCode, message: string, field?: string): Rejection => ({
  code,
  message,
  ...(field ? { field } : {}),
});

function checkNewAttendee(ctx: MeetingContext, attendee: Attendee & TakesPart): Rejection | null {
  if (attendeeById(ctx, attendee.id))
    return reject('duplicate-attendee', 'That attendee is already on the list.');
  if (attendee.role === 'chair' && isRemote(attendee)) return chairInRoom('takesPartBy');
  // As on their own screen: a language set up for them is one the tablet can show (the minute says so).
  if (attendee.language !== undefined && !isShippedLanguage(attendee.language))
    return reject('field-invalid', 'The tablet has no screens in that language.', 'language');
  return checkChildRefs(ctx, attendee);
}

/** Issue 18: the chair runs the meeting from the room, holding the tablet; they are never by phone or video. */
const chairInRoom = (field: string): Rejection =>
  reject('chair-in-room', 'The chair is always in the room.', field);

function checkChildRefs(
  ctx: MeetingContext,
  attendee: Pick<Attendee, 'parentalResponsibility' | 'subjectChildId'>,
): Rejection | null {
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

interface AnswerHow {
  attendeeId: string;
  interpreter?: InterpreterRef;
  relayedBy?: string;
}

/**
 * An answer comes from the attendee being asked, and says truly how it was given (issue 18): someone not in
 * the room answers through the chair, who records it as relayed; someone in the room answers on the tablet
 * themselves; an interpreter named is an interpreter present at the meeting.
 */
function checkAnswer(
  ctx: MeetingContext,
  { attendeeId, interpreter, relayedBy }: AnswerHow,
): Rejection | null {
  if (ctx.asking !== attendeeId) {
    return reject('not-being-asked', 'Only the attendee who has been handed the tablet can answer.');
  }
  const isAway = isRemote(attendeeById(ctx, attendeeId));
  if (isAway && relayedBy === undefined)
    return reject(
      'relay-required',
      'They are not in the room: the chair takes their answer and records it as relayed.',
      'relayedBy',
    );
  if (!isAway && relayedBy !== undefined)
    return reject(
      'relay-in-room',
      'They are in the room: they answer on the tablet themselves.',
      'relayedBy',
    );
  if (relayedBy !== undefined && relayedBy !== relayerOf(ctx)?.id)
    return reject('not-the-relayer', 'Only the chair, in the room, relays an answer.', 'relayedBy');
  if (interpreter) {
    const i = attendeeById(ctx, interpreter.attendeeId);
    if (!i) return reject('unknown-attendee', 'There is no such attendee.', 'interpreter.attendeeId');
    if (i.role !== 'interpreter' || i.id === attendeeId)
      return reject(
        'not-an-interpreter',
        'That person is not an interpreter at this meeting.',
        'interpreter.attendeeId',
      );
    if (!i.isPresent)
      return reject('interpreter-not-present', 'That interpreter is not present.', 'interpreter.attendeeId');
    // The meeting is held in English: "through the interpreter ... (English)" would say nothing true.
    if (isEnglish(interpreter.language))
      return reject(
        'field-invalid',
        'The meeting is held in English: choose the language the interpreter interpreted.',
        'interpreter.language',
      );
  }
  return null;
}

/**
 * Issue 18: the undertaking is signed, and its questions answered, by finger on the tablet in the room. A
 * requester taking part by phone or video comes into the room to sign, or chooses not to sign (declining
 * needs no tablet); until then the request waits at the undertaking and nothing is recorded.
 */
const signsInRoom = (field: string): Rejection =>
  reject(
    'requester-not-in-room',
    'The person signing signs on the tablet in the room: they come into the room first, or choose not to sign.',
    field,
  );

const noRequest = (ctx: MeetingContext): Rejection | null =>
  ctx.request ? null : reject('no-request', 'Nobody has asked to record.');

type Check<T extends DomainEvent['type']> = (ctx: MeetingContext, event: EventOf<T>) => Rejection | null;
type Checks = { [T in DomainEvent['type']]?: Check<T> };
type Preconditions = { [T in DomainEvent['type']]?: (ctx: MeetingContext) => Rejection | null };

/**
 * What must hold for a kind of event to be offered at all, whatever its content: the screens show a
 * control only when its kind is allowed (allowedKinds), and the same condition refuses the event itself.
 * The statechart already says which kinds belong to the current step; these say the rest.
 */
export const preconditions: Preconditions = {
  'attendee.added': (ctx) =>
    ctx.hasDiscussionStarted
      ? reject('not-allowed-now', 'The discussion has begun: record that they joined.')
      : null,
  'attendee.joined': (ctx) =>
    ctx.hasDiscussionStarted
      ? null
      : reject('not-allowed-now', 'The discussion has not begun: add them to the attendees.'),
  'attendee.left': (ctx) =>
    presentAttendees(ctx).length > 0 ? null : reject('attendee-not-present', 'Nobody is present.'),
  'attendee.participation-changed': (ctx) =>
    presentAttendees(ctx).length > 0 ? null : reject('attendee-not-present', 'Nobody is present.'),
  'attendee.returned': (ctx) =>
    ctx.attendees.some((a) => !a.isPresent)
      ? null
      : reject('attendee-present', 'Nobody has left, so nobody can return.'),
  'attendee.removed': (ctx) =>
    removableAttendees(ctx).length > 0
      ? null
      : reject('cannot-remove', 'Nobody can be removed: everyone has taken part.'),
  'request.made': (ctx) =>
    isPermissionInForce(ctx) ? reject('request-in-force', 'A request to record is already permitted.') : null,
  'request.corrected': noRequest,
  'pr-holder.objected': (ctx) =>
    ctx.request === null
      ? noRequest(ctx)
      : profileOf(ctx).refusalGrounds.some((g) => g.id === 'pr-holder-objected')
        ? null
        : reject('ground-not-in-profile', 'This policy has no ground for an objection of this kind.'),
  'request.attendees-notified': (ctx) =>
    ctx.request?.timing === 'in-advance'
      ? null
      : reject('not-advance-request', 'Attendees are notified only of a request made in advance.'),
  // HCS 2.5: the decision confirmed to the requester presupposes a request that has been decided.
  'request.outcome-confirmed': (ctx) =>
    ctx.outcome ? null : reject('no-request', 'No request has been decided, so there is nothing to confirm.'),
  // HCS 2.11: asking again presupposes a request to ask about.
  'review.requested': (ctx) =>
    ctx.request
      ? null
      : reject('no-request', 'Nobody has asked to record, so there is nothing to ask again.'),
  'understanding.answered': checkPrecondition,
  'understanding.skipped': checkPrecondition,
  'recording.started': (ctx) => {
    if (ctx.recording !== 'off') return reject('already-recording', 'Recording has already begun.');
    if (!isPermissionInForce(ctx)) return reject('not-permitted', 'Recording is not permitted.');
    if (unsignedRequiredUndertakings(ctx).length > 0)
      return reject(
        'undertaking-not-signed',
        'The person asking signs the undertaking before recording begins.',
      );
    return isRequesterPresent(ctx)
      ? null
      : reject('requester-not-present', 'The person recording is not in the meeting.');
  },
  'recording.resumed': (ctx) => {
    if (!isPermissionInForce(ctx)) return reject('not-permitted', 'Recording is not permitted.');
    return isRequesterPresent(ctx)
      ? null
      : reject('requester-not-present', 'The person recording is not in the meeting.');
  },
  'recording.paused': (ctx) =>
    ctx.recording === 'on' ? null : reject('not-recording', 'Recording is not going on.'),
  'recording.withdrawn': (ctx) =>
    canWithdraw(ctx) ? null : reject('cannot-withdraw', 'There is no permission standing to withdraw.'),
  'concern.escalated': (ctx) =>
    canEscalate(ctx)
      ? null
      : reject('cannot-escalate', 'Under this policy there is no recording to raise a concern about.'),
  'concern.advice-received': (ctx) =>
    ctx.concern === 'escalated'
      ? null
      : reject('not-escalated', 'No concern has been raised with the safeguarding lead.'),
  'minute.confirmed': (ctx) =>
    ctx.isMinuteConfirmed
      ? reject('already-confirmed', 'The chair has already confirmed the minute entry as it stands.')
      : ctx.attendees.some((a) => canConfirmMinute(ctx, a))
        ? null
        : reject('not-the-chair', 'Nobody on the attendee list is the chair.'),
  // DOMAIN.md: the chair confirms the minute entry before the meeting closes; it ends with that confirmation.
  'meeting.closed': (ctx) =>
    ctx.isMinuteConfirmed
      ? null
      : reject('minute-not-confirmed', 'The chair confirms the minute entry before the meeting is closed.'),
  // Issue 19: a prepared meeting is taken over once, before anything of the day's discussion is recorded.
  'custody.claimed': (ctx) =>
    ctx.isCustodyClaimed === true
      ? reject('already-claimed', 'A tablet has already taken this meeting over.')
      : ctx.hasDiscussionStarted
        ? reject('not-allowed-now', 'The discussion has begun: the meeting can no longer be taken over.')
        : null,
  // Nobody has been asked anything, in any round of any request: only then was it opened in error.
  'meeting.discarded': (ctx) =>
    !ctx.hasDiscussionStarted && ctx.outcome === null && Object.keys(ctx.tookPart).length === 0
      ? null
      : reject(
          'cannot-discard',
          'Only a meeting opened in error, before anyone has answered, can be discarded; close it instead.',
        ),
};

/** A ground the chair answers must be the policy's, and not one the facts already rule out. */
function checkGroundAnswer(ctx: MeetingContext, ground: RefusalGroundId): Rejection | null {
  const standing = groundStandings(ctx).find((g) => g.ground === ground);
  if (!standing) return reject('ground-not-in-profile', 'That ground is not one of this policy.', 'ground');
  return standing.standing === 'ruled-out'
    ? reject('ground-ruled-out', 'What has been recorded rules this ground out.', 'ground')
    : null;
}

/** Who can be removed as added in error: the screens offer exactly these people. */
export const removableAttendees = (ctx: MeetingContext): AttendeeState[] =>
  ctx.attendees.filter((a) => removalRefusal(ctx, a.id) === null);

/** Why this attendee cannot be removed as added in error (null: they can be). */
function removalRefusal(ctx: MeetingContext, attendeeId: string): Rejection | null {
  const a = attendeeById(ctx, attendeeId);
  if (!a) return reject('unknown-attendee', 'There is no such attendee.', 'attendeeId');
  if (isRequester(ctx, a.id) || ctx.tookPart[a.id] || ctx.answeredThrough?.[a.id] || ctx.asking === a.id) {
    return reject(
      'cannot-remove',
      'Someone who has asked, been asked, answered, or interpreted or relayed an answer cannot be removed; record that they left instead.',
      'attendeeId',
    );
  }
  return null;
}

/**
 * Content checks, by event type. A check runs only where the statechart accepts that kind of event, so
 * it need not repeat what the state already says (e.g. that a round is under way).
 */
export const checks: Checks = {
  'meeting.opened': (_ctx, { payload }) => {
    const ids = payload.subjectChildren.map((c) => c.id);
    return new Set(ids).size === ids.length
      ? null
      : reject('invalid-event', 'Each child needs a different id.', 'subjectChildren');
  },
  'attendee.added': (ctx, { payload }) =>
    checkNewAttendee(ctx, { ...payload.attendee, takesPartBy: payload.takesPartBy }),
  'attendee.joined': (ctx, { payload }) =>
    checkNewAttendee(ctx, { ...payload.attendee, takesPartBy: payload.takesPartBy }),
  'attendee.participation-changed': (ctx, { payload }) => {
    const a = attendeeById(ctx, payload.attendeeId);
    if (!a) return reject('unknown-attendee', 'There is no such attendee.', 'attendeeId');
    // Someone not here (expected, or gone for a while) may be coming another way: said before they come, so
    // that their arrival or return is minuted as it happened, never as the way first recorded.
    if (a.role === 'chair' && payload.takesPartBy !== 'in-room') return chairInRoom('takesPartBy');
    return (a.takesPartBy ?? 'in-room') === payload.takesPartBy
      ? reject('nothing-to-correct', 'They already take part that way.', 'takesPartBy')
      : null;
  },
  'attendee.left': (ctx, { payload }) => {
    const a = attendeeById(ctx, payload.attendeeId);
    if (!a) return reject('unknown-attendee', 'There is no such attendee.', 'attendeeId');
    if (isExpected(a))
      return reject('attendee-not-present', 'That attendee has not arrived yet.', 'attendeeId');
    return a.isPresent
      ? null
      : reject('attendee-not-present', 'That attendee has already left.', 'attendeeId');
  },
  'attendee.returned': (ctx, { payload }) => {
    const a = attendeeById(ctx, payload.attendeeId);
    if (!a) return reject('unknown-attendee', 'There is no such attendee.', 'attendeeId');
    return a.isPresent ? reject('attendee-present', 'That attendee is here.', 'attendeeId') : null;
  },
  'attendee.language-chosen': (ctx, { payload }) => {
    const a = attendeeById(ctx, payload.attendeeId);
    if (!a) return reject('unknown-attendee', 'There is no such attendee.', 'attendeeId');
    // Chosen on their own screen: only by someone in the room, and only a language the tablet can show.
    if (!a.isPresent) return reject('attendee-not-present', 'That attendee is not here.', 'attendeeId');
    if (!isInRoom(ctx, a.id))
      return reject(
        'attendee-not-in-room',
        'They take part by phone or video: they choose a language on the tablet only in the room.',
        'attendeeId',
      );
    if (!isShippedLanguage(payload.language))
      return reject('field-invalid', 'The tablet has no screens in that language.', 'language');
    // Their own screen is the one they hold: being asked, or about to sign the undertaking. The minute says
    // they chose it; nobody else's screen (nor the chair's) chooses for them.
    if (ctx.asking !== payload.attendeeId && payload.attendeeId !== requesterAwaitingUndertaking(ctx))
      return reject(
        'not-their-screen',
        'A language is chosen by the attendee on their own screen, while they hold the tablet.',
        'attendeeId',
      );
    return (a.language ?? SOURCE_LANGUAGE) === payload.language
      ? reject('nothing-to-correct', 'Nothing was changed.')
      : null;
  },
  'attendee.corrected': (ctx, { payload }) => {
    const a = attendeeById(ctx, payload.attendeeId);
    if (!a) return reject('unknown-attendee', 'There is no such attendee.', 'attendeeId');
    const { attendeeId: _id, ...fields } = payload;
    const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter(
      (k) => JSON.stringify(fields[k]) !== JSON.stringify(a[k]),
    );
    if (changed.length === 0) return reject('nothing-to-correct', 'Nothing was changed.');
    const refs = checkChildRefs(ctx, fields);
    if (refs) return refs;
    if (fields.role === 'chair' && isRemote(a)) return chairInRoom('role');
    // What someone is (role, parental responsibility, which child) decides eligibility and the grounds:
    // once they have answered or their eligibility is decided, the chair asks again instead.
    // "Through the interpreter ..." and "relayed by the chair" are in the minute: they stay true.
    if (changed.includes('role') && ctx.answeredThrough?.[a.id])
      return reject(
        'correction-too-late',
        'An answer was given through them, as the interpreter or relayed by the chair: their role cannot be corrected.',
        'role',
      );
    const decidesStanding = changed.some((k) => k !== 'name' && k !== 'agency');
    const hasTakenPart =
      ctx.answers[a.id] !== undefined || (isRequester(ctx, a.id) && ctx.eligibility[a.id] !== undefined);
    return decidesStanding && hasTakenPart
      ? reject(
          'correction-too-late',
          'Their answer or eligibility already rests on these details: ask everyone again after correcting.',
          changed.find((k) => k !== 'name' && k !== 'agency'),
        )
      : null;
  },
  'attendee.removed': (ctx, { payload }) => removalRefusal(ctx, payload.attendeeId),
  'request.made': (ctx, { payload: { request } }) => {
    const ids = [request.requesterId, ...(request.additionalRequesterIds ?? [])];
    if (new Set(ids).size !== ids.length)
      return reject('duplicate-attendee', 'Each requester is named once.', 'additionalRequesterIds');
    for (const id of ids) {
      const requester = attendeeById(ctx, id);
      if (!requester) return reject('unknown-attendee', 'There is no such attendee.', 'requesterId');
      // HCS 2.5: a request made in advance is decided without the requester in the room.
      if (!requester.isPresent && request.timing !== 'in-advance')
        return reject('requester-not-present', 'The person asking must be present.', 'requesterId');
    }
    // HCS 2.5: a request comes "with its purpose"; the minute must say why the recording was wanted.
    if (request.reasons.length === 0 && request.purpose.trim() === '')
      return reject(
        'purpose-required',
        'Say why they want to record: choose a reason or write it.',
        'purpose',
      );
    if (
      request.timing === 'in-advance' &&
      ctx.meeting &&
      Date.parse(request.receivedAt) >= Date.parse(ctx.meeting.scheduledAt)
    )
      return reject(
        'wrong-timing',
        'A request received after the meeting’s time was not made in advance.',
        'receivedAt',
      );
    // A request received more than a day before the meeting was made in advance (HCS 2.5), not on the day.
    if (
      request.timing === 'on-the-day' &&
      ctx.meeting &&
      Date.parse(request.receivedAt) < Date.parse(ctx.meeting.scheduledAt) - 24 * 3_600_000
    )
      return reject(
        'wrong-timing',
        'It was received more than a day before the meeting: record it as made in advance.',
        'receivedAt',
      );
    if (ctx.hasDiscussionStarted !== (request.timing === 'after-start')) {
      return reject(
        'wrong-timing',
        ctx.hasDiscussionStarted
          ? 'The discussion has begun: this request is made after the start.'
          : 'The discussion has not begun yet: the request is made in advance or on the day.',
        'timing',
      );
    }
    // A request made in advance may be recorded before anyone is in the room (HCS 2.5: in the office, on a
    // meeting prepared on the records service, issue 19); the attendees are asked when they are there.
    if (request.timing !== 'in-advance' && !presentAttendees(ctx).some((a) => !ids.includes(a.id))) {
      return reject('nobody-to-ask', 'There is nobody present to ask.');
    }
    return null;
  },
  // HCS 2.5: who was told is someone on the attendee list, named once; the person asking is not told of
  // their own request.
  'request.attendees-notified': (ctx, { payload }) => {
    const ids = payload.attendeeIds ?? [];
    if (new Set(ids).size !== ids.length)
      return reject('duplicate-attendee', 'Each attendee told is named once.', 'attendeeIds');
    if (ids.some((id) => !attendeeById(ctx, id)))
      return reject('unknown-attendee', 'There is no such attendee.', 'attendeeIds');
    return ids.some((id) => isRequester(ctx, id))
      ? reject(
          'requester-is-not-asked',
          'The person asking made the request: they are not told of it.',
          'attendeeIds',
        )
      : null;
  },
  'request.corrected': (ctx, { payload }) => {
    const r = ctx.request;
    if (!r) return noRequest(ctx);
    const purposeChanged = payload.purpose !== undefined && payload.purpose !== r.purpose;
    const reasonsChanged =
      payload.reasons !== undefined && JSON.stringify(payload.reasons) !== JSON.stringify(r.reasons);
    if (!purposeChanged && !reasonsChanged) return reject('nothing-to-correct', 'Nothing was changed.');
    const purpose = payload.purpose ?? r.purpose;
    const reasons = payload.reasons ?? r.reasons;
    return reasons.length === 0 && purpose.trim() === ''
      ? reject('purpose-required', 'A correction cannot leave the request with no purpose.', 'purpose')
      : null;
  },
  'eligibility.confirmed': (ctx, { payload }) => {
    const requesterId = payload.requesterId ?? ctx.request?.requesterId ?? '';
    if (requesterId !== requesterAwaitingEligibility(ctx)) {
      return reject(
        'not-the-requester',
        'That person’s eligibility is not the one to decide now.',
        'requesterId',
      );
    }
    const basis = eligibilityBasis(ctx, requesterId);
    if (basis === null) {
      return reject(
        'not-eligible',
        'Only a subject child, or a parent with parental responsibility for a subject child, may ask to record.',
        'basis',
      );
    }
    return payload.basis === basis
      ? null
      : reject('not-eligible', `The requester is eligible as ${basis}.`, 'basis');
  },
  'eligibility.refused': (ctx, { payload }) =>
    (payload.requesterId ?? ctx.request?.requesterId) === requesterAwaitingEligibility(ctx)
      ? null
      : reject('not-the-requester', 'That person’s eligibility is not the one to decide now.', 'requesterId'),
  'undertaking.signed': (ctx, { payload }) => {
    const profile = profileOf(ctx);
    if (payload.signerId !== requesterAwaitingUndertaking(ctx)) {
      return reject(
        'not-the-requester',
        'Only the person asking to record signs the undertaking.',
        'signerId',
      );
    }
    if (attendeeById(ctx, payload.signerId)?.isPresent !== true)
      return reject('requester-not-present', 'The person signing must be at the meeting.', 'signerId');
    if (!isInRoom(ctx, payload.signerId)) return signsInRoom('signerId');
    // The version signed must be one this council approved (today's or an earlier one), with its own hash.
    if (undertakingVersionOf(profile, payload.textVersion)?.sha256 !== payload.textSha256) {
      return reject('undertaking-text-mismatch', 'The undertaking signed is not the text of this policy.');
    }
    // A translation shown beside the English must be the signed version's, with its own hash, and in the
    // signer's own language; where that version has one in their language, it is shown (issue 18).
    const signerLanguage = attendeeById(ctx, payload.signerId)?.language ?? SOURCE_LANGUAGE;
    const theirs = signersTranslation(ctx, payload.signerId, payload.textVersion);
    if (payload.translation) {
      const shown = undertakingTranslationOf(profile, payload.translation.language, payload.textVersion);
      if (shown?.sha256 !== payload.translation.textSha256)
        return reject(
          'undertaking-text-mismatch',
          'The translation of the undertaking signed is not the one of this policy.',
          'translation',
        );
      if (payload.translation.language !== signerLanguage)
        return reject(
          'not-their-language',
          'The undertaking was shown in a language other than the one the person signing chose.',
          'translation',
        );
    } else if (theirs) {
      return reject(
        'not-their-language',
        'The person signing chose a language the undertaking is translated into: it is shown in that language, beside the English.',
        'translation',
      );
    }
    if (!isUnderstandingSettled(ctx, payload.signerId, payload.textVersion)) {
      return reject(
        'understanding-not-checked',
        'The person signing answers the questions about the undertaking first, or the chair records why not.',
      );
    }
    return isSignatureSubstantial(payload.signature)
      ? null
      : reject('signature-too-small', 'The signature is empty or too small to be a signature.', 'signature');
  },
  'understanding.answered': (ctx, { payload }) => {
    if (payload.signerId !== requesterAwaitingUndertaking(ctx))
      return reject('not-the-requester', 'Only the person about to sign answers the questions.', 'signerId');
    if (attendeeById(ctx, payload.signerId)?.isPresent !== true)
      return reject('requester-not-present', 'The person answering must be at the meeting.', 'signerId');
    if (!isInRoom(ctx, payload.signerId)) return signsInRoom('signerId');
    const questions = understandingQuestionsOf(profileOf(ctx), payload.textVersion);
    if (questions.length === 0)
      return reject(
        'undertaking-text-mismatch',
        'That version of the undertaking has no questions.',
        'textVersion',
      );
    const check = understandingOf(ctx, payload.signerId);
    if (check.textVersion !== null && check.textVersion !== payload.textVersion)
      return reject(
        'understanding-version-changed',
        'The questions answered so far were about another version of the undertaking.',
        'textVersion',
      );
    const question = currentQuestion(ctx, payload.signerId, payload.textVersion);
    if (check.skipped || question === null)
      return reject('understanding-check-over', 'The check of understanding is over.');
    if (payload.questionId !== question.id)
      return reject('not-the-current-question', 'That is not the question being asked now.', 'questionId');
    return question.answers.some((a) => a.id === payload.answerId)
      ? null
      : reject('unknown-answer', 'That is not one of the answers to this question.', 'answerId');
  },
  'understanding.skipped': (ctx, { payload }) => {
    if (payload.signerId !== requesterAwaitingUndertaking(ctx))
      return reject('not-the-requester', 'That person is not about to sign.', 'signerId');
    const check = understandingOf(ctx, payload.signerId);
    const version = check.textVersion ?? profileOf(ctx).undertaking.version;
    return check.skipped || isUnderstandingSettled(ctx, payload.signerId, version)
      ? reject('understanding-check-over', 'The check of understanding is over.')
      : null;
  },
  'undertaking.declined': (ctx, { payload }) => {
    if (payload.signerId !== requesterAwaitingUndertaking(ctx))
      return reject('not-the-requester', 'Only the person asking to record can decline to sign.', 'signerId');
    // Someone by phone or video gives their choice through the chair in the room (issue 18), as an answer.
    return isRemote(attendeeById(ctx, payload.signerId)) && relayerOf(ctx) === undefined
      ? reject(
          'relay-required',
          'They are not in the room: the chair, in the room, takes their choice and records it as relayed.',
          'signerId',
        )
      : null;
  },
  'consent.asked': (ctx, { payload }) => {
    const a = attendeeById(ctx, payload.attendeeId);
    if (!a) return reject('unknown-attendee', 'There is no such attendee.', 'attendeeId');
    if (!a.isPresent) return reject('attendee-not-present', 'That attendee is not present.', 'attendeeId');
    // An answer stays in the round it was given in: a change of mind is heard by asking everyone again.
    if (ctx.answers[a.id] !== undefined)
      return reject(
        'already-answered',
        'They have answered in this round; ask everyone again to hear it anew.',
        'attendeeId',
      );
    return isRequester(ctx, a.id)
      ? reject('requester-is-not-asked', 'The person asking to record is not asked for permission.')
      : null;
  },
  'consent.given': (ctx, { payload }) => checkAnswer(ctx, payload),
  'consent.declined': (ctx, { payload }) => {
    const answer = checkAnswer(ctx, payload);
    if (answer) return answer;
    // "Another reason" with no words of the person's own says nothing the person asking can be told.
    const hasReason =
      payload.reason.trim() !== '' || (payload.reasonChoices ?? []).some((choice) => choice !== 'other');
    // HCS 2.8: attendees inform the parent of the reason; HCS 2.4: "a very valid reason" in a conversation.
    if (!hasReason && (profileOf(ctx).declineReason.isRequired || isConversation(ctx))) {
      return reject(
        'reason-required',
        'Say why, so that the person asking can be told the reason.',
        'reason',
      );
    }
    return null;
  },
  'consent.authorisation-needed': (ctx, { payload }) => checkAnswer(ctx, payload),
  'ground.confirmed': (ctx, { payload }) => checkGroundAnswer(ctx, payload.ground),
  'ground.dismissed': (ctx, { payload }) => checkGroundAnswer(ctx, payload.ground),
  'screening.completed': (ctx, { payload }) => {
    if (unaddressedDerivedGrounds(ctx).length > 0) {
      return reject(
        'grounds-unaddressed',
        'Each ground raised by the facts must be confirmed or dismissed, with a note.',
      );
    }
    return unansweredChairGrounds(ctx).length > 0 && payload.otherGroundsNotApplicable !== true
      ? reject(
          'other-grounds-unanswered',
          'Answer each of the other grounds, or record that none of them applies.',
          'otherGroundsNotApplicable',
        )
      : null;
  },
  'chair.decided': (ctx, { payload }) => {
    // HCS 2.12: the decision is the chair's, made and recorded in the meeting.
    if (chairOf(ctx)?.isPresent !== true)
      return reject('chair-not-present', 'The chair is not in the meeting to decide.');
    return payload.disagreements.trim() === ''
      ? reject('disagreements-required', 'Note the disagreements the decision settles.', 'disagreements')
      : null;
  },
  'alternatives.offered': (_ctx, { payload }) =>
    payload.arrangements.length > 0 || payload.note.trim() !== ''
      ? null
      : reject(
          'nothing-offered',
          'Choose at least one arrangement, or say in a note what was offered.',
          'arrangements',
        ),
  'minute.confirmed': (ctx, { payload }) => {
    const confirmer = minuteConfirmer(ctx);
    if (confirmer?.id !== payload.chairId)
      return reject('not-the-chair', 'Only the chair confirms the minute entry.', 'chairId');
    if (!confirmer.isPresent)
      return reject('chair-not-present', 'The chair has left; the minute is confirmed in the meeting.');
    // Issue 18: confirmed on the tablet, so in the room (a chair always is; a conversation's professional may not be).
    return isInRoom(ctx, confirmer.id)
      ? null
      : reject(
          'attendee-not-in-room',
          'They take part by phone or video: the minute is confirmed on the tablet in the room.',
          'chairId',
        );
  },
};

/**
 * The event as it is sealed at `at`: what it says that depends on that moment is said as the rules hold it
 * then. Whether the translation signed was approved is the council's list at the moment the signature is
 * sealed, which the screen cannot know (the store seals at the previous event's time when the clock was set
 * back, and a tap just before midnight is sealed just after). The tablet seals with this; the records service
 * checks the claim (checkEventTime), so a log that says otherwise is refused.
 */
export function asSealedAt(ctx: MeetingContext, event: DomainEvent, at: string): DomainEvent {
  if (event.type !== 'undertaking.signed' || !event.payload.translation) return event;
  const isApproved = isUndertakingTranslationApproved(profileOf(ctx), event.payload.translation, at);
  if (isApproved === event.payload.translation.isApproved) return event;
  return {
    ...event,
    payload: { ...event.payload, translation: { ...event.payload.translation, isApproved } },
  };
}

/**
 * What needs the moment an event is written (its envelope's `at`), which the statechart does not see: a
 * request cannot have been received after it was recorded (a minute of leeway for the clock's seconds).
 */
export function checkEventTime(ctx: MeetingContext, event: DomainEvent, at: string): Rejection | null {
  // Whether a translation was approved is the council's list at that moment, not the tablet's say-so.
  if (
    event.type === 'undertaking.signed' &&
    event.payload.translation &&
    event.payload.translation.isApproved !==
      isUndertakingTranslationApproved(profileOf(ctx), event.payload.translation, at)
  ) {
    return reject(
      'undertaking-text-mismatch',
      event.payload.translation.isApproved
        ? 'The council had not approved that translation when it was signed.'
        : 'The council had approved that translation when it was signed.',
      'translation',
    );
  }
  if (
    event.type === 'request.made' &&
    Date.parse(event.payload.request.receivedAt) > Date.parse(at) + 60_000
  ) {
    return reject(
      'wrong-timing',
      'The request cannot have been received after the moment it was recorded.',
      'receivedAt',
    );
  }
  return null;
}

/** The content check for one event, after its kind's precondition; null when it is acceptable. */
export function checkEvent(ctx: MeetingContext, event: DomainEvent): Rejection | null {
  const pre = preconditions[event.type];
  const refusal = pre ? pre(ctx) : null;
  if (refusal) return refusal;
  const check = checks[event.type] as ((c: MeetingContext, e: DomainEvent) => Rejection | null) | undefined;
  return check ? check(ctx, event) : null;
}

/** Whether an event of this kind could be accepted now, whatever its content (its precondition holds). */
export const isKindPossible = (ctx: MeetingContext, type: DomainEvent['type']): boolean =>
  (preconditions[type]?.(ctx) ?? null) === null;
