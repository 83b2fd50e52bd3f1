/** Devices and enrolment codes (administrators only). */
import { html } from 'hono/html';
import { fmt } from '../context';
import { CODE_HOURS, type listDevicesAndCodes } from '../repo/devices';
import { errorLine, tableRegion } from './layout';
import { ago, clockWords } from './words';

/**
 * Replacing a tablet (lost, broken): the admin names the enrolled tablet that takes over; the old one is
 * revoked, its open meetings are handed over to the new one, and the meetings the office prepared for it
 * and nobody has claimed are for the new one.
 */
function replaceForm(
  device: { id: string; label: string },
  active: readonly { id: string; label: string }[],
) {
  const others = active.filter((a) => a.id !== device.id);
  if (others.length === 0) return '—';
  return html`<form method="post" action="/admin/devices/${device.id}/replace">
<label for="r-${device.id}">Replaced by</label>
<select id="r-${device.id}" name="replacement" required>${others.map((o) => html`<option value="${o.id}">${o.label} (${o.id})</option>`)}</select>
<button type="submit" class="secondary" aria-label="Replace ${device.label} (${device.id}) by the chosen tablet">Replace</button></form>`;
}

function stateWords(d: { revoked_at: Date | null; last_seen_at: Date | null }) {
  if (d.revoked_at)
    return html`<span class="state-bad">Revoked ${fmt(d.revoked_at)}</span>: it can no longer send`;
  if (!d.last_seen_at) return html`<span class="state-warn">Active, not synced yet</span>`;
  return html`<span class="state-ok">Active</span>`;
}

export function devicesView(
  { devices, codes }: Awaited<ReturnType<typeof listDevicesAndCodes>>,
  now: Date,
  newCode: string | null,
  error: string | null = null,
  sealingFingerprint: string | null = null,
) {
  const active = devices.filter((d) => !d.revoked_at);
  return html`${errorLine(error)}
${
  newCode
    ? html`<section aria-labelledby="new-code"><h2 id="new-code">New enrolment code</h2>
<p>Enter this code in the tablet's settings within ${CODE_HOURS} hours. It works once and is not shown again.</p>
<p class="code" role="status">${newCode}</p></section>`
    : ''
}
<h2>Enrol a tablet</h2>
${
  sealingFingerprint
    ? html`<p>A tablet enrolled now seals its closed meetings to the key with fingerprint <strong class="code">${sealingFingerprint}</strong>: its settings show the same.</p>`
    : ''
}
<form method="post" action="/admin/codes"><button type="submit">Create an enrolment code</button></form>
<h2>Devices</h2>
<p>Replacing a lost or broken tablet revokes it and gives the tablet chosen its open meetings and the meetings prepared for it.</p>
${
  devices.length === 0
    ? html`<p>No tablet has been enrolled yet.</p>`
    : tableRegion(
        'Enrolled tablets',
        html`<table><caption>Enrolled tablets, by name (revoked ones last)</caption>
<thead><tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">Last sync</th><th scope="col">Clock</th><th scope="col">Enrolled</th><th scope="col">Revoke</th><th scope="col">Replace</th></tr></thead>
<tbody>${devices.map(
          (d) => html`<tr><th scope="row">${d.label}<br><small>Device id <code>${d.id}</code></small></th>
<td>${stateWords(d)}</td><td>${ago(d.last_seen_at, now)}</td><td>${clockWords(d.sent_at, d.received_at)}</td><td>${fmt(d.created_at)}</td>
<td>${
            d.revoked_at
              ? '—'
              : html`<form method="post" action="/admin/devices/${d.id}/revoke"><button type="submit" class="secondary" aria-label="Revoke ${d.label} (${d.id})">Revoke</button></form>
<a class="button" href="/admin/pin-reset/${d.id}" aria-label="PIN reset code for ${d.label} (${d.id})">PIN reset code</a>`
          }</td>
<td>${replaceForm(d, active)}</td></tr>`,
        )}</tbody></table>`,
      )
}
<h2>Enrolment codes</h2>
${
  codes.length === 0
    ? html`<p>No code has been created.</p>`
    : tableRegion(
        'Enrolment codes',
        html`<table><caption>Codes (only their last characters are kept)</caption>
<thead><tr><th scope="col">Ends in</th><th scope="col">Created</th><th scope="col">State</th></tr></thead>
<tbody>${codes.map(
          (k) =>
            html`<tr><td><code>…${k.hint}</code></td><td>${fmt(k.created_at)}</td><td>${
              k.used_at
                ? html`Used ${fmt(k.used_at)} by <code>${k.device_id ?? ''}</code>`
                : new Date(k.expires_at) <= now
                  ? 'Expired'
                  : html`Unused, expires ${fmt(k.expires_at)}`
            }</td></tr>`,
        )}</tbody></table>`,
      )
}`;
}
