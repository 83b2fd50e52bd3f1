/** Times and spans in words, as the admin pages write them. */
import { html } from 'hono/html';
import { fmt } from '../context';

/** A tablet's time further than this from when the service received the event is shown as a warning. */
export const CLOCK_SKEW_WARNING_MS = 10 * 60_000;

export function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes === 1) return '1 minute';
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}

/** "3 hours ago (2026-12-02 10:40 UTC)"; "Never" when there is no time. */
export function ago(at: Date | string | null, now: Date): string {
  if (!at) return 'Never';
  const ms = now.getTime() - new Date(at).getTime();
  const words = ms < 60_000 ? 'Just now' : `${duration(ms)} ago`;
  return `${words} (${fmt(at)})`;
}

/**
 * A tablet's clock against the service's, from its latest batch that said its clock (the tablet's time
 * when it sent the batch, against when the service received it).
 */
export function clockWords(sentAt: string | null, receivedAt: Date | string | null) {
  if (!sentAt || !receivedAt) return html`Not known: the tablet has not said its clock`;
  const skew = Date.parse(sentAt) - new Date(receivedAt).getTime();
  if (Number.isNaN(skew)) return html`Not known: the tablet has not said its clock`;
  if (Math.abs(skew) < 60_000) return html`<span class="state-ok">Right (within a minute)</span>`;
  const words = `${skew > 0 ? 'Ahead' : 'Behind'} by ${duration(Math.abs(skew))}`;
  return Math.abs(skew) > CLOCK_SKEW_WARNING_MS
    ? html`<span class="state-warn">${words}: its times may be wrong</span>`
    : html`${words}`;
}
