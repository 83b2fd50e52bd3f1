/**
 * Policy profiles: where the two guidance documents differ, the difference is data here, never an
 * `if (authority === ...)` in code (DOMAIN.md, last table). Every rule carries its guidance reference so
 * that a screen can show the chair why a step is there.
 */

import { isTranslated, type TranslatedLanguage } from './languages';
import { HCS_TRANSLATIONS, type UndertakingTranslation } from './undertakingTranslations';

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

/** The pictures of the Easy read undertaking (drawn in src/export/easyReadPictures.ts). */
export type EasyReadPictureId =
  | 'recording'
  | 'childrens-services'
  | 'give-copy'
  | 'no-internet'
  | 'court'
  | 'legal-advice'
  | 'sign';

/** One idea of the Easy read undertaking, with the picture shown beside it. */
export interface EasyReadLine {
  text: string;
  picture: EasyReadPictureId;
}

/**
 * The three ways the same undertaking is written, shown and signed together: the council's approved text
 * exactly (`full`), a plain-English version (short sentences, everyday words, for a reading age of about
 * nine) and an Easy read version (one idea per line, each with a picture).
 */
export interface UndertakingVersions {
  full: string;
  plain: string;
  easyRead: readonly EasyReadLine[];
  /**
   * The check of understanding asked before signing (issue 18): hashed with the words, so a signature says
   * which questions were asked. A version without questions (the earlier ones) has no check.
   */
  questions?: readonly UnderstandingQuestion[];
}

/** One of the few big answers to a question of the check; the right one is marked. */
export interface UnderstandingAnswer {
  id: string;
  text: string;
  isRight: boolean;
}

/**
 * A question of the check of understanding, about one point of the undertaking: a picture, a short question
 * and two or three big answers. A wrong answer shows `explanation` (the point again in plain words) and the
 * question is asked again. `point` names the point in the minute ("not putting the recording online").
 */
export interface UnderstandingQuestion {
  id: string;
  point: string;
  question: string;
  picture: EasyReadPictureId;
  answers: readonly UnderstandingAnswer[];
  explanation: string;
}

export interface UndertakingText {
  /** Changes whenever any of the three versions changes. */
  version: string;
  /**
   * SHA-256 (hex) of the UTF-8 bytes of the RFC 8785 canonical JSON of `versions`
   * (`{"easyRead":[{"picture":...,"text":...},...],"full":...,"plain":...}`), computed by
   * `undertakingSha256` (chain.ts). What was shown is what was signed: an `undertaking.signed` event
   * carries this hash, and a unit test recomputes it, so no version can be edited without the hash failing.
   */
  sha256: string;
  /** The council's approved text (the same as `versions.full`). */
  text: string;
  versions: UndertakingVersions;
  ref: GuidanceRef;
  /**
   * Earlier versions the council approved, newest first. A signature given under one stays valid for ever
   * (a stored log is never rewritten, and a tablet still running the earlier app signs what it showed),
   * and its documents print the words of the version signed, not today's.
   */
  superseded: readonly SupersededUndertaking[];
  /**
   * This version's plain words, Easy read and questions in other languages (issue 18), each with its own
   * hash. A language without one is shown the English only.
   */
  translations?: Readonly<Partial<Record<TranslatedLanguage, UndertakingTranslation>>>;
}

/**
 * An earlier version of the undertaking: its id, the SHA-256 its signatures carry, and the words that were
 * shown. Versions before plain English and Easy read were hashed as the full text's UTF-8 bytes alone.
 */
export interface SupersededUndertaking {
  version: string;
  sha256: string;
  versions: {
    full: string;
    plain?: string;
    easyRead?: readonly EasyReadLine[];
    questions?: readonly UnderstandingQuestion[];
  };
  /** That version's translations, kept with it so signatures given in another language still replay. */
  translations?: Readonly<Partial<Record<TranslatedLanguage, UndertakingTranslation>>>;
}

