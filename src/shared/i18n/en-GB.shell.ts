/** British English, the first load's part: the shell (PIN, home, settings, sync, updates). */

export const enGBShell = {
  app: {
    name: 'Consent Kiosk',
    tagline: 'Asking everyone’s permission before a meeting is recorded',
    loading: 'Opening Consent Kiosk…',
    loadingPart: 'Opening…',
    loadFailedTitle: 'This part of Consent Kiosk could not be opened',
    loadFailedBody:
      'It has not been saved on this tablet yet and could not be fetched. Nothing that was entered has been lost. Connect the tablet to the internet, then try again.',
    retry: 'Try again',
  },
  guidance: { note: 'Guidance {{ref}}' },
  common: {
    cancel: 'Cancel',
    save: 'Save',
    back: 'Back',
    continue: 'Continue',
    close: 'Close',
    required: 'required',
    optional: 'optional',
    saving: 'Saving…',
    error: 'That could not be saved: {{message}}',
  },
  storage: {
    unavailableTitle: 'This tablet cannot store meetings here',
    unavailableBody:
      'Consent Kiosk keeps every answer on the tablet until it reaches the council. This browser window cannot store anything (for example, a private window). Open Consent Kiosk in a normal window to start a meeting.',
    detail: 'Details: {{message}}',
    // Why a step was not saved on the tablet (src/storage): the chair reads these where the step was taken.
    full: "The tablet's storage is full, so this step was not saved. Everything saved before it is safe. Sync and remove old meetings, or free some space, then try again.",
    failed:
      'This step could not be saved on the tablet ({{detail}}). Everything saved before it is safe. Please try again.',
    alreadyOpen: 'Another meeting is still open on this tablet. Close it before opening a new one.',
    unknownMeeting: 'There is no such meeting on this tablet.',
    concurrentChange:
      'The meeting was changed elsewhere (another tab?) while this was being saved. Please try again.',
    brokenLog: 'The record of meeting {{meetingId}} is damaged at event {{seq}}: {{message}} ({{code}})',
    blocked: 'Opening the tablet storage is taking too long. Close other tabs of this app, then reload.',
    notKept: 'The tablet did not keep what was written to it.',
  },
  pin: {
    setTitle: 'Choose a chair PIN',
    setBody:
      'The PIN keeps the chair’s controls away from the people the tablet is handed to. You need it to leave an attendee’s screen, to change settings and to open past meetings.',
    newPin: 'New PIN (4 to 8 digits)',
    confirmPin: 'Type the PIN again',
    setButton: 'Save PIN',
    tooWeak: 'Choose 4 to 8 digits that are not all the same and not a simple run like 1234.',
    mismatch: 'The two PINs are different. Please type them again.',
    lockedTitle: 'Chair: enter your PIN',
    handBackTitle: 'Thank you. Your answer has been saved.',
    handBackBody: 'Please give the tablet back to the chair.',
    idleBody: 'The tablet locked itself because it was not used for a while.',
    pinLabel: 'Chair PIN',
    unlock: 'Unlock',
    wrong: 'That PIN is not right. Please try again.',
    lockNow: 'Lock the tablet',
    chairTakesBack: 'Chair: take the tablet back',
    cancelBack: 'Cancel: go back to the screen you were on',
    waitSeconds_one: 'Too many wrong tries. Please wait {{count}} second, then try again.',
    waitSeconds_other: 'Too many wrong tries. Please wait {{count}} seconds, then try again.',
    waitMinutes_one: 'Too many wrong tries. Please wait {{count}} minute, then try again.',
    waitMinutes_other: 'Too many wrong tries. Please wait {{count}} minutes, then try again.',
    forgotten: 'Forgotten your PIN?',
    resetTitle: 'Reset the chair PIN',
    resetBody:
      'Phone the administrator of your records service. They will read you a code for this tablet. Type it here. Nothing recorded on the tablet is lost.',
    resetNotEnrolled:
      'The PIN can only be reset on a tablet enrolled with a records service, and this tablet is not. Try your PIN again, or ask your administrator for help.',
    codeLabel: 'Code from the administrator',
    checkCode: 'Check the code',
    codeWrong:
      'That code is not right for this tablet, or it has been used already. Check it with the administrator.',
    codeUsed: 'That code has just been used. Ask the administrator for a new one.',
    backToPin: 'Back to the PIN',
    newPinTitle: 'Choose a new PIN',
    newPinBody:
      'The code is right. Choose a new chair PIN. Everything recorded on the tablet stays as it was.',
    saveNewPin: 'Save the new PIN',
  },
  home: {
    title: 'Meetings',
    newMeeting: 'Set up a new meeting',
    openMeeting: 'Continue the open meeting: {{title}}',
    past: 'Past meetings',
    none: 'No meetings yet.',
    view: 'View the record of {{title}}',
    statusOpen: 'open',
    statusClosed: 'closed',
    statusDiscarded: 'discarded: opened in error',
    when: '{{date}}, {{status}}',
  },
  prepared: {
    title: 'Meetings today',
    intro: 'Prepared by the records team. The invited attendees are listed already: mark who is here.',
    none: 'No meetings prepared for today.',
    open: 'Open {{title}}',
    opening: 'Opening {{title}}…',
    when: '{{time}}',
    place: 'Place: {{place}}',
    details: '{{kind}}, {{time}}',
    detailsAt: '{{kind}}, {{time}}, {{place}}',
    openMeetingFirst: 'Close the open meeting before opening another.',
    claimedBy:
      'This meeting is already open on another tablet, “{{label}}”. Use that tablet, or ask the records team.',
    claimedByAnother:
      'This meeting is already open on another tablet. Use that tablet, or ask the records team.',
    notPrepared: 'The records service no longer has this meeting prepared. Ask the records team.',
    notForThisDevice:
      'This meeting was prepared for another tablet. Use that tablet, or ask the records team.',
    rejected:
      'The meeting “{{title}}” was not kept on this tablet: {{reason}} Ask the records team to check it; it can be set up here by hand meanwhile.',
    why: {
      'bad-envelope': 'part of its record could not be read.',
      'wrong-meeting': 'its record holds another meeting’s entries.',
      'bad-seq': 'entries of its record are missing or out of order.',
      'bad-prev-hash': 'its record is broken (an entry does not follow the one before it).',
      'bad-hash': 'an entry of its record was changed after it was written.',
      'time-backwards': 'its record’s times run backwards.',
      'illegal-transition': 'its record holds a step that is not allowed.',
      'not-prepared': 'it was not prepared on the records service, so it cannot be taken over.',
      'not-for-this-device': 'it was prepared for another tablet.',
      other: 'its record did not check out.',
    },
  },
  settings: { title: 'Settings', open: 'Settings' },
  sync: {
    title: 'Council’s records service',
    intro:
      'Answers are kept on this tablet first, then sent to the council’s records service whenever there is a connection.',
    address: 'Records service address',
    code: 'Enrolment code',
    codeHint: 'A one-time code from an administrator (the records service’s admin page).',
    name: 'Name for this tablet',
    nameHint: 'How the records team will know this tablet, for example “Room 2 tablet”.',
    nameRequired: 'Give this tablet a name before enrolling it.',
    enrol: 'Enrol this tablet',
    enrolAgain: 'Enrol again with a new code',
    enrolling: 'Enrolling…',
    enrolledOk: 'This tablet is enrolled. Waiting answers will now be sent.',
    enrolFailed: 'The tablet could not be enrolled. {{reason}}',
    state: 'State',
    enrolledAs: 'Enrolled as',
    waiting: 'Waiting to send',
    lastSuccess: 'Last sent',
    lastProblem: 'Last problem',
    nextTry: 'Next try',
    never: 'Never',
    none: 'None',
    syncNow: 'Sync now',
    syncing: 'Sending…',
    phase: {
      'not-enrolled': 'Not enrolled: answers stay on this tablet until it is enrolled.',
      idle: 'Enrolled and up to date with what it has sent.',
      syncing: 'Sending now…',
      retrying: 'Could not send; it will try again by itself.',
      blocked: 'Stopped: the records service did not accept something. Press “Sync now” to try again.',
      revoked:
        'This tablet has been removed from the records service. Closed meetings were removed from it; what was not sent stays sealed.',
      unauthorised: 'The records service no longer recognises this tablet. Answers stay on this tablet.',
    },
    revokedTitle: 'This tablet can no longer send',
    revokedBody:
      'An administrator has removed this tablet from the council’s records service, so nothing more is sent and no new meeting can be opened. The closed meetings on it can no longer be read here; anything not yet sent is kept sealed, and is sent once the tablet is enrolled again. Ask an administrator for a new enrolment code and enrol again below.',
    result: {
      synced_one: 'Sent {{count}} record.',
      synced_other: 'Sent {{count}} records.',
      nothing: 'Nothing is waiting to send.',
      notEnrolled: 'Enrol this tablet first.',
    },
    badge: {
      allSaved: 'All saved to the council’s records',
      waiting_one: '{{count}} waiting to send',
      waiting_other: '{{count}} waiting to send',
      notEnrolled: 'Kept on this tablet: it is not enrolled with the records service yet.',
      lastSent: 'Last sent {{time}}',
    },
    error: {
      network: 'Could not reach the records service (no connection?). The tablet will try again.',
      timeout: 'The records service took too long to answer. The tablet will try again.',
      'bad-response':
        'The records service sent an answer the tablet could not read. The tablet will try again.',
      'tablet-storage': 'The tablet could not read what is waiting to send. It will try again.',
      'device-revoked':
        'This tablet has been removed from the records service. Ask an administrator for a new code.',
      unauthorised: 'The records service does not recognise this tablet. Enrol it again with a new code.',
      'invalid-code': 'That code was not accepted. Codes work once and expire: ask for a new one.',
      'bad-address': 'That is not a web address. It should start with https://',
      conflict:
        'The records service already holds a different version of a record from this meeting. Ask an administrator to check it.',
      'bad-seq':
        'The records service found records of this meeting out of order. Ask an administrator to check it.',
      gap: 'The records service is missing earlier records of this meeting. Ask an administrator to check it.',
      'bad-prev-hash':
        'The records service found a break in this meeting’s record. Ask an administrator to check it.',
      'bad-hash':
        'The records service found a record that had been changed. Ask an administrator to check it.',
      'illegal-transition':
        'The records service did not accept a step of this meeting as valid. Ask an administrator to check it.',
      'wrong-meeting': 'A record was sent under the wrong meeting. Ask an administrator to check it.',
      'wrong-device':
        'The records service holds this meeting as another tablet’s (this tablet’s own, before it was enrolled again?). Ask an administrator to replace the old tablet by this one in the admin area; the meeting is then sent.',
      'not-custodian':
        'Another tablet writes this meeting’s record at the records service. If this tablet was enrolled again, ask an administrator to replace the old tablet by this one in the admin area; the meeting is then sent.',
      'bad-envelope': 'The records service could not read a record from this tablet. Ask an administrator.',
      'unsupported-version':
        'This app is older or newer than the records service. Update the app, then try again.',
      'payload-too-large':
        'What is waiting to send is too large for the records service. Ask an administrator.',
      'bad-request': 'The records service did not understand the request. Ask an administrator.',
      'meeting-claimed':
        'Another tablet has this meeting: it was opened there first, so the records service keeps that tablet’s record.',
      'meeting-claimed-by':
        'Another tablet, “{{label}}”, has this meeting: it was opened there first, so the records service keeps that tablet’s record.',
      'not-prepared': 'The records service has no such prepared meeting. Ask the records team.',
      'not-for-this-device':
        'This meeting was prepared for another tablet. Ask the records team, or use that tablet.',
      other: 'The records service did not accept what was sent ({{code}}). Ask an administrator.',
    },
    detail: 'Details: {{message}}',
    // Meetings the records service refused (held back while the others keep being sent).
    held: {
      title: 'Meetings not accepted by the records service',
      intro:
        'The records service did not accept the record of these meetings. They stay on this tablet; every other meeting is still sent.',
      badge: 'Not sent: the records service did not accept this meeting’s record. {{reason}}',
      untitled: 'Untitled meeting',
      when: 'Not accepted at {{time}}.',
      nextTry: 'The tablet will ask again by itself at {{time}}, and when it is enrolled again.',
      tryAgain: 'Try again',
      tryAgainFor: 'Try again to send {{title}}',
    },
  },
  pwa: {
    offline: 'Offline: answers are kept on this tablet',
    updateReady: 'A new version of Consent Kiosk is ready.',
    updateBody: 'Updating restarts the app. Everything saved stays on this tablet.',
    updateNow: 'Update now',
    updating: 'Updating…',
    deviceTitle: 'This tablet',
    storage: 'Storage',
    persistent: 'Kept: the browser will not clear it',
    notPersistent: 'Not guaranteed: the browser may clear it when space runs low',
    persistUnknown: 'This browser cannot say whether it will keep it',
    askPersist: 'Ask to keep storage',
    used: 'Used',
    usedOf: '{{used}} of {{quota}}',
    unknown: 'Not known',
    checking: 'Checking…',
    lowStorage:
      'This tablet is nearly out of storage ({{free}} free). Sync and remove old meetings before you start, or answers may not be saved.',
    version: 'Version',
    connection: 'Connection',
    online: 'Online',
    offlineShort: 'Offline',
    checkUpdates: 'Check for updates',
    upToDate: 'Checked at {{time}}: no newer version.',
    fullscreen: 'Full screen',
    exitFullscreen: 'Leave full screen',
  },
  // Issue 16: sealing closed meetings to the records service (src/sealing).
  sealing: {
    notEnrolled:
      'This tablet is not enrolled with the council’s records service yet. The record of this meeting will stay readable on this tablet until it is enrolled; enrolling seals it so that only the council can read it.',
    revokedNoMeeting:
      'This tablet has been removed from the council’s records service, so it cannot open a new meeting. Ask an administrator for a new enrolment code and enrol it again in Settings.',
    storageFull:
      'There is not enough space on this tablet to run a meeting ({{free}} free), so it was not opened. Sync and let old meetings clear, or free some space, then try again.',
    keyTitle: 'Records service key',
    noKey: 'None yet: closed meetings stay readable on this tablet until it is enrolled.',
  },
};
