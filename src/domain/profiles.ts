/**
 * Policy profiles: where the two guidance documents differ, the difference is data here, never an
 * `if (authority === ...)` in code (DOMAIN.md, last table). Every rule carries its guidance reference so
 * that a screen can show the chair why a step is there.
 */

export type GuidanceRef = string;

export type RefusalGroundId =
  | 'no-parental-responsibility'
  | 'pr-holder-objected'
  | 'child-objected'
  | 'history-of-misuse'
  | 'threat-to-publish'
  | 'alternatives-meet-need';

export interface RefusalGround {
  id: RefusalGroundId;
  /** Grounds 1-3 follow from facts the app already holds (HCS 1.4); the chair confirms or dismisses them. */
  isDerived: boolean;
  summary: string;
  ref: GuidanceRef;
}

export type AlternativeId =
  | 'detailed-minutes'
  | 'minutes-sent-early'
  | 'note-taker-or-advocate'
  | 'breaks-and-summaries'
  | 'written-summary-of-decisions'
  | 'pre-meeting-explanation';

export interface AlternativeArrangement {
  id: AlternativeId;
  summary: string;
}

export interface UndertakingText {
  version: string;
  /** SHA-256 (hex) of `text`, UTF-8. A unit test recomputes it, so it cannot drift from the text. */
  sha256: string;
  text: string;
  ref: GuidanceRef;
}

export type DecisionModel = 'permission' | 'notice';
export type UndertakingRequirement = 'required' | 'offered' | 'not-used';

export type DeclineReasonId =
  | 'investigation-details'
  | 'third-party-information'
  | 'personal-safety'
  | 'needs-legal-advice'
  | 'other';

/** A common reason for not agreeing, offered as one tap (the attendee may add words of their own). */
export interface DeclineReasonChoice {
  id: DeclineReasonId;
  summary: string;
}

export const DECLINE_REASON_IDS: readonly DeclineReasonId[] = [
  'investigation-details',
  'third-party-information',
  'personal-safety',
  'needs-legal-advice',
  'other',
];

const DECLINE_REASONS: readonly DeclineReasonChoice[] = [
  { id: 'investigation-details', summary: 'Details of an investigation will be shared' },
  { id: 'third-party-information', summary: 'Information about other people will be shared' },
  { id: 'personal-safety', summary: 'Concern for someone’s personal safety' },
  { id: 'needs-legal-advice', summary: 'Legal advice is needed first' },
];

export interface PolicyProfile {
  id: ProfileId;
  name: string;
  source: string;
  decisionModel: { value: DecisionModel; ref: GuidanceRef };
  /** Who may ask (HCS 1.3). When false, anyone present may ask and their view is recorded. */
  eligibilityRequired: { value: boolean; ref: GuidanceRef };
  undertaking: UndertakingText & {
    /**
     * 'required': a request whose requester will not sign cannot proceed (HCS 1.3, 3.3). 'offered': the
     * requester is offered the undertaking and may decline (SSLSCB never asks for one). 'not-used': no step.
     */
    requirement: UndertakingRequirement;
    /** How the minute names what was signed, and what the signer was told of their copy (HCS 3.3b). */
    minuteName: string;
    copyNotice: { text: string; ref: GuidanceRef } | null;
    /** Permission model: a request whose requester will not sign cannot proceed (HCS 1.3). */
    declineEndsRequest: boolean;
  };
  /** HCS 2.8: attendees "should inform the parent or carer of the reason"; SSLSCB records views. */
  declineReason: { isRequired: boolean; choices: readonly DeclineReasonChoice[]; ref: GuidanceRef };
  /**
   * What the chair may do when a recording that stands should not go on: withdraw permission (HCS 2.11), or,
   * where recording cannot be banned, record that it was raised as excessive or oppressive and that the
   * safeguarding lead's advice was sought (SSLSCB).
   */
  whenRecordingShouldStop: { value: 'withdraw' | 'escalate'; ref: GuidanceRef };
  chairDecidesProfessionalDisagreement: { value: boolean; ref: GuidanceRef };
  /**
   * HCS 2.5: attendees are told of a request made in advance; SSLSCB: "for planned recordings advance
   * consent should be sought" - the minute says which was done.
   */
  advanceNotice: { hours: number; ref: GuidanceRef; summary: string; attendeesWere: 'told' | 'asked' };
  covertRecording: { advice: string; ref: GuidanceRef };
  refusalGrounds: readonly RefusalGround[];
  alternatives: { offered: readonly AlternativeArrangement[]; ref: GuidanceRef };
  /**
   * How many hours after closing a meeting stays readable on the tablet (behind the PIN) before every
   * plaintext copy there is deleted (issue 16). Absent: 8 hours.
   */
  tabletReadableHours?: number;
  /** References shown beside each step of the process. */
  refs: {
    conversationRequest: GuidanceRef;
    conversationAgreed: GuidanceRef;
    conversationDeclined: GuidanceRef;
    round: GuidanceRef;
    allAgreed: GuidanceRef;
    notAllAgreed: GuidanceRef;
    notCancelled: GuidanceRef;
    minutes: GuidanceRef;
    changes: GuidanceRef;
  };
}