/** The words and hash of the undertaking version a signature names, current or superseded; null if none. */
export function undertakingVersionOf(
  profile: PolicyProfile,
  version: string,
): { version: string; sha256: string; versions: SupersededUndertaking['versions'] } | null {
  const u = profile.undertaking;
  if (u.version === version) return { version, sha256: u.sha256, versions: u.versions };
  return u.superseded.find((v) => v.version === version) ?? null;
}

/** The questions of the check of understanding for this version of the undertaking (none for earlier ones). */
export function understandingQuestionsOf(
  profile: PolicyProfile,
  version: string,
): readonly UnderstandingQuestion[] {
  return undertakingVersionOf(profile, version)?.versions.questions ?? [];
}

/** A council's approval of one language's translation, from a day (and until one, if withdrawn). */
/** Days (ISO dates, UTC): in force from the start of `from` to the start of `until`, if withdrawn. */
export interface ApprovalDays {
  from: string;
  until?: string;
}

export interface TranslationApproval extends ApprovalDays {
  /**
   * The translations of the undertaking the council's translator reviewed, by their hash
   * (`UndertakingTranslation.sha256`), each with the days of its own approval. The approval of a language
   * covers these texts only, each from its own day: a later version's translation is "not yet approved" until
   * it is listed, and listing it does not make signatures made before its day "approved".
   */
  undertaking: Readonly<Record<string, ApprovalDays>>;
}

/** A council's logo: SVG path data in a viewBox (each path filled), or a small PNG (base64, a few KB). */
export type Logo =
  | {
      kind: 'svg';
      viewBox: { width: number; height: number };
      paths: ReadonlyArray<{ d: string; fill: string }>;
    }
  | { kind: 'png'; base64: string };

/**
 * How the council's documents look and where a reader checks them. Configuration, not code: a council
 * changes it here, and the records service may override `verifyBaseUrl` from its own configuration
 * (`brandingOf`), since only it knows the address it is reached at.
 */
export interface Branding {
  councilName: string;
  logo: Logo;
  /** Government Security Classification marking, printed at the top and bottom of every page. */
  protectiveMarking: string;
  /** The records service's address (no trailing slash); its admin verify page opens from the QR code. */
  verifyBaseUrl: string;
  /** Who a reader of a document asks about it. */
  contact: string;
}

/**
 * A plain mark (a house in a rounded square) for councils that have not configured their own logo: small,
 * and clearly not any council's crest.
 */
export const DEFAULT_LOGO: Logo = {
  kind: 'svg',
  viewBox: { width: 48, height: 48 },
  paths: [
    { d: 'M6 0H42A6 6 0 0 1 48 6V42A6 6 0 0 1 42 48H6A6 6 0 0 1 0 42V6A6 6 0 0 1 6 0Z', fill: '#1d3f72' },
    { d: 'M24 9L40 23H35V39H13V23H8Z', fill: '#ffffff' },
    { d: 'M21 29H27V39H21Z', fill: '#1d3f72' },
  ],
};

/** Until the service is configured, an address that cannot be mistaken for a real one. */
export const PLACEHOLDER_VERIFY_BASE_URL = 'https://records.example.gov.uk';

/**
 * The address of a records service as configuration gives it, checked: an absolute http(s) URL with no
 * query or fragment, returned without a trailing slash. Throws an error that says what is wrong.
 */
export function parseVerifyBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(
      `The verification address "${value}" is not a URL (e.g. https://records.council.gov.uk).`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`The verification address "${value}" must start with https:// (or http://).`);
  if (url.search || url.hash || url.username || url.password)
    throw new Error(`The verification address "${value}" must not carry a query, fragment or credentials.`);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** A profile's branding, with the records service's own address when its configuration gives one. */
export function brandingOf(profile: PolicyProfile, overrides: { verifyBaseUrl?: string } = {}): Branding {
  return overrides.verifyBaseUrl
    ? { ...profile.branding, verifyBaseUrl: parseVerifyBaseUrl(overrides.verifyBaseUrl) }
    : profile.branding;
}

