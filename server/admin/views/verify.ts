/** Verifying a printed record against the synced log. */
import { html } from 'hono/html';
import type { verifyRecord } from '../../../src/domain';

type Verdict =
  | { kind: 'malformed' }
  | { kind: 'none' }
  | { kind: 'result'; result: Awaited<ReturnType<typeof verifyRecord>> };

function verdictLine(v: Verdict) {
  if (v.kind === 'malformed')
    return html`<p class="state-bad" role="alert">The meeting id or the hash is not in the right form: a meeting id is 36 characters, a hash 64.</p>`;
  if (v.kind === 'none')
    return html`<p class="state-bad" role="alert">No events of this meeting are held.</p>`;
  const result = v.result;
  if (result.status === 'matches')
    return html`<p class="state-ok" role="status">The record matches: the synced log of ${result.eventCount} events is unbroken and ends with this hash.</p>`;
  if (result.status === 'different-head')
    return html`<p class="state-bad" role="alert">The record does not match the printed hash. ${
      result.claimedSeq === null
        ? 'No event of this meeting has that hash.'
        : `The printed hash is that of event ${result.claimedSeq}: the minute was made before the last ${result.eventCount - result.claimedSeq} event(s) were recorded.`
    } The synced log ends with <code class="hash">${result.headHash}</code>.</p>`;
  return html`<p class="state-bad" role="alert">The synced log is broken at event ${result.error.seq ?? result.error.index + 1} (id ${result.error.eventId ?? 'unknown'}): ${result.error.message}</p>`;
}

export function verifyView(id: string, hash: string, verdict: Verdict | null) {
  return html`${verdict ? verdictLine(verdict) : ''}<form method="get" action="/admin/verify" class="stack">
<p>Type the meeting id and the hash printed in the minute entry's record check, or paste the link its QR code gives into either box.</p>
<label for="v-meeting">Meeting id (36 characters)</label><input id="v-meeting" name="meeting" class="mono" value="${id}" size="40" required autocomplete="off" autocapitalize="off" spellcheck="false">
<label for="v-hash">Head hash printed on the minute entry (64 characters)</label><input id="v-hash" name="hash" class="mono" value="${hash}" size="68" autocomplete="off" autocapitalize="off" spellcheck="false">
<button type="submit">Verify</button></form>`;
}
