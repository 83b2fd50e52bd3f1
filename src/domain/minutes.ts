/**
 * The minute entry (HCS 2.10) and, for conversations and advance requests, the case note (HCS 2.3-2.5):
 * pure projections of the meeting's log. The structured entry is what JSON exports; the text is what a
 * chair pastes into the minutes. Both come from one pass over the log, so they cannot disagree.
 */

import { dateOf, timeOf } from './dates';
import { initialSnapshot, type MeetingSnapshot, step } from './engine';
import { bodyOf, type EventEnvelope, GENESIS_HASH } from './events';
import type { Attendee, MeetingKind, PurposeReason, ReceivedVia, Role, Signature } from './model';
import { type AlternativeId, profileById, type RefusalGroundId } from './profiles';
import { type AttendeeState, derivedGrounds, isLateAdvanceRequest, type Outcome, profileOf } from './rules';

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  chair: 'chair',
  'parent-carer': 'parent/carer',
  'young-person': 'young person',
  'social-worker': 'social worker',
  police: 'police',
  health: 'health',
  education: 'education',
  'other-agency': 'other agency',
  advocate: 'advocate',
  interpreter: 'interpreter',
  'minute-taker': 'minute-taker',
  'family-member': 'family member',
  other: 'attendee',
};

export const KIND_LABELS: Readonly<Record<MeetingKind, string>> = {
  conversation: 'Conversation',
  meeting: 'Meeting',
  'child-protection-conference': 'Child protection conference',
  'looked-after-child-review': 'Looked-after child review',
};

export const PURPOSE_LABELS: Readonly<Record<PurposeReason, string>> = {
  'learning-disability': 'a learning disability or learning difficulty',
  literacy: 'difficulty with reading or writing',
  'physical-difficulty': 'a physical difficulty with writing or concentrating',
  memory: 'to help remember what was said',
  stress: 'stress or worry',
  concentration: 'to concentrate on the meeting rather than on notes',
  'exact-record': 'to have an exact record to refer back to',
  'minutes-insufficient': 'the minutes may not meet the family’s needs',
};

const VIA_LABELS: Readonly<Record<ReceivedVia, string>> = {
  'in-person': 'in person',
  email: 'by email',
  telephone: 'by telephone',
  letter: 'by letter',
};

const GROUND_LABELS: Readonly<Record<RefusalGroundId, string>> = {
  'no-parental-responsibility': 'the parent does not have parental responsibility for every child',
  'pr-holder-objected': 'another person with parental responsibility objected',
  'child-objected': 'the child or young person objected',
  'history-of-misuse': 'a history of misusing information',
  'threat-to-publish': 'a threat to make the recording public',
  'alternatives-meet-need': 'alternative arrangements fully meet the need',
};

const OUTCOME_SENTENCES: Readonly<Record<Outcome['basis'], string>> = {
  'all-agreed': 'Recording was permitted: everyone asked agreed',
  'not-all-agreed': 'Recording was not permitted: not everyone asked agreed',
  'authorisation-needed':
    'Recording was not permitted for now: further authorisation or information is needed first',
  'chair-decided': 'Recording was decided by the chair',
  'ground-confirmed': 'Recording was not permitted on the grounds the chair confirmed',
  ineligible: 'Recording was not permitted: the person asking was not eligible to ask',
  'undertaking-declined': 'Recording was not permitted: the undertaking was not signed',
  'notice-model':
    'Recording could go ahead: under this policy recording cannot be banned, and every view was recorded',
  withdrawn: 'Permission to record was withdrawn',
};

/** One sentence (no full stop) saying what was decided and why. */
export function outcomeText(outcome: Outcome): string {
  if (outcome.basis === 'chair-decided') {
    return `Recording was ${outcome.status === 'permitted' ? 'permitted' : 'not permitted'}, by the chair’s overall decision where the professionals disagreed`;
  }
  return OUTCOME_SENTENCES[outcome.basis];
}

export const ANSWER_LABELS = {
  agreed: 'agreed',
  declined: 'declined',
  'authorisation-needed': 'needs further authorisation or information first',
} as const;

export interface MinuteItem {
  /** ISO time of the fact, with offset. */
  at: string;
  /** "10:41" */
  time: string;
  text: string;
  ref?: string;
}

export interface MinuteAnswer {
  at: string;
  attendeeId: string;
  name: string;
  role: Role;
  answer: keyof typeof ANSWER_LABELS;
  reason: string;
}

