/** The audit trail (administrators only): newest first, a page at a time, optionally for one meeting. */
import { html } from 'hono/html';
import { fmt } from '../context';
import type { AuditRow } from '../repo/audit';
import { tableRegion } from './layout';

export function auditView(rows: readonly AuditRow[], meetingId: string, pageNo: number, hasMore: boolean) {
  const link = (n: number) =>
    `/admin/audit?${new URLSearchParams({ ...(meetingId ? { meeting: meetingId } : {}), page: String(n) })}`;
  return html`<form method="get" action="/admin/audit">
<label for="f-meeting">Only this meeting (meeting id)</label>
<input id="f-meeting" name="meeting" value="${meetingId}">
<p><button type="submit">Show</button></p></form>
${
  rows.length === 0
    ? html`<p>Nothing has been recorded${meetingId ? ' for this meeting' : ''}.</p>`
    : tableRegion(
        'The audit trail',
        html`<table><caption>Who saw or did what, newest first (page ${pageNo})</caption>
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Meeting</th><th scope="col">Device</th><th scope="col">Detail</th></tr></thead>
<tbody>${rows.map(
          (r) =>
            html`<tr><td>${fmt(r.at)}</td><td>${r.username}</td><td>${r.action}</td><td>${
              r.meeting_id
                ? html`<a href="/admin/meetings/${r.meeting_id}"><code>${r.meeting_id}</code></a>`
                : '—'
            }</td><td>${r.device_id ? html`<code>${r.device_id}</code>` : '—'}</td><td>${r.detail ?? ''}</td></tr>`,
        )}</tbody></table>`,
      )
}
<nav aria-label="Pages of the audit trail">${pageNo > 1 ? html`<a class="button" href="${link(pageNo - 1)}">Newer entries</a>` : ''}${
    hasMore ? html`<a class="button" href="${link(pageNo + 1)}">Older entries</a>` : ''
  }</nav>`;
}