/** The records service's verify page for one meeting and head hash (what the QR code and short URL open). */
export function verifyUrlOf(verifyBaseUrl: string, meetingId: string, headHash: string): string {
  return `${verifyBaseUrl}/admin/verify?meeting=${encodeURIComponent(meetingId)}&hash=${encodeURIComponent(headHash)}`;
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
  branding: Branding;
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
    /** The heading of the signed document. */
    documentTitle: string;
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
  /**
   * Which translations of the attendee and signer screens (and of the undertaking) the council has approved
   * (issue 18), and from which day (`from`, and `until` if the approval was withdrawn; ISO dates, UTC). A
   * language not listed is not approved: its screens show the English beside it. Approvals are dated so that
   * a log signed before an approval still replays true: the signature says whether the translation was
   * approved at the moment of signing, and the rules hold it to this list.
   */
  translationApproval?: Readonly<Partial<Record<TranslatedLanguage, TranslationApproval>>>;
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

const HCS_PLAIN = [
  'You want to record this meeting. First, you make some promises.',
  '',
  'I promise that:',
  'I will not share the recording in public. That means any place where private things about the child could get out, or hurt the child or family.',
  'I will not use the recording to break the law.',
  '',
  'I understand that:',
  "a) I can only use the recording for things to do with Children's Services.",
  'b) If the chair or anyone at the meeting asks me for a copy of the recording, I must give them one.',
  'c) I must not put the recording on social media, on any website, or anywhere else in public.',
  "d) If I share the recording and it harms the child, Children's Services (or a parent or carer) can ask a court to make me take it down. This court order is called an injunction.",
  'e) If people are worried that the child, the family or the staff have been harmed, a lawyer may be asked what to do. It could go to court, and it could be a crime.',
].join('\n');

const HCS_EASY_READ: readonly EasyReadLine[] = [
  { text: 'You want to record this meeting.', picture: 'recording' },
  {
    text: "You can only use the recording for your dealings with Children's Services.",
    picture: 'childrens-services',
  },
  { text: 'Someone from the meeting may ask for a copy. You must give them one.', picture: 'give-copy' },
  {
    text: 'You must not put the recording on the internet. This means Facebook, TikTok, WhatsApp groups or any website.',
    picture: 'no-internet',
  },
  {
    text: 'If you share it and it harms the child, the council can go to court. The court can order you to take it down. This is called an injunction.',
    picture: 'court',
  },
  {
    text: 'If people are worried about harm, the council may ask a lawyer. It could go to court.',
    picture: 'legal-advice',
  },
  { text: 'You sign to say you understand and you agree.', picture: 'sign' },
];

const HCS_QUESTIONS: readonly UnderstandingQuestion[] = [
  {
    id: 'not-online',
    point: 'not putting the recording online',
    question: 'Can you put the recording on Facebook?',
    picture: 'no-internet',
    answers: [
      { id: 'yes', text: 'Yes', isRight: false },
      { id: 'friends-only', text: 'Yes, for my friends only', isRight: false },
      { id: 'no', text: 'No', isRight: true },
    ],
    explanation:
      'You must not put the recording on the internet. This means Facebook, TikTok, WhatsApp groups or any website.',
  },
  {
    id: 'give-copy',
    point: 'giving a copy to anyone at the meeting who asks',
    question: 'Someone from the meeting asks you for a copy. What do you do?',
    picture: 'give-copy',
    answers: [
      { id: 'give', text: 'I give them a copy', isRight: true },
      { id: 'keep', text: 'I keep it to myself', isRight: false },
    ],
    explanation: 'Someone from the meeting may ask for a copy. You must give them one.',
  },
  {
    id: 'childrens-services-only',
    point: "using the recording only for dealings with Children's Services",
    question: 'What can you use the recording for?',
    picture: 'childrens-services',
    answers: [
      { id: 'childrens-services', text: "Things to do with Children's Services", isRight: true },
      { id: 'anything', text: 'Anything I like', isRight: false },
    ],
    explanation: "You can only use the recording for your dealings with Children's Services.",
  },
];

const SSLSCB_QUESTIONS: readonly UnderstandingQuestion[] = [
  {
    id: 'own-record',
    point: 'the recording being their own record of the meeting',
    question: 'What is the recording for?',
    picture: 'recording',
    answers: [
      { id: 'own-record', text: 'My own record of this meeting', isRight: true },
      { id: 'online', text: 'To put on the internet', isRight: false },
    ],
    explanation: 'You are recording this meeting for yourself.',
  },
  {
    id: 'no-harm',
    point: 'not sharing the recording to hurt or frighten anyone',
    question: 'Can you share the recording to upset someone?',
    picture: 'no-internet',
    answers: [
      { id: 'yes', text: 'Yes', isRight: false },
      { id: 'no', text: 'No', isRight: true },
    ],
    explanation: 'Do not share the recording to hurt or frighten anyone.',
  },
  {
    id: 'court',
    point: 'a judge saying yes before the recording is used in court',
    question: 'Can the recording be used in court without a judge saying yes?',
    picture: 'legal-advice',
    answers: [
      { id: 'yes', text: 'Yes', isRight: false },
      { id: 'no', text: 'No', isRight: true },
    ],
    explanation: 'A judge must say yes before the recording is used in court.',
  },
];

const SSLSCB_PLAIN = [
  'You are recording this meeting to keep your own record of what was said.',
  '',
  'I promise that:',
  'I will use the recording as my own record of this meeting.',
  'I will not share the recording, or change it, to hurt, upset or frighten anyone in it.',
  '',
  'I understand that:',
  'a) Recording a meeting is not the same as sharing the recording.',
  'b) If I share the recording without the agreement of the people in it, they could take me to court. It could also be a crime.',
  'c) The recording can only be used in court if a judge says yes.',
].join('\n');

const SSLSCB_EASY_READ: readonly EasyReadLine[] = [
  { text: 'You are recording this meeting for yourself.', picture: 'recording' },
  { text: 'Do not share the recording to hurt or frighten anyone.', picture: 'no-internet' },
  { text: 'If you share it without asking the people in it, you could go to court.', picture: 'court' },
  { text: 'A judge must say yes before the recording is used in court.', picture: 'legal-advice' },
  { text: 'You sign to say you understand.', picture: 'sign' },
];

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
  branding: {
    councilName: 'Hertfordshire County Council',
    logo: DEFAULT_LOGO,
    protectiveMarking: 'OFFICIAL-SENSITIVE',
    verifyBaseUrl: PLACEHOLDER_VERIFY_BASE_URL,
    contact: "Questions about this record: ask the chair of the meeting, or Children's Services.",
  },
  decisionModel: { value: 'permission', ref: 'HCS 2.7' },
  eligibilityRequired: { value: true, ref: 'HCS 1.3' },
  undertaking: {
    version: 'hcs-2026-3',
    sha256: '52faf1b3051312adc7435c25f417757e8fcdffcfe942f7e54d90f0f340231076',
    text: HCS_UNDERTAKING,
    versions: {
      full: HCS_UNDERTAKING,
      plain: HCS_PLAIN,
      easyRead: HCS_EASY_READ,
      questions: HCS_QUESTIONS,
    },
    translations: HCS_TRANSLATIONS,
    superseded: [
      // The same words, before the check of understanding was part of the undertaking.
      {
        version: 'hcs-2026-2',
        sha256: 'd902f9948db0d73d246c7c182c17b50a0ad2c4586b3ae7080a84b610818b604b',
        versions: { full: HCS_UNDERTAKING, plain: HCS_PLAIN, easyRead: HCS_EASY_READ },
      },
      {
        version: 'hcs-2026-1',
        sha256: 'a04ea7e6586e8952413d4da2bdc21e88d542366c71853b340f51ab929be137c6',
        versions: { full: HCS_UNDERTAKING },
      },
    ],
    ref: 'HCS 1.3, 3.3',
    requirement: 'required',
    minuteName: 'the undertaking not to share the recording',
    documentTitle: 'Undertaking not to share the recording',
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
  // None of the shipped translations has been approved by the council yet: none is listed.
  translationApproval: {},
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
  branding: {
    councilName: 'Staffordshire County Council and Stoke-on-Trent City Council',
    logo: DEFAULT_LOGO,
    protectiveMarking: 'OFFICIAL-SENSITIVE',
    verifyBaseUrl: PLACEHOLDER_VERIFY_BASE_URL,
    contact:
      "Questions about this record: ask the chair of the meeting, or the council's children's services.",
  },
  decisionModel: { value: 'notice', ref: 'SSLSCB Top tips: "this action cannot be banned"' },
  eligibilityRequired: { value: false, ref: 'SSLSCB Risks: "does not require permission"' },
  undertaking: {
    version: 'sslscb-2026-3',
    sha256: '1cd426df34e550d8c3f507f2783940525f5f548ea34c81a7f448ab1d7e748403',
    text: SSLSCB_UNDERTAKING,
    versions: {
      full: SSLSCB_UNDERTAKING,
      plain: SSLSCB_PLAIN,
      easyRead: SSLSCB_EASY_READ,
      questions: SSLSCB_QUESTIONS,
    },
    superseded: [
      {
        version: 'sslscb-2026-2',
        sha256: '326bf5715ce3a8b7eeabe8bf5a2d078120d905f278dd9c06e978e37147e40ef2',
        versions: { full: SSLSCB_UNDERTAKING, plain: SSLSCB_PLAIN, easyRead: SSLSCB_EASY_READ },
      },
      {
        version: 'sslscb-2026-1',
        sha256: 'c569fc7d9261264fd237864a78c114c983ac1b7174a23256d4b8c355aaf045f9',
        versions: { full: SSLSCB_UNDERTAKING },
      },
    ],
    ref: 'SSLSCB Potential legal action',
    requirement: 'offered',
    minuteName:
      'the promise about how the recording will be used, which this policy offers but does not require',
    documentTitle: 'Promise about how the recording will be used',
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

/**
 * Whether the council had approved this language's translation at a moment (ISO timestamp; English, the
 * source, needs none). The approval runs from the start of its `from` day to the start of its `until` day.
 */
export function isTranslationApproved(
  profile: PolicyProfile,
  language: string | undefined,
  at: string,
): boolean {
  if (!isTranslated(language)) return true;
  const approval = profile.translationApproval?.[language];
  return approval !== undefined && isInForce(approval, at);
}

function isInForce(days: ApprovalDays, at: string): boolean {
  const moment = Date.parse(at);
  return (
    moment >= Date.parse(`${days.from}T00:00:00Z`) &&
    (days.until === undefined || moment < Date.parse(`${days.until}T00:00:00Z`))
  );
}

/**
 * Whether this translation of the undertaking (by its hash) was approved at `at`: its language's approval was
 * in force then, and that approval names this very text, in force then too. A signature's
 * `translation.isApproved` must say so.
 */
export function isUndertakingTranslationApproved(
  profile: PolicyProfile,
  translation: { language: string; textSha256: string },
  at: string,
): boolean {
  if (!isTranslated(translation.language) || !isTranslationApproved(profile, translation.language, at))
    return false;
  const text = profile.translationApproval?.[translation.language]?.undertaking[translation.textSha256];
  return text !== undefined && isInForce(text, at);
}

/**
 * The undertaking in a language, for one version (today's when not named), or null where that version has
 * no translation in it (the English alone is shown).
 */
export function undertakingTranslationOf(
  profile: PolicyProfile,
  language: string | undefined,
  version: string = profile.undertaking.version,
): UndertakingTranslation | null {
  if (!isTranslated(language)) return null;
  const u = profile.undertaking;
  const translations =
    u.version === version ? u.translations : u.superseded.find((v) => v.version === version)?.translations;
  return translations?.[language] ?? null;
}

export function isProfileId(value: unknown): value is ProfileId {
  return typeof value === 'string' && Object.hasOwn(PROFILES, value);
}

export function profileById(id: ProfileId): PolicyProfile {
  return PROFILES[id];
}
