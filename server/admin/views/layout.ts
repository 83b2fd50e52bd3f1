/**
 * The admin area's page frame: plain server-rendered HTML (no client script), labelled controls of at least
 * 48px, headings in order. Every interpolated value is escaped by hono/html; only signatureToSvg's
 * output (numbers and an escaped title) is inserted raw. The navigation offers only what the role may do.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { AdminRole } from '../../db/schema';
import { may, ROLE_LABEL } from '../roles';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `
body{font:18px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
header,main{max-width:70rem;margin:0 auto;padding:1rem}
header{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;border-bottom:2px solid #ddd}
nav a{margin-right:1rem;display:inline-flex;align-items:center;min-height:48px}
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
.inline{display:inline}
.filters{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:0 1rem;align-items:end;margin-bottom:1rem}
.filters .wide{grid-column:1/-1}.filters input,.filters select{width:100%}
.filters .actions{grid-column:1/-1;display:flex;gap:1rem;align-items:center;margin-top:1rem}
.pages{display:flex;gap:1rem;margin-top:1rem}
th,td{overflow-wrap:break-word}
code,pre{overflow-wrap:anywhere}
td code,th code{overflow-wrap:break-word}
.table-scroll{overflow-x:auto;max-width:100%;margin-bottom:1rem}
.table-scroll:focus-visible{outline:3px solid #0b57a4;outline-offset:2px}
.table-scroll caption{text-align:start;position:sticky;left:0;max-width:calc(100vw - 2rem)}
td a:not(.button),th a:not(.button){display:inline-flex;align-items:center;min-height:48px;min-width:48px}
.stack button[type=submit]{margin-top:1rem}
input.mono{font-family:ui-monospace,Menlo,Consolas,monospace;width:100%;max-width:calc(68ch + 2.5rem);letter-spacing:.02em}
`;

/** Who is signed in, as far as the frame needs it. */
export interface Viewer {
  displayName: string;
  username: string;
  role: AdminRole;
  mustChangePassword?: boolean;
}

function nav(who: Viewer): Html {
  if (who.mustChangePassword) return html``;
  return html`<nav aria-label="Admin"><a href="/admin">Meetings</a><a href="/admin/dashboard">Figures</a>${
    may(who.role, 'export-records')
      ? html`<a href="/admin/verify">Verify a record</a><a href="/admin/subject-access">Subject access</a>`
      : ''
  }${may(who.role, 'prepare-meetings') ? html`<a href="/admin/prepare">Prepare a meeting</a>` : ''}${
    may(who.role, 'manage-devices') ? html`<a href="/admin/devices">Devices and codes</a>` : ''
  }${
    may(who.role, 'manage-accounts') ? html`<a href="/admin/accounts">Accounts</a>` : ''
  }${may(who.role, 'read-audit') ? html`<a href="/admin/audit">Audit trail</a>` : ''}${
    may(who.role, 'manage-keys') ? html`<a href="/admin/keys">Sealing keys</a>` : ''
  }<a href="/admin/password">Your password</a></nav>`;
}

export function page(title: string, body: Html, who: Viewer | null = null): Html {
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
  who
    ? html`${nav(who)}
<p>Signed in as ${who.displayName} (${who.username}, ${ROLE_LABEL[who.role]})</p>
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

/**
 * A table that, on a screen too narrow for it (a phone), scrolls sideways inside its own region, named like
 * its caption and reachable by keyboard, rather than widening the whole page.
 */
export const tableRegion = (label: string, table: Html): Html =>
  html`<div class="table-scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;

export const errorLine = (message: string | null): Html =>
  message ? html`<p class="error" role="alert">${message}</p>` : html``;
