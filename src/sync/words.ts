/** The chair's words for a sync problem: plain English by code, never the raw server message alone. */
import type { useT } from '../shared/i18n';
import { enGB } from '../shared/i18n/en-GB';
import type { SyncProblem } from './transport';

const KNOWN = new Set(Object.keys(enGB.sync.error));

type T = ReturnType<typeof useT>;

export function problemText(t: T, problem: SyncProblem): string {
  if (problem.code === 'meeting-claimed' && problem.claimedBy) {
    return t('sync.error.meeting-claimed-by', { label: problem.claimedBy });
  }
  if (KNOWN.has(problem.code) && problem.code !== 'other') return t(`sync.error.${problem.code}`);
  if (problem.status === undefined || problem.status >= 500) return t('sync.error.network');
  return t('sync.error.other', { code: problem.code });
}

/** A time the chair can read: today as 14:05, otherwise with the date. */
export function timeText(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  if (date.toDateString() === now.toDateString()) return time;
  return `${date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })} ${time}`;
}