export interface MinuteEntry {
  documentKind: 'minute-entry' | 'case-note';
  title: string;
  meeting: {
    id: string;
    kind: MeetingKind;
    kindLabel: string;
    title: string;
    scheduledAt: string;
    date: string;
    place: string;
    profile: string;
    source: string;
  };
  subjectChildren: string[];
  attendees: Array<{
    id: string;
    name: string;
    role: Role;
    roleLabel: string;
    agency: string;
    joinedAt: string | null;
    leftAt: string | null;
    /** For a parent/carer: "parental responsibility for Jamie Doe" etc. */
    parentalResponsibility: string;
  }>;
  answers: MinuteAnswer[];
  undertaking: {
    signerName: string;
    at: string;
    textVersion: string;
    textSha256: string;
    deviceId: string;
    /** The finger signature's stroke data, from which every picture of it is drawn. */
    signature: Signature;
  } | null;
  outcome: (Outcome & { text: string }) | null;
  items: MinuteItem[];
  eventCount: number;
  headHash: string;
  isComplete: boolean;
}

const quote = (text: string): string => `“${text.trim()}”`;
/** A quotation that ends a sentence keeps its own full stop: “…agreed.” not “…agreed.”. */
const tidy = (text: string): string => text.replace(/([.!?])”([.:])/g, '$1”');
const listJoin = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

function who(a: Pick<Attendee, 'name' | 'role' | 'agency'> | undefined): string {
  if (!a) return 'an unknown attendee';
  const agency = a.agency?.trim();
  return `${a.name} (${ROLE_LABELS[a.role]}${agency ? `, ${agency}` : ''})`;
}

/**
 * Projects the log into the minute entry. The log is assumed to be valid (replayed); an event the
 * machine would reject ends the projection, and the entry says it is incomplete.
 */
