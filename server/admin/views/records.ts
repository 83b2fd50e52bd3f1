/** Legal holds on the meeting page, subject access requests, and the sealing keys. */
import { html } from 'hono/html';
import type { PublicKeyInfo } from '../../keys';
import type { RetentionPolicy } from '../../retention';
import type { PersonMatch } from '../../subjectAccess';
import { fmt } from '../context';
import { errorLine, type Html, tableRegion } from './layout';

export interface HoldShown {
  placed_by: string;
  reason: string;
  placed_at: Date | string;
}

/** Every role sees whether a hold is in place; only those who may manage holds get the forms. */
export function holdSection(
  id: string,
  hold: HoldShown | null,
  canManage: boolean,
  policy: RetentionPolicy,
): Html {
  return html`<h2>Retention</h2>
${
  hold
    ? html`<p class="state-warn" role="status">A legal hold is in place: this record is kept whatever its age, until the hold is lifted.</p>
<p>Placed by ${hold.placed_by} at ${fmt(hold.placed_at)}. Reason: ${hold.reason}</p>`
    : html`<p>No legal hold. This record is kept ${policy.meetingYears} years after the meeting's last event (a meeting discarded as opened in error, ${policy.discardedDays} days), then removed by the daily purge.</p>`
}
${
  !canManage
    ? ''
    : hold
      ? html`<form method="post" action="/admin/meetings/${id}/hold/lift"><button type="submit" class="secondary">Lift the legal hold</button></form>`
      : html`<form method="post" action="/admin/meetings/${id}/hold">
<label for="hold-reason">Why the record must be kept (for example, proceedings under way)</label>
<input id="hold-reason" name="reason" required maxlength="500">
<p><button type="submit">Place a legal hold</button></p></form>`
}`;
}

export function subjectSearchView(
  name: string,
  matches: readonly PersonMatch[] | null,
  error: string | null,
) {
  return html`${errorLine(error)}
<p>Find every meeting in which a person appears, confirm the ones that are about them, and export those as one bundle: an index, each meeting's minute entry (text, JSON and PDF), the signed undertakings and the event logs. Searches and exports are written to the audit trail.</p>
<form method="post" action="/admin/subject-access">
<label for="sa-name">The person's name</label>
<input id="sa-name" name="name" required maxlength="200" value="${name}" autocomplete="off">
<p><button type="submit">Find meetings</button></p></form>
${matches === null ? '' : matchesView(name, matches)}`;
}

function matchesView(name: string, matches: readonly PersonMatch[]) {
  if (matches.length === 0)
    return html`<h2>Results</h2><p role="status">No meeting held names this person.</p>`;
  return html`<h2>Results</h2>
<form method="post" action="/admin/subject-access/export">
<input type="hidden" name="subject" value="${name}">
${tableRegion(
  'Meetings naming the person',
  html`<table><caption>Meetings naming the person (${matches.length}): tick those that are about them</caption>
<thead><tr><th scope="col">Export</th><th scope="col">Meeting</th><th scope="col">Scheduled</th><th scope="col">Names matched</th></tr></thead>
<tbody>${matches.map(
    (
      m,
    ) => html`<tr><td><input type="checkbox" id="sa-${m.meetingId}" name="meeting" value="${m.meetingId}"></td>
<td><label for="sa-${m.meetingId}">${m.title || `Meeting ${m.meetingId.slice(0, 8)}`}</label> <a href="/admin/meetings/${m.meetingId}">open</a></td>
<td>${fmt(m.scheduledAt)}</td><td>${m.matches.join('; ')}</td></tr>`,
  )}</tbody></table>`,
)}
<p><button type="submit">Export the ticked meetings</button></p></form>`;
}

export function keysView(current: PublicKeyInfo, older: readonly string[], notice: string | null) {
  return html`${notice ? html`<p class="state-ok" role="status">${notice}</p>` : ''}
<h2>Current sealing key</h2>
<p>Tablets seal closed meetings to this key. Its fingerprint is what a tablet shows in its settings: compare them.</p>
<p class="code">${current.fingerprint}</p>
<p>Key id <code>${current.keyId}</code></p>
<h2>Older keys kept</h2>
${
  older.length === 0
    ? html`<p>None: no rotation yet.</p>`
    : html`<p>Kept so that meetings sealed by tablets enrolled before a rotation still open.</p><ul>${older.map((k) => html`<li><code>${k}</code></li>`)}</ul>`
}
<h2>Rotate</h2>
<p>A new key pair becomes current: tablets enrolled from now on get it; older keys stay to open what was sealed to them.</p>
<form method="post" action="/admin/keys/rotate"><button type="submit">Rotate the sealing key</button></form>`;
}
