/** Admin accounts (administrators only): the list, a new account, role changes, disabling. */
import { html } from 'hono/html';
import { fmt } from '../context';
import type { Account } from '../repo/accounts';
import { ROLE_LABEL, ROLES } from '../roles';
import { errorLine, type Html, tableRegion } from './layout';

const roleOptions = (selected: string | null) =>
  ROLES.map((r) => html`<option value="${r}"${r === selected ? ' selected' : ''}>${ROLE_LABEL[r]}</option>`);

function row(a: Account, self: string): Html {
  const disabled = a.disabled_at !== null;
  return html`<tr><td>${a.username}</td><td>${a.display_name}</td><td>${ROLE_LABEL[a.role]}</td>
<td>${disabled ? html`Disabled ${fmt(a.disabled_at)}` : a.must_change_password ? 'Active (must change the temporary password)' : 'Active'}</td>
<td><form method="post" action="/admin/accounts/${a.username}/role">
<label for="role-${a.username}">Role of ${a.username}</label>
<select id="role-${a.username}" name="role">${roleOptions(a.role)}</select>
<button type="submit" class="secondary" aria-label="Change role of ${a.username}">Change role</button></form></td>
<td>${
    disabled
      ? html`<form method="post" action="/admin/accounts/${a.username}/enable"><button type="submit" class="secondary" aria-label="Enable ${a.username}">Enable</button></form>`
      : a.username === self
        ? 'Your account'
        : html`<form method="post" action="/admin/accounts/${a.username}/disable"><button type="submit" class="secondary" aria-label="Disable ${a.username}">Disable</button></form>`
  }</td></tr>`;
}

export function accountsView(
  accounts: readonly Account[],
  self: string,
  error: string | null,
  notice: string | null,
) {
  return html`${errorLine(error)}${notice ? html`<p class="state-ok" role="status">${notice}</p>` : ''}
${tableRegion(
  'Admin accounts',
  html`<table><caption>Admin accounts</caption>
<thead><tr><th scope="col">Username</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">State</th><th scope="col">Role change</th><th scope="col">Access</th></tr></thead>
<tbody>${accounts.map((a) => row(a, self))}</tbody></table>`,
)}
<p>Disabling an account ends its sessions at once. There is always at least one active administrator.</p>
<h2>New account</h2>
<form method="post" action="/admin/accounts">
<label for="a-username">Username</label>
<input id="a-username" name="username" autocomplete="off" autocapitalize="none" spellcheck="false" required>
<label for="a-name">Name of the person</label>
<input id="a-name" name="displayName" autocomplete="off" required maxlength="200">
<label for="a-role">Role</label>
<select id="a-role" name="role" required>${roleOptions('viewer')}</select>
<label for="a-password">Temporary password (at least 12 characters; they choose their own at first sign-in)</label>
<input id="a-password" name="password" type="password" autocomplete="new-password" minlength="12" required>
<p><button type="submit">Create the account</button></p>
</form>
<h2>What each role may do</h2>
<ul>
<li><strong>Administrator</strong>: devices and enrolment codes, hand-over and replacing tablets, accounts, the audit trail, and everything a records officer may do.</li>
<li><strong>Records officer</strong>: meetings, exports of minute entries, undertakings and event logs, and verifying printed records.</li>
<li><strong>Viewer</strong>: the meetings list and meeting pages, read only.</li>
</ul>`;
}
