/**
 * The partnership's figures: each as a server-drawn SVG bar chart (a title and description for screen
 * readers) with the same figures in a table, and all of them as one CSV. No name appears: only counts by
 * month, outcome, ground, role and answer, kind and policy.
 */
import { html, raw } from 'hono/html';
import { GROUND_LABELS, MEETING_KINDS, PROFILES, type ProfileId } from '../../../src/domain';
import { capitalised, ROLE_LABELS } from '../../../src/domain/labels';
import type { FigureFilters, Figures } from '../repo/figures';
import { errorLine } from './layout';
import { kindWords, outcomeWords } from './meetings';

const ANSWER_WORDS: Record<string, string> = {
  agreed: 'Agreed',
  declined: 'Did not agree',
  'authorisation-needed': 'Needs authorisation first',
};
const roleWords = (role: string) =>
  role in ROLE_LABELS ? capitalised(ROLE_LABELS[role as keyof typeof ROLE_LABELS]) : role;
const groundWords = (ground: string) =>
  ground in GROUND_LABELS ? capitalised(GROUND_LABELS[ground as keyof typeof GROUND_LABELS]) : ground;
export const policyWords = (id: string) => PROFILES[id as ProfileId]?.name ?? id;

interface Bar {
  label: string;
  value: number;
}

/** The figures as rows of (figure, group, value): the CSV and every table are made from these. */
export function figureRows(f: Figures): { figure: string; group: string; value: number; unit: string }[] {
  return [
    ...f.requestsByMonth.map((r) => ({
      figure: 'Requests to record, by month',
      group: r.month,
      value: r.n,
      unit: 'requests',
    })),
    ...f.outcomes.map((r) => ({
      figure: 'Outcomes',
      group: outcomeWords(r.outcome),
      value: r.n,
      unit: 'meetings',
    })),
    ...f.grounds.map((r) => ({
      figure: 'Grounds to refuse confirmed',
      group: groundWords(r.ground),
      value: r.n,
      unit: 'meetings',
    })),
    ...f.answers.map((r) => ({
      figure: 'Answers by role',
      group: `${roleWords(r.role)}: ${ANSWER_WORDS[r.answer] ?? r.answer}`,
      value: r.n,
      unit: 'answers',
    })),
    ...f.decisionTimes.flatMap((r) => [
      {
        figure: 'Hours from request to decision (median)',
        group: `${kindWords(r.kind)}, ${policyWords(r.policy)}`,
        value: r.median_hours,
        unit: 'hours',
      },
      {
        figure: 'Requests decided',
        group: `${kindWords(r.kind)}, ${policyWords(r.policy)}`,
        value: r.n,
        unit: 'requests',
      },
    ]),
  ];
}

const csvCell = (v: string | number) => {
  const text = String(v);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

export function figuresCsv(f: Figures): string {
  const lines = [
    ['figure', 'group', 'value', 'unit'],
    ...figureRows(f).map((r) => [r.figure, r.group, r.value, r.unit]),
  ];
  return `${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

const esc = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** A horizontal bar chart: one bar per group, its value written at its end. */
function barChart(id: string, title: string, bars: readonly Bar[], unit: string) {
  const rowH = 32;
  const labelW = 300;
  const barW = 360;
  const height = bars.length * rowH + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const desc = bars.map((b) => `${b.label}: ${b.value} ${unit}`).join('; ');
  const body = bars
    .map((b, i) => {
      const y = 4 + i * rowH;
      const w = Math.max(1, Math.round((b.value / max) * barW));
      return `<text x="${labelW - 8}" y="${y + 20}" text-anchor="end">${esc(b.label)}</text><rect x="${labelW}" y="${y + 4}" width="${w}" height="${rowH - 10}" fill="#0b57a4"/><text x="${labelW + w + 6}" y="${y + 20}">${b.value}</text>`;
    })
    .join('');
  return raw(
    `<svg class="chart" role="img" aria-labelledby="${id}-t ${id}-d" viewBox="0 0 ${labelW + barW + 60} ${height}" width="100%" style="max-width:${labelW + barW + 60}px" font-size="14" font-family="system-ui,sans-serif"><title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>${body}</svg>`,
  );
}

function figureSection(id: string, title: string, bars: readonly Bar[], unit: string, note = '') {
  return html`<section aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>${note ? html`<p>${note}</p>` : ''}
${
  bars.length === 0
    ? html`<p>None yet.</p>`
    : html`${barChart(id, title, bars, unit)}
<table><caption>${title}: the figures</caption><thead><tr><th scope="col">Group</th><th scope="col">${capitalised(unit)}</th></tr></thead>
<tbody>${bars.map((b) => html`<tr><th scope="row">${b.label}</th><td>${b.value}</td></tr>`)}</tbody></table>`
}</section>`;
}

export function dashboardView(f: Figures, filters: FigureFilters, error: string | null = null) {
  const query = new URLSearchParams(
    Object.entries(filters).filter(([, v]) => v) as [string, string][],
  ).toString();
  const choice = (value: string, chosen: string | undefined, words: string) =>
    html`<option value="${value}"${value === chosen ? raw(' selected') : ''}>${words}</option>`;
  return html`<p>Figures for the safeguarding partnership: how requests to record meetings are made and decided. No names or other personal details are shown or downloaded. Meetings opened in error are left out.</p>
${errorLine(error)}
<form method="get" action="/admin/dashboard" class="filters" aria-label="Which meetings">
<div><label for="d-kind">Kind of meeting</label><select id="d-kind" name="kind"><option value="">Every kind</option>${MEETING_KINDS.map((k) => choice(k, filters.kind, kindWords(k)))}</select></div>
<div><label for="d-policy">Policy</label><select id="d-policy" name="policy"><option value="">Every policy</option>${Object.keys(PROFILES).map((p) => choice(p, filters.policy, policyWords(p)))}</select></div>
<div class="actions"><button type="submit">Show the figures</button> <a class="button" href="/admin/dashboard.csv${query ? `?${query}` : ''}" download>Download these figures (CSV)</a></div>
</form>
${figureSection(
  'requests',
  'Requests to record, by month',
  f.requestsByMonth.map((r) => ({ label: r.month, value: r.n })),
  'requests',
)}
${figureSection(
  'outcomes',
  'Outcomes',
  f.outcomes.map((r) => ({ label: outcomeWords(r.outcome), value: r.n })),
  'meetings',
)}
${figureSection(
  'grounds',
  'Grounds to refuse confirmed',
  f.grounds.map((r) => ({ label: groundWords(r.ground), value: r.n })),
  'meetings',
)}
${figureSection(
  'answers',
  'Answers by role',
  f.answers.map((r) => ({
    label: `${roleWords(r.role)}: ${ANSWER_WORDS[r.answer] ?? r.answer}`,
    value: r.n,
  })),
  'answers',
  'The answers of the last round each meeting asked.',
)}
${figureSection(
  'decision',
  'Hours from request to decision (median), by kind and policy',
  f.decisionTimes.map((r) => ({
    label: `${kindWords(r.kind)}, ${policyWords(r.policy)} (${r.n})`,
    value: r.median_hours,
  })),
  'hours',
  'From when the request was received to the end of its first review; the number of requests is in brackets.',
)}`;
}