export function minuteEntry(log: readonly EventEnvelope[]): MinuteEntry {
  let snapshot: MeetingSnapshot = initialSnapshot();
  const items: MinuteItem[] = [];
  const answers: MinuteAnswer[] = [];
  const attendeeTimes = new Map<string, { joinedAt: string | null; leftAt: string | null }>();
  let undertaking: MinuteEntry['undertaking'] = null;
  let isComplete = true;
  let eventCount = 0;

  const push = (at: string, text: string, ref?: string) =>
    items.push({ at, time: timeOf(at), text: tidy(text), ...(ref ? { ref } : {}) });

  for (const envelope of log) {
    const before = snapshot.context;
    const result = step(snapshot, bodyOf(envelope));
    if (!result.ok) {
      isComplete = false;
      break;
    }
    snapshot = result.snapshot;
    eventCount += 1;
    const ctx = snapshot.context;
    const profile = profileOf(ctx);
    const at = envelope.at;
    const person = (id: string) => ctx.attendees.find((a) => a.id === id);
    const conv = ctx.meeting?.kind === 'conversation';

    switch (envelope.type) {
      case 'meeting.opened':
        push(
          at,
          `The ${conv ? 'conversation' : 'meeting'} record was opened under the ${profile.name} policy.`,
        );
        break;
      case 'attendee.added':
        attendeeTimes.set(envelope.payload.attendee.id, { joinedAt: null, leftAt: null });
        break;
      case 'attendee.joined': {
        attendeeTimes.set(envelope.payload.attendee.id, { joinedAt: at, leftAt: null });
        const paused = ctx.reviewCause === 'attendee-joined';
        push(
          at,
          paused
            ? `${who(envelope.payload.attendee)} joined. The meeting was stopped${before.recording === 'on' ? ' and recording was paused' : ''} so that permission could be sought to continue.`
            : `${who(envelope.payload.attendee)} joined.`,
          paused ? profile.refs.changes : undefined,
        );
        break;
      }
      case 'attendee.left': {
        const times = attendeeTimes.get(envelope.payload.attendeeId);
        if (times) times.leftAt = at;
        push(at, `${who(person(envelope.payload.attendeeId))} left.`, profile.refs.changes);
        break;
      }
      case 'request.made': {
        const { request } = envelope.payload;
        const requester = person(request.requesterId);
        const when =
          request.timing === 'in-advance'
            ? `in advance of the meeting (received ${VIA_LABELS[request.receivedVia]} on ${dateOf(request.receivedAt)} at ${timeOf(request.receivedAt)})`
            : request.timing === 'on-the-day'
              ? `${VIA_LABELS[request.receivedVia]}, before the ${conv ? 'conversation' : 'discussion'} began`
              : `${VIA_LABELS[request.receivedVia]}, after the ${conv ? 'conversation' : 'meeting'} had begun; the ${conv ? 'conversation' : 'meeting'} was stopped so that permission could be sought`;
        const reasons = request.reasons.map((r) => PURPOSE_LABELS[r]);
        const purpose = [
          reasons.length > 0 ? `Reasons given: ${listJoin(reasons)}.` : '',
          request.purpose.trim() ? `In their words: ${quote(request.purpose)}.` : '',
        ]
          .filter(Boolean)
          .join(' ');
        push(
          at,
          `${who(requester)} asked to record the ${conv ? 'conversation' : 'meeting'} ${when}.${purpose ? ` ${purpose}` : ''}`,
          request.timing === 'in-advance'
            ? profile.advanceNotice.ref
            : request.timing === 'after-start'
              ? profile.refs.changes
              : conv
                ? profile.refs.conversationRequest
                : profile.refs.round,
        );
        if (ctx.meeting && isLateAdvanceRequest(ctx.meeting, request, profile.advanceNotice.hours)) {
          push(
            at,
            `The request was received less than ${profile.advanceNotice.hours} hours before the meeting; the guidance prefers at least ${profile.advanceNotice.hours} hours’ notice.`,
            profile.advanceNotice.ref,
          );
        }
        break;
      }
      case 'request.attendees-notified':
        push(
          at,
          `The attendees were told ${VIA_LABELS[envelope.payload.via]} that a request to record had been made.`,
          profile.advanceNotice.ref,
        );
        break;
      case 'request.outcome-confirmed':
        push(
          at,
          `The decision was confirmed to the person who asked, ${VIA_LABELS[envelope.payload.via]}.${envelope.payload.note.trim() ? ` ${quote(envelope.payload.note)}.` : ''}`,
          profile.advanceNotice.ref,
        );
        break;
      case 'eligibility.confirmed':
        push(
          at,
          envelope.payload.basis === 'subject-child'
            ? 'The chair confirmed that the person asking was eligible to ask, as a child who is the subject of the meeting.'
            : 'The chair confirmed that the person asking was eligible to ask, as a parent with parental responsibility for a child who is the subject of the meeting.',
          profile.eligibilityRequired.ref,
        );
        break;
      case 'eligibility.refused':
        push(
          at,
          `The chair found that the person asking was not eligible to ask: ${quote(envelope.payload.reason)}.`,
          profile.eligibilityRequired.ref,
        );
        break;
      case 'undertaking.signed': {
        const signer = person(envelope.payload.signerId);
        undertaking = {
          signerName: signer?.name ?? '',
          at,
          textVersion: envelope.payload.textVersion,
          textSha256: envelope.payload.textSha256,
          deviceId: envelope.deviceId,
          signature: envelope.payload.signature,
        };
        push(
          at,
          `${who(signer)} signed the undertaking not to share the recording (text version ${envelope.payload.textVersion}, SHA-256 ${envelope.payload.textSha256}).`,
          profile.undertaking.ref,
        );
        break;
      }
      case 'undertaking.declined':
        push(
          at,
          `${who(person(envelope.payload.signerId))} chose not to sign the undertaking${profile.undertaking.declineEndsRequest ? ', so the request could not go ahead' : ''}.`,
          profile.undertaking.ref,
        );
        break;
      case 'consent.asked':
        break;
      case 'consent.given':
      case 'consent.declined':
      case 'consent.authorisation-needed': {
        const a = person(envelope.payload.attendeeId);
        const answer =
          envelope.type === 'consent.given'
            ? 'agreed'
            : envelope.type === 'consent.declined'
              ? 'declined'
              : 'authorisation-needed';
        const reason =
          envelope.type === 'consent.declined'
            ? envelope.payload.reason
            : envelope.type === 'consent.authorisation-needed'
              ? envelope.payload.detail
              : '';
        if (a) answers.push({ at, attendeeId: a.id, name: a.name, role: a.role, answer, reason });
        const sentence =
          answer === 'agreed'
            ? `${who(a)} agreed to the recording.`
            : answer === 'declined'
              ? `${who(a)} did not agree to the recording${reason.trim() ? `. Reason given: ${quote(reason)}` : ', and gave no reason'}.`
              : `${who(a)} said that further authorisation or information was needed first${reason.trim() ? `: ${quote(reason)}` : ''}.`;
        push(
          at,
          sentence,
          answer === 'agreed'
            ? undefined
            : conv
              ? profile.refs.conversationDeclined
              : profile.refs.notAllAgreed,
        );
        break;
      }
      case 'ground.confirmed':
      case 'ground.dismissed': {
        const { ground, note } = envelope.payload;
        const raised = derivedGrounds(ctx).includes(ground)
          ? ' (raised by the answers and facts recorded)'
          : '';
        push(
          at,
          `The chair ${envelope.type === 'ground.confirmed' ? 'confirmed' : 'dismissed'} the ground for refusal that ${GROUND_LABELS[ground]}${raised}: ${quote(note)}.`,
          'HCS 1.4',
        );
        break;
      }
      case 'screening.completed':
        break;
      case 'chair.decided': {
        const { outcome, reason, disagreements } = envelope.payload;
        push(
          at,
          `The professionals disagreed, so the chair made the overall decision: recording was ${outcome === 'permitted' ? 'permitted' : 'not permitted'}. Reason: ${quote(reason)}.${disagreements.trim() ? ` Disagreements noted: ${quote(disagreements)}.` : ''}`,
          profile.chairDecidesProfessionalDisagreement.ref,
        );
        break;
      }
      case 'alternatives.offered': {
        const labels = envelope.payload.arrangements.map(
          (id: AlternativeId) =>
            profile.alternatives.offered.find((o) => o.id === id)?.summary.toLowerCase() ?? id,
        );
        push(
          at,
          `Other arrangements were offered${labels.length ? `: ${labels.join('; ')}` : ''}.${envelope.payload.note.trim() ? ` Note: ${quote(envelope.payload.note)}.` : ''}`,
          profile.alternatives.ref,
        );
        break;
      }
      case 'meeting.started':
        push(
          at,
          conv
            ? before.outcome && before.outcome.status !== 'permitted'
              ? 'The conversation went ahead without recording.'
              : 'The conversation began.'
            : before.outcome && before.outcome.status !== 'permitted'
              ? 'The meeting began without recording; it was not cancelled.'
              : 'The discussion began.',
          before.outcome && before.outcome.status !== 'permitted'
            ? conv
              ? profile.refs.conversationDeclined
              : profile.refs.notCancelled
            : undefined,
        );
        break;
      case 'recording.started':
        push(at, 'Recording began.');
        break;
      case 'recording.resumed':
        push(at, 'Recording resumed.', profile.refs.changes);
        break;
      case 'recording.paused':
        push(
          at,
          `The chair stopped the meeting and recording was paused so that permission could be sought again: ${quote(envelope.payload.reason)}.`,
          profile.refs.changes,
        );
        break;
      case 'review.requested':
        push(
          at,
          `The chair asked everyone again for permission to record: ${quote(envelope.payload.reason)}.`,
          profile.refs.changes,
        );
        break;
      case 'recording.withdrawn':
        push(
          at,
          `The chair withdrew permission to record${before.recording === 'on' ? ', and recording stopped' : ''}: ${quote(envelope.payload.reason)}.`,
          profile.refs.changes,
        );
        break;
      case 'covert-recording.suspected':
        push(
          at,
          `Covert recording was suspected: ${quote(envelope.payload.note)}. Guidance: ${profile.covertRecording.advice}`,
          profile.covertRecording.ref,
        );
        break;
      case 'meeting.closed':
        push(
          at,
          `The ${conv ? 'conversation' : 'meeting'} record was closed${before.recording !== 'off' ? '; recording ended' : ''}.`,
        );
        break;
    }

    // A review has just ended: say what it decided (before the alternatives that answer a refusal).
    if (before.outcome === null && ctx.outcome !== null && envelope.type !== 'recording.withdrawn') {
      const eventItem = envelope.type === 'alternatives.offered' ? items.pop() : undefined;
      const outcome = ctx.outcome;
      let text = `${outcomeText(outcome)}.`;
      if (ctx.recording === 'paused') text += ' Recording may resume.';
      if (before.recording === 'paused' && ctx.recording === 'off') text += ' Recording stayed stopped.';
      push(at, text, outcome.ref);
      if (eventItem) items.push(eventItem);
    }
  }

  const ctx = snapshot.context;
  const meeting = ctx.meeting;
  const profile = profileById(ctx.profileId);
  const conv = meeting?.kind === 'conversation';
  const isAdvance = ctx.request?.timing === 'in-advance';
  const documentKind = conv || isAdvance ? 'case-note' : 'minute-entry';
  const outcome = ctx.outcome ? { ...ctx.outcome, text: outcomeText(ctx.outcome) } : null;

  return {
    documentKind,
    title: `${documentKind === 'case-note' ? 'Case note' : 'Minute entry'}: request to record${meeting ? ` — ${meeting.title}` : ''}`,
    meeting: {
      id: log[0]?.meetingId ?? '',
      kind: meeting?.kind ?? 'meeting',
      kindLabel: KIND_LABELS[meeting?.kind ?? 'meeting'],
      title: meeting?.title ?? '',
      scheduledAt: meeting?.scheduledAt ?? '',
      date: meeting ? dateOf(meeting.scheduledAt) : '',
      place: meeting?.place ?? '',
      profile: profile.name,
      source: profile.source,
    },
    subjectChildren: ctx.children.map((c) => c.name),
    attendees: ctx.attendees.map((a: AttendeeState) => ({
      id: a.id,
      name: a.name,
      role: a.role,
      roleLabel: ROLE_LABELS[a.role],
      agency: a.agency ?? '',
      joinedAt: attendeeTimes.get(a.id)?.joinedAt ?? null,
      leftAt: attendeeTimes.get(a.id)?.leftAt ?? null,
      parentalResponsibility:
        a.role === 'parent-carer'
          ? describePr(a, ctx.children)
          : a.role === 'young-person' && ctx.children.some((c) => c.id === a.subjectChildId)
            ? 'a subject of the meeting'
            : '',
    })),
    answers,
    undertaking,
    outcome,
    items,
    eventCount,
    headHash: log[eventCount - 1]?.hash ?? GENESIS_HASH,
    isComplete,
  };
}