export type ProfileId = 'hertfordshire' | 'staffordshire-stoke';

const HCS_UNDERTAKING = [
  'I am asking to record this meeting. I promise that:',
  '',
  'I will not share the recording publicly. This includes any place where private information about the child could become public or cause harm to the child or family.',
  'I will not use the recording to commit a crime.',
  '',
  'I understand that:',
  "a) I can only use the recording in relation to Children's Services involvement.",
  'b) I must give a copy of the recording to the chair of the meeting, and to anyone who was at the meeting, if they ask for it.',
  'c) I must not share the recording on social media, or on any online or other public forum.',
  "d) If I share the recording publicly and it is found to be harmful to the child, Children's Services (or a parent or carer) may take steps to get an injunction to have it removed.",
  'e) Legal advice may be sought about whether this is a matter for the civil courts or a criminal matter, if there is concern about harm to children, families or professionals.',
].join('\n');

const SSLSCB_UNDERTAKING = [
  'I am recording this meeting to keep my own record of what was said. I promise that:',
  '',
  'I will use the recording as my own record of this meeting.',
  'I will not share it, or change it, in a way that is meant to harm, harass or frighten anyone in it.',
  '',
  'I understand that:',
  'a) Recording a meeting is not the same as sharing or publishing the recording.',
  'b) Sharing the recording without the agreement of the people in it may lead to civil action, and may be a criminal offence.',
  'c) A court would have to give permission before the recording could be used in court.',
].join('\n');

const ALTERNATIVES: readonly AlternativeArrangement[] = [
  { id: 'detailed-minutes', summary: 'A detailed written record of the meeting' },
  { id: 'minutes-sent-early', summary: 'The minutes sent to the family as soon as they are ready' },
  { id: 'note-taker-or-advocate', summary: 'A note-taker, advocate or supporter to help the family' },
  { id: 'breaks-and-summaries', summary: 'Breaks, with a summary of each part of the meeting as it goes' },
  { id: 'written-summary-of-decisions', summary: 'A written summary of the decisions given at the end' },
  { id: 'pre-meeting-explanation', summary: 'The meeting explained to the family beforehand' },
];

export const HERTFORDSHIRE: PolicyProfile = {
  id: 'hertfordshire',
  name: "Hertfordshire Children's Services",
  source: "Recording of Children's Services meetings: guidance for parents and carers (HCS)",
  decisionModel: { value: 'permission', ref: 'HCS 2.7' },
  eligibilityRequired: { value: true, ref: 'HCS 1.3' },
  undertaking: {
    version: 'hcs-2026-1',
    sha256: 'a04ea7e6586e8952413d4da2bdc21e88d542366c71853b340f51ab929be137c6',
    text: HCS_UNDERTAKING,
    ref: 'HCS 1.3, 3.3',
    requirement: 'required',
    minuteName: 'the undertaking not to share the recording',
    copyNotice: {
      text: 'They were told that they must give a copy of the recording to the chair, or to anyone at the meeting, who asks for one.',
      ref: 'HCS 3.3b',
    },
    declineEndsRequest: true,
  },
  declineReason: { isRequired: true, choices: DECLINE_REASONS, ref: 'HCS 2.8' },
  whenRecordingShouldStop: { value: 'withdraw', ref: 'HCS 2.11' },
  chairDecidesProfessionalDisagreement: { value: true, ref: 'HCS 2.12' },
  advanceNotice: {
    hours: 48,
    ref: 'HCS 2.5',
    summary: 'A request should be made as soon as the meeting is known, at least 48 hours before.',
    attendeesWere: 'told',
  },
  covertRecording: {
    advice:
      'Follow the process for suspected covert recording: explain that permission is needed and ask whether the person wishes to make a request.',
    ref: 'HCS 1.1',
  },
  refusalGrounds: [
    {
      id: 'no-parental-responsibility',
      isDerived: true,
      summary:
        'The parent does not have parental responsibility for one or more of the children, and sensitive information about them is likely to be discussed.',
      ref: 'HCS 1.4',
    },
    {
      id: 'pr-holder-objected',
      isDerived: true,
      summary: 'Another person with parental responsibility has objected.',
      ref: 'HCS 1.4',
    },
    {
      id: 'child-objected',
      isDerived: true,
      summary: 'The child or young person objects.',
      ref: 'HCS 1.4',
    },
    {
      id: 'history-of-misuse',
      isDerived: false,
      summary:
        'There is a history of the parent misusing information: distributing it, or using it to harass or commit a criminal act.',
      ref: 'HCS 1.4',
    },
    {
      id: 'threat-to-publish',
      isDerived: false,
      summary:
        'There is an explicit or implied threat to go public, put it online, or circulate it to cause distress or fear.',
      ref: 'HCS 1.4',
    },
    {
      id: 'alternatives-meet-need',
      isDerived: false,
      summary: 'Alternative arrangements fully meet the need, or a detailed record can already be provided.',
      ref: 'HCS 1.4',
    },
  ],
  alternatives: { offered: ALTERNATIVES, ref: 'HCS 3.2, 2.12' },
  refs: {
    conversationRequest: 'HCS 2.2',
    conversationAgreed: 'HCS 2.3',
    conversationDeclined: 'HCS 2.4',
    round: 'HCS 2.6',
    allAgreed: 'HCS 2.7',
    notAllAgreed: 'HCS 2.8',
    notCancelled: 'HCS 2.9',
    minutes: 'HCS 2.10',
    changes: 'HCS 2.11',
  },
};

