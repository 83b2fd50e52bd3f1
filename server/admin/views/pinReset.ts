/** The PIN reset page of one tablet: issue its next one-time code, shown once, large, to be read out. */
import { html } from 'hono/html';
import { errorLine } from './layout';

export interface PinResetDevice {
  id: string;
  label: string;
  revokedAt: Date | null;
  /** Codes issued so far. */
  issued: number;
  /** Whether the tablet was given a reset secret at enrolment. */
  hasSecret: boolean;
}

/** The code read aloud letter by letter: groups of four, spaced. */
const spoken = (code: string) => code.replace('-', ' ');

export function pinResetView(
  device: PinResetDevice | null,
  issued: { code: string; number: number } | null,
  refusal: string | null,
) {
  if (!device)
    return html`${errorLine(refusal)}
<p><a href="/admin/devices">Back to the devices</a></p>`;
  return html`<p>Tablet <strong>${device.label}</strong> (<code>${device.id}</code>).</p>
${errorLine(refusal)}
${
  issued
    ? html`<section aria-labelledby="reset-code-title"><h2 id="reset-code-title">Read this code to the chair</h2>
<p>Read it to the chair holding the tablet, letter by letter. On the tablet's PIN screen they choose "Forgotten your PIN?" and type it; the tablet checks it without a connection, then asks them to choose a new PIN. Nothing recorded on the tablet is lost.</p>
<p class="code" role="status" aria-label="Reset code ${spoken(issued.code)}" style="font-size:3rem">${issued.code}</p>
<p>The code works once, on this tablet only, and is not shown again. It is code number ${issued.number} for this tablet; issuing another makes a new one.</p></section>`
    : ''
}
${
  refusal
    ? ''
    : html`<h2>Issue a code</h2>
<p>Issue a code only to the chair of this tablet, once you are sure who is asking. ${
        device.issued === 0
          ? 'No code has been issued for this tablet yet.'
          : `${device.issued} code(s) have been issued for this tablet so far.`
      }</p>
<form method="post" action="/admin/pin-reset/${device.id}"><button type="submit">Issue a PIN reset code</button></form>`
}
<p><a class="button" href="/admin/devices">Back to the devices</a></p>`;
}
