/** Sign-in, first set-up and password pages. */
import { html } from 'hono/html';
import { errorLine, type Html } from './layout';

export function loginForm(error: string | null, username = ''): Html {
  return html`${errorLine(error)}
<form method="post" action="/admin/login">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" value="${username}" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Sign in</button></p>
</form>`;
}

export function setupForm(error: string | null, username = ''): Html {
  return html`<p>No admin account exists yet. When the service started without ADMIN_PASSWORD, it printed a
one-time set-up code on its own console (where it was started, not in its log). Enter that code to create
the first administrator. It works once.</p>
${errorLine(error)}
<form method="post" action="/admin/setup">
<label for="code">Set-up code from the service's console</label>
<input id="code" name="code" autocomplete="one-time-code" autocapitalize="characters" spellcheck="false" required>
<label for="username">Username for the first administrator</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" value="${username}" required>
<label for="password">Password (at least 12 characters)</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required>
<label for="confirm">The same password again</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="12" required>
<p><button type="submit">Create the administrator</button></p>
</form>`;
}

export function passwordForm(error: string | null, mustChange: boolean, done = false): Html {
  return html`${
    mustChange
      ? html`<p role="status">Your password was set by an administrator. Choose your own before you go on.</p>`
      : ''
  }${done ? html`<p class="state-ok" role="status">Your password was changed. Every other session of your account has ended.</p>` : ''}
${errorLine(error)}
<form method="post" action="/admin/password">
<label for="current">Current password</label>
<input id="current" name="current" type="password" autocomplete="current-password" required>
<label for="password">New password (at least 12 characters)</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required>
<label for="confirm">The new password again</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="12" required>
<p><button type="submit">Change the password</button></p>
<p>Changing it signs you out everywhere else.</p>
</form>
<h2>Sessions</h2>
<form method="post" action="/admin/logout-everywhere">
<p>Ends every session of your account, on every computer, this one included.</p>
<p><button type="submit" class="secondary">Sign out everywhere</button></p>
</form>`;
}
