/** The meetings list and a meeting's page. Links and forms appear only for what the role may do. */
import { html, raw } from 'hono/html';
import type { Selectable } from 'kysely';
import type { Signature } from '../../../src/domain';
import { MEETING_KINDS, type MeetingKind, type MeetingPhase } from '../../../src/domain';
import { capitalised, KIND_LABELS } from '../../../src/domain/labels';
import { signatureToSvg } from '../../../src/signature/strokes';
import type { CustodyTransferTable } from '../../db/schema';
import type { RetentionPolicy } from '../../retention';
import { fmt } from '../context';
import {
  type Cursor,
  cursorText,
  type MeetingData,
  type MeetingPage,
  type MeetingRow,
  type OutcomeFilter,
  type SyncStateFilter,
} from '../repo/meetings';
import { may } from '../roles';
import { errorLine, tableRegion, type Viewer } from './layout';
import { type HoldShown, holdSection } from './records';

import { CLOCK_SKEW_WARNING_MS, duration } from './words';

/** Complete: closed and no gap. Otherwise say what is missing. */
function syncState(m: Pick<MeetingRow, 'is_closed' | 'gaps' | 'head_seq'> & { phase?: string }) {
  if (m.gaps > 0) return html`<span class="state-bad">Incomplete: a tablet reported missing events</span>`;
  if (m.phase === 'discarded') return html`<span class="state-ok">Discarded: opened in error</span>`;
  if (!m.is_closed) return html`<span class="state-warn">Incomplete: not closed yet</span>`;
  return html`<span class="state-ok">Complete</span>`;
}

const OUTCOME_WORDS: Record<string, string> = {
  '': 'No request to record',
  pending: 'Request not decided yet',
  permitted: 'Recording permitted',
  'not-permitted': 'Recording not permitted',
  'awaiting-authorisation': 'Waiting for authorisation',
};
const OUTCOME_CHOICES: Record<OutcomeFilter, string> = {
  none: OUTCOME_WORDS[''] as string,
  pending: OUTCOME_WORDS.pending as string,
  permitted: OUTCOME_WORDS.permitted as string,
  'not-permitted': OUTCOME_WORDS['not-permitted'] as string,
  'awaiting-authorisation': OUTCOME_WORDS['awaiting-authorisation'] as string,
};
const SYNC_CHOICES: Record<SyncStateFilter, string> = {
  complete: 'Complete',
  open: 'Not closed yet',
  missing: 'Missing events',
  discarded: 'Discarded',
};

/** Where a meeting stands, in words (never the machine's state names). */
export const STAGE_WORDS: Record<MeetingPhase, string> = {
  new: 'Not opened',
  preparing: 'Preparing',
  'review.eligibility': 'Request: checking who may ask',
  'review.undertaking': 'Request: undertaking to sign',
  'review.round': 'Request: asking everyone',
  'review.screening': 'Request: checking the grounds to refuse',
  'review.decision': 'Request: the chair is deciding',
  'review.alternatives': 'Request: offering other arrangements',
  ready: 'Request decided, discussion not started',
  'discussing.notRecording': 'In discussion, not recording',
  'discussing.recording': 'In discussion, recording',
  'discussing.paused': 'In discussion, recording paused',
  closed: 'Closed',
  discarded: 'Discarded: opened in error',
};

export const kindWords = (kind: string): string =>
  kind in KIND_LABELS ? capitalised(KIND_LABELS[kind as MeetingKind]) : kind || '—';
export const outcomeWords = (outcome: string): string => OUTCOME_WORDS[outcome] ?? outcome;
export const stageWords = (phase: string): string => STAGE_WORDS[phase as MeetingPhase] ?? '—';

