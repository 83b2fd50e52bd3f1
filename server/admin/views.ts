/**
 * The admin area's pages: plain server-rendered HTML (no client script), labelled controls of at least
 * 48px, headings in order. Every interpolated value is escaped by hono/html; only signatureToSvg's
 * output (numbers and an escaped title) is inserted raw.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
body{font:18px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
header,main{max-width:70rem;margin:0 auto;padding:1rem}
header{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;border-bottom:2px solid #ddd}
nav a{margin-right:1rem}
a{color:#0b57a4}
button,input,select{font:inherit;min-height:48px;min-width:48px;padding:.5rem 1rem;box-sizing:border-box}
button{cursor:pointer;border:2px solid #0b57a4;background:#0b57a4;color:#fff;border-radius:6px}
button.secondary{background:#fff;color:#0b57a4}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #ccc;padding:.5rem;text-align:left;vertical-align:top}
.state-ok{color:#1b5e20;font-weight:600}.state-warn{color:#8a4b00;font-weight:600}.state-bad{color:#b00020;font-weight:600}
.error{color:#b00020;font-weight:600}
pre{white-space:pre-wrap;background:#fff;border:1px solid #ccc;padding:1rem}
.code{font:700 2rem/1.2 ui-monospace,monospace;letter-spacing:.1em}
.sig{background:#fff;border:1px solid #ccc;max-width:100%;height:auto}
a.button{display:inline-flex;align-items:center;min-height:48px;padding:0 1rem}
`;

export function page(title: string, body: Html, options: { signedIn?: boolean } = {}): Html {
  return html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · Consent Kiosk records</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<header>
<p><strong>Consent Kiosk records</strong></p>
${
  options.signedIn
    ? html`<nav aria-label="Admin"><a href="/admin">Meetings</a><a href="/admin/devices">Devices and codes</a><a href="/admin/verify">Verify a record</a></nav>
<form method="post" action="/admin/logout"><button type="submit" class="secondary">Sign out</button></form>`
    : ''
}
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

export const errorLine = (message: string | null): Html =>
  message ? html`<p class="error" role="alert">${message}</p>` : html``;

export function loginForm(error: string | null): Html {
  return html`${errorLine(error)}
<form method="post" action="/admin/login">
<label for="password">Admin password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Sign in</button></p>
</form>`;
}

export function setupForm(error: string | null, isLocal: boolean): Html {
  if (!isLocal) {
    return html`<p>No admin password has been set yet. Set ADMIN_PASSWORD in the service's configuration,
or open this page on the machine that runs the service to choose one.</p>`;
  }
  return html`<p>No admin password has been set yet. Choose one now (at least 12 characters). It can be set here once.</p>
${errorLine(error)}
<form method="post" action="/admin/setup">
<label for="password">New admin password</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="12" required>
<label for="confirm">The same password again</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" minlength="12" required>
<p><button type="submit">Set the password</button></p>
</form>`;
}