function describePr(a: Attendee, children: readonly { id: string; name: string }[]): string {
  const withPr = children.filter((c) => a.parentalResponsibility?.[c.id] === true).map((c) => c.name);
  const without = children.filter((c) => a.parentalResponsibility?.[c.id] !== true).map((c) => c.name);
  return [
    withPr.length ? `parental responsibility for ${listJoin(withPr)}` : '',
    without.length ? `no parental responsibility for ${listJoin(without)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** The minute entry as plain English text, ready to paste into minutes or a case note. */
export function renderMinuteText(entry: MinuteEntry): string {
  const m = entry.meeting;
  const lines: string[] = [];
  lines.push(entry.title, '');
  lines.push(`${m.kindLabel}: ${m.title}`);
  if (m.scheduledAt) lines.push(`Date: ${m.date}, ${timeOf(m.scheduledAt)}${m.place ? `, ${m.place}` : ''}`);
  lines.push(`Policy: ${m.profile}`);
  if (entry.subjectChildren.length)
    lines.push(
      `Subject ${entry.subjectChildren.length === 1 ? 'child' : 'children'}: ${entry.subjectChildren.join(', ')}`,
    );
  lines.push('');
  lines.push('Attendees:');
  for (const a of entry.attendees) {
    const times = [
      a.joinedAt ? `joined at ${timeOf(a.joinedAt)}` : '',
      a.leftAt ? `left at ${timeOf(a.leftAt)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const details = [a.parentalResponsibility, times].filter(Boolean).join('; ');
    lines.push(
      `- ${a.name}, ${a.roleLabel}${a.agency ? `, ${a.agency}` : ''}${details ? ` (${details})` : ''}`,
    );
  }
  lines.push('');
  lines.push('Request to record and its outcome:');
  for (const item of entry.items) {
    lines.push(`${item.time}  ${item.text}${item.ref ? ` [${item.ref}]` : ''}`);
  }
  lines.push('');
  lines.push(`Outcome: ${entry.outcome ? `${entry.outcome.text}.` : 'no request to record was decided.'}`);
  if (!entry.isComplete)
    lines.push('Warning: the record could not be read to its end; this entry is incomplete.');
  lines.push('');
  lines.push(
    `This entry is drawn from ${entry.eventCount} recorded events. Record check (SHA-256 of the last event): ${entry.headHash}`,
  );
  return `${lines.join('\n')}\n`;
}