/** "Tue 24 Nov 2026, 10:00" in the council's time. */
function meetingDate(iso: string): string {
  const at = new Date(iso);
  if (!iso || Number.isNaN(at.getTime())) return '—';
  return at.toLocaleString('en-GB', {
    timeZone: 'Europe/London',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export interface ListQuery {
  q: string;
  from: string;
  to: string;
  kind: string;
  outcome: string;
  sync: string;
  tablet: string;
}

function select(id: string, name: string, label: string, chosen: string, options: Record<string, string>) {
  return html`<div><label for="${id}">${label}</label><select id="${id}" name="${name}"><option value="">Any</option>${Object.entries(
    options,
  ).map(
    ([value, words]) =>
      html`<option value="${value}"${value === chosen ? raw(' selected') : ''}>${words}</option>`,
  )}</select></div>`;
}

/** The filters: a GET form, so a filtered page is a link and works without script. */
function filterForm(q: ListQuery, tablets: readonly { id: string; label: string }[]) {
  return html`<form method="get" action="/admin" class="filters" role="search" aria-label="Find meetings">
<div class="wide"><label for="f-q">Search titles and chairs</label><input id="f-q" name="q" type="search" value="${q.q}" maxlength="200"></div>
<div><label for="f-from">From date</label><input id="f-from" name="from" type="date" value="${q.from}"></div>
<div><label for="f-to">To date</label><input id="f-to" name="to" type="date" value="${q.to}"></div>
${select('f-kind', 'kind', 'Kind', q.kind, Object.fromEntries(MEETING_KINDS.map((k) => [k, kindWords(k)])))}
${select('f-outcome', 'outcome', 'Outcome', q.outcome, OUTCOME_CHOICES)}
${select('f-sync', 'sync', 'Sync state', q.sync, SYNC_CHOICES)}
${select('f-tablet', 'tablet', 'Tablet', q.tablet, Object.fromEntries(tablets.map((t) => [t.id, t.label])))}
<div class="actions"><button type="submit">Show meetings</button> <a class="button" href="/admin">Clear the filters</a></div>
</form>`;
}

export function meetingsList(
  page: MeetingPage,
  query: ListQuery,
  tablets: readonly { id: string; label: string }[],
  error: string | null = null,
) {
  const keep = Object.entries(query).filter(([, v]) => v !== '');
  const link = (key: 'after' | 'before', c: Cursor) =>
    `/admin?${new URLSearchParams([...keep, [key, cursorText(c)]]).toString()}`;
  const filtered = keep.length > 0;
  const nameOf = new Map(tablets.map((t) => [t.id, t.label]));
  return html`${filterForm(query, tablets)}
${errorLine(error)}
${
  page.rows.length === 0
    ? html`<p role="status">${filtered ? 'No meeting matches these filters.' : 'No meeting has been synced yet.'}</p>`
    : tableRegion(
        filtered ? 'Meetings that match the filters' : 'Meetings synced from the tablets',
        html`<table>
<caption>${filtered ? 'Meetings that match the filters' : 'Meetings synced from the tablets'}, latest date first</caption>
<thead><tr><th scope="col">Meeting</th><th scope="col">Kind</th><th scope="col">Date</th><th scope="col">Chair</th><th scope="col">Outcome</th><th scope="col">Stage</th><th scope="col">Sync state</th></tr></thead>
<tbody>
${page.rows.map(
  (m) => html`<tr>
<th scope="row"><a href="/admin/meetings/${m.id}">${m.title || `Meeting ${m.id.slice(0, 8)}`}</a>${
    m.writer_device_id
      ? html`<br><small>Tablet: ${nameOf.get(m.writer_device_id) ?? m.writer_device_id}</small>`
      : ''
  }</th>
<td>${kindWords(m.kind)}</td>
<td>${meetingDate(m.scheduled_at)}</td>
<td>${m.chair || '—'}</td>
<td>${outcomeWords(m.outcome)}</td>
<td>${stageWords(m.phase)}</td>
<td>${syncState(m)}</td>
</tr>`,
)}
</tbody></table>`,
      )
}
<nav aria-label="Pages of meetings" class="pages">${
    page.newer
      ? html`<a class="button" href="/admin${keep.length > 0 ? `?${new URLSearchParams(keep).toString()}` : ''}">First page</a> <a class="button" href="${link('before', page.newer)}">Later meetings</a>`
      : ''
  } ${page.older ? html`<a class="button" href="${link('after', page.older)}">Earlier meetings</a>` : ''}</nav>`;
}

export function meetingView(
  data: MeetingData,
  who: Viewer,
  error: string | null = null,
  hold: HoldShown | null = null,
  policy: RetentionPolicy | null = null,
) {
  const { id, meeting, gaps, transfers, candidates, minute, undertakings, events } = data;
  const ranges = { rows: data.ranges };
  const exports = may(who.role, 'export-records');
  const entry = minute?.entry;
  const title = entry?.meeting.title || `Meeting ${id.slice(0, 8)}`;
  const state = syncState({
    is_closed: meeting.is_closed,
    gaps: gaps.length,
    head_seq: meeting.head_seq,
    phase: meeting.phase,
  });
  const skew = clockSkew(events);

  const body = html`
${errorLine(error)}
<p>Meeting id <code>${id}</code>. ${state}</p>
${skewWarning(skew)}
<h2>Sync</h2>
<p>${meeting.head_seq} events held; head hash <code>${meeting.head_hash}</code>.</p>
<ul>${ranges.rows.map((r) => html`<li>Device <code>${r.device_id}</code>: events ${r.first} to ${r.last} (${r.n} held)</li>`)}</ul>
${
  gaps.length > 0
    ? html`<p class="state-bad">Missing events reported:</p><ul>${gaps.map(
        (g) =>
          html`<li>Device <code>${g.device_id}</code> sent event ${g.received_seq} when event ${g.expected_seq} was expected (${g.times} time(s), last ${fmt(g.reported_at)}). Events ${g.expected_seq} to ${g.received_seq - 1} were never received: the tablet's data may have been cleared before it synced.</li>`,
      )}</ul>`
    : ''
}
${custodySection(id, meeting, transfers, may(who.role, 'manage-devices') ? candidates : [])}
${policy ? holdSection(id, hold, may(who.role, 'manage-holds'), policy) : ''}
${
  minute
    ? html`<h2>Minute entry</h2>
${
  exports
    ? html`<p><a class="button" href="/admin/meetings/${id}/minute.txt">Download the minute entry as text</a>
<a class="button" href="/admin/meetings/${id}/minute.json">Download the minute entry as JSON</a>
<a class="button" href="/admin/meetings/${id}/minute.pdf">Download the minute entry as PDF</a>
<a class="button" href="/admin/meetings/${id}/undertaking.pdf">Download the signed undertaking as PDF</a>
<a class="button" href="/admin/verify?meeting=${id}">Verify a printed record</a>
<a class="button" href="/admin/meetings/${id}/events.json">Download the event log (JSON)</a></p>`
    : ''
}
<pre>${minute.text}</pre>`
    : ''
}
<h2>Undertakings</h2>
${
  undertakings.length === 0
    ? html`<p>No undertaking has been signed in this meeting.</p>`
    : undertakings.map(
        (u) => html`<figure>
${raw(signatureToSvg(u.signature as Signature, { title: `Signature of ${u.signer_name}` }).replace('<svg ', '<svg class="sig" '))}
<figcaption>${u.signer_name} signed the undertaking (text ${u.text_version}, SHA-256 <code>${u.text_sha256.slice(0, 16)}…</code>) at ${u.signed_at} on device <code>${u.device_id}</code>.</figcaption>
</figure>`,
      )
}
<h2>Events</h2>
${tableRegion(
  "The meeting's log",
  html`<table><caption>The meeting's log, in order</caption>
<thead><tr><th scope="col">No.</th><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Device</th><th scope="col">Hash</th><th scope="col">Received</th></tr></thead>
<tbody>${events.map(
    (e) =>
      html`<tr><td>${e.seq}</td><td>${e.at}${skew.flagged.has(e.seq) ? html` <span class="state-warn">(far from receipt)</span>` : ''}</td><td>${e.type}</td><td><code>${e.device_id}</code></td><td><code>${e.hash.slice(0, 12)}…</code></td><td>${fmt(e.received_at)}</td></tr>`,
  )}</tbody></table>`,
)}`;
  return { title, html: body };
}

interface Skew {
  /** The most the tablet's clock was ahead of the service's, in ms (0 when never past the limit). */
  aheadMs: number;
  /** The most the tablet's clock was behind, as it said when sending (0 when never past the limit). */
  behindMs: number;
  /** The most events were received after their times where the tablet did not say its clock (late, or behind). */
  lateMs: number;
  flagged: Set<number>;
}

/**
 * How far the tablet's clock was from the service's. An event received before its own time shows a clock
 * ahead; the tablet's clock as it sent the batch (sent_at) shows it ahead or behind. An event received long
 * after its time, from a tablet that did not say its clock, was synced late or dated by a clock behind.
 */
function clockSkew(
  events: readonly { seq: number; at: string; received_at: Date | string; sent_at: string | null }[],
): Skew {
  const skew: Skew = { aheadMs: 0, behindMs: 0, lateMs: 0, flagged: new Set() };
  const limit = CLOCK_SKEW_WARNING_MS;
  for (const e of events) {
    const received = new Date(e.received_at).getTime();
    const dated = Date.parse(e.at) - received;
    const sent = e.sent_at === null ? null : Date.parse(e.sent_at) - received;
    const ahead = Math.max(dated, sent ?? 0);
    const behind = sent === null ? 0 : -sent;
    const late = sent === null ? -dated : 0;
    if (ahead > limit) skew.aheadMs = Math.max(skew.aheadMs, ahead);
    if (behind > limit) skew.behindMs = Math.max(skew.behindMs, behind);
    if (late > limit) skew.lateMs = Math.max(skew.lateMs, late);
    if (ahead > limit || behind > limit || late > limit) skew.flagged.add(e.seq);
  }
  return skew;
}

function skewWarning(skew: Skew) {
  if (skew.flagged.size === 0) return '';
  return html`<div class="state-warn" role="status"><p><strong>Clock warning.</strong> The tablet's times are far from when this service received the events, so the times in this record may be wrong.</p><ul>${
    skew.aheadMs > 0 ? html`<li>The tablet's clock was ahead by up to ${duration(skew.aheadMs)}.</li>` : ''
  }${
    skew.behindMs > 0 ? html`<li>The tablet's clock was behind by up to ${duration(skew.behindMs)}.</li>` : ''
  }${
    skew.lateMs > 0
      ? html`<li>Events were received up to ${duration(skew.lateMs)} after their times: the tablet synced late, or its clock was behind.</li>`
      : ''
  }</ul></div>`;
}

export function custodySection(
  id: string,
  meeting: { writer_device_id: string | null; is_closed: boolean },
  transfers: readonly Selectable<CustodyTransferTable>[],
  candidates: readonly { id: string; label: string }[],
) {
  return html`<h2>Writer</h2>
<p>Only device <code>${meeting.writer_device_id ?? '—'}</code> may add events to this meeting's record.</p>
${
  transfers.length > 0
    ? html`<ul>${transfers.map(
        (t) =>
          html`<li>${fmt(t.at)}: handed over by ${t.by_admin} from device <code>${t.from_device_id}</code> to <code>${t.to_device_id}</code>, from event ${t.from_seq} on. Reason: ${t.reason}</li>`,
      )}</ul>`
    : ''
}
${
  meeting.is_closed || candidates.length === 0
    ? ''
    : html`<form method="post" action="/admin/meetings/${id}/hand-over" class="stack">
<label for="h-device">Hand the meeting over to</label>
<select id="h-device" name="device" required>${candidates.map((d) => html`<option value="${d.id}">${d.label} (${d.id})</option>`)}</select>
<label for="h-reason">Why</label><input id="h-reason" name="reason" required maxlength="500">
<p><button type="submit">Hand over</button></p></form>`
}`;
}