export const STAFFORDSHIRE_STOKE: PolicyProfile = {
  id: 'staffordshire-stoke',
  name: 'Staffordshire and Stoke-on-Trent LSCB',
  source: 'Joint Staffordshire & Stoke-on-Trent LSCB guidance on electronic and digital recording (SSLSCB)',
  decisionModel: { value: 'notice', ref: 'SSLSCB Top tips: "this action cannot be banned"' },
  eligibilityRequired: { value: false, ref: 'SSLSCB Risks: "does not require permission"' },
  undertaking: {
    version: 'sslscb-2026-1',
    sha256: 'c569fc7d9261264fd237864a78c114c983ac1b7174a23256d4b8c355aaf045f9',
    text: SSLSCB_UNDERTAKING,
    ref: 'SSLSCB Potential legal action',
    requirement: 'offered',
    minuteName:
      'the promise about how the recording will be used, which this policy offers but does not require',
    copyNotice: null,
    declineEndsRequest: false,
  },
  declineReason: { isRequired: false, choices: DECLINE_REASONS, ref: 'SSLSCB Top tips' },
  whenRecordingShouldStop: {
    value: 'escalate',
    ref: 'SSLSCB Top tips: seek advice from the designated safeguarding lead',
  },
  chairDecidesProfessionalDisagreement: {
    value: false,
    ref: 'SSLSCB (not stated: the chair records views)',
  },
  advanceNotice: {
    hours: 0,
    ref: 'SSLSCB Top tips',
    summary: 'For planned recordings advance consent should be sought.',
    attendeesWere: 'asked',
  },
  covertRecording: {
    advice: "Don't fear covert recording. Note it, and seek advice from your designated safeguarding lead.",
    ref: 'SSLSCB Top tips',
  },
  refusalGrounds: [],
  alternatives: { offered: ALTERNATIVES, ref: 'SSLSCB Top tips' },
  refs: {
    conversationRequest: 'SSLSCB Risks',
    conversationAgreed: 'SSLSCB Risks',
    conversationDeclined: 'SSLSCB Top tips',
    round: 'SSLSCB Risks: "permission should be sought"',
    allAgreed: 'SSLSCB Risks',
    notAllAgreed: 'SSLSCB Top tips',
    notCancelled: 'SSLSCB Top tips',
    minutes: 'SSLSCB Top tips',
    changes: 'SSLSCB Top tips',
  },
};

export const PROFILES: Readonly<Record<ProfileId, PolicyProfile>> = {
  hertfordshire: HERTFORDSHIRE,
  'staffordshire-stoke': STAFFORDSHIRE_STOKE,
};

export const DEFAULT_PROFILE_ID: ProfileId = 'hertfordshire';

export function isProfileId(value: unknown): value is ProfileId {
  return typeof value === 'string' && Object.hasOwn(PROFILES, value);
}

export function profileById(id: ProfileId): PolicyProfile {
  return PROFILES[id];
}
