/**
 * The attendee and signer screens' words (issue 18): a defined set, shipped in every language of
 * src/domain/languages.ts. Every other language's file (pl.ts, ur.ts, ro.ts) has exactly these keys; a unit
 * test fails on a missing or an extra one. The chair's screens never use these files' languages.
 */
export const enGBAttendee = {
  attendeeScreen: {
    chairTakesBack: 'Chair: take the tablet back',
    back: 'Back',
    pausedBanner: 'Recording paused: please stop recording.',
    /** The little sign before "Easy read". */
    easyReadSign: 'Aa',
    language: 'Language',
    /** The label of the English shown beside a translation the council has not approved. */
    inEnglish: 'In English',
    today: 'Today is {{date}}.',
  },
  answer: {
    asking: '{{requester}} would like to record this meeting.',
    askingConversation: '{{requester}} would like to record this conversation.',
    why: 'Why:',
    question: '{{name}}, do you agree to it being recorded?',
    yes: 'Yes, I agree',
    no: 'No, I do not agree',
    more: 'I need more information or advice first',
    reasonNo: 'Why not? (you do not have to say)',
    reasonNoRequired: 'Why not? Please say: the person asking will be told the reason.',
    reasonNoOwnWords: 'In your own words',
    reasonChoices: 'Choose any reasons that apply',
    detailMore: 'What do you need first?',
    send: 'Send my answer',
    change: 'Choose a different answer',
    easyRead: 'Easy read',
    easyAsking: '{{requester}} wants to record the meeting.',
    easyQuestion: 'Is that OK with you?',
    easyYes: 'Yes',
    easyNo: 'No',
    easyMore: 'I need help first',
  },
  /** Issue 18: an answer given through an interpreter present at the meeting, chosen on the answer screen. */
  interpreterChoice: {
    through: 'The answer is given through an interpreter',
    interpreter: 'Interpreter',
    language: 'Language interpreted',
    none: 'No interpreter is here. Ask the chair to add the interpreter to the people at the meeting.',
  },
  /** The reasons the person asking gave for recording, as the attendee reads them. */
  purposeReasons: {
    'learning-disability': 'A learning disability or difficulty',
    literacy: 'Difficulty with reading or writing',
    'physical-difficulty': 'A physical difficulty with writing or concentrating',
    memory: 'To help remember what was said',
    stress: 'Stress or worry',
    concentration: 'To concentrate on the meeting, not on notes',
    'exact-record': 'To have an exact record',
    'minutes-insufficient': 'The minutes may not meet their needs',
  },
  declineReasons: {
    'investigation-details': 'Details of an investigation will be shared',
    'third-party-information': 'Information about other people will be shared',
    'personal-safety': 'I am worried about someone’s safety',
    'needs-legal-advice': 'I need legal advice first',
    other: 'Another reason',
  },
  undertaking: {
    title: 'Your promise about the recording',
    intro: '{{name}}, please read this. If you agree, sign with your finger.',
    showFull: 'Read the full wording',
    showPlain: 'Back to the plain words',
    showEasy: 'Back to Easy read',
    textPlain: 'The promise in plain words',
    textFull: 'The promise: the full wording',
    textEasy: 'The promise in Easy read',
    fullInEnglish: 'The full wording is the council’s, in English.',
    version: 'Text version {{version}}',
    signatureLabel: 'Your signature',
    signatureHint: 'Sign in the box with your finger or a stylus.',
    clear: 'Clear the signature',
    sign: 'I promise: sign',
    signDisabledHint: 'Sign in the box first.',
    decline: 'I do not want to sign',
    declineConfirm: 'Yes, I do not want to sign',
    declineWarning: 'If you do not sign, the meeting cannot be recorded.',
    declineWarningNotice: 'If you do not sign, your choice will be written down.',
    tooSmall: 'The signature is too small. Please sign across the box.',
    blank: 'The box is empty. Please sign in the box.',
  },
  readAloud: {
    play: 'Read aloud',
    pause: 'Pause',
    resume: 'Carry on reading',
    stop: 'Stop reading',
    slower: 'Read slower',
    checking: 'Looking for a voice on this tablet…',
    noVoice:
      'This tablet has no voice for {{language}}, so it cannot read aloud. Ask someone to read it to you.',
    noVoiceShort: 'No voice to read aloud',
  },
  /**
   * A refusal on the attendee's own screen, in their language: what they can put right themselves, or else
   * that the chair takes the tablet back (the chair's reason is shown beside it, in English).
   */
  problem: {
    'field-too-long': 'What you wrote is too long. Please make it shorter.',
    'reason-required': 'Please say why not: the person asking will be told the reason.',
    'understanding-not-checked': 'Please answer the questions about the promise first.',
    other: 'This could not be saved. Please give the tablet back to the chair.',
  },
  understanding: {
    title: 'Check you understand',
    progress: 'Question {{number}} of {{total}}',
    notQuite: 'Not quite. Here is that part again:',
    tryAgain: 'Please answer again.',
  },
};

/** Every language's attendee words: the same keys, each a string. */
export type AttendeeMessages = {
  [S in keyof typeof enGBAttendee]: { [K in keyof (typeof enGBAttendee)[S]]: string };
};
