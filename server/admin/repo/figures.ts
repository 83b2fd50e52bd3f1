/**
 * The figures a safeguarding partnership monitors, with no personal data: counts and durations grouped by
 * month, outcome, ground, role and answer, kind and policy. Every figure is one SQL aggregate over the
 * meetings projection (its columns, and the decided state in its stored snapshot), never a loop over
 * meetings here.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema';

export interface FigureFilters {
  kind?: string;
  policy?: string;
}

export interface Figures {
  requestsByMonth: { month: string; n: number }[];
  outcomes: { outcome: string; n: number }[];
  grounds: { ground: string; n: number }[];
  answers: { role: string; answer: string; n: number }[];
  decisionTimes: { kind: string; policy: string; n: number; median_hours: number; mean_hours: number }[];
}

const ZONE = 'Europe/London';
const context = sql`m.snapshot->'context'`;
const objectOr = (value: ReturnType<typeof sql>, empty: string) =>
  sql`case jsonb_typeof(${value}) when ${empty === '{}' ? 'object' : 'array'} then ${value} else ${sql.lit(empty)}::jsonb end`;

export async function figuresOf(db: Kysely<Database>, f: FigureFilters): Promise<Figures> {
  const where = [sql`m.head_seq > 0`, sql`m.phase <> 'discarded'`];
  if (f.kind) where.push(sql`m.kind = ${f.kind}`);
  if (f.policy) where.push(sql`m.profile_id = ${f.policy}`);
  const w = sql.join(where, sql` and `);
  const count = sql`count(*)::int`;
  const [requestsByMonth, outcomes, grounds, answers, decisionTimes] = await Promise.all([
    sql<{ month: string; n: number }>`
      select to_char(m.requested_at at time zone ${ZONE}, 'YYYY-MM') as month, ${count} as n
      from meetings m where ${w} and m.requested_at is not null group by 1 order by 1`.execute(db),
    sql<{ outcome: string; n: number }>`
      select m.outcome, ${count} as n from meetings m where ${w} and m.outcome <> ''
      group by 1 order by 1`.execute(db),
    sql<{ ground: string; n: number }>`
      select g.key as ground, ${count} as n
      from meetings m, jsonb_each_text(${objectOr(sql`${context}->'grounds'`, '{}')}) as g
      where ${w} and g.value = 'confirmed' group by 1 order by 1`.execute(db),
    sql<{ role: string; answer: string; n: number }>`
      select p->>'role' as role, a.value as answer, ${count} as n
      from meetings m, jsonb_each_text(${objectOr(sql`${context}->'answers'`, '{}')}) as a,
        jsonb_array_elements(${objectOr(sql`${context}->'attendees'`, '[]')}) as p
      where ${w} and p->>'id' = a.key group by 1, 2 order by 1, 2`.execute(db),
    sql<{ kind: string; policy: string; n: number; median_hours: number; mean_hours: number }>`
      select m.kind, m.profile_id as policy, ${count} as n,
        round((percentile_cont(0.5) within group (order by extract(epoch from m.decided_at - m.requested_at)) / 3600)::numeric, 1)::float8 as median_hours,
        round((avg(extract(epoch from m.decided_at - m.requested_at)) / 3600)::numeric, 1)::float8 as mean_hours
      from meetings m where ${w} and m.decided_at is not null and m.requested_at is not null
      group by 1, 2 order by 1, 2`.execute(db),
  ]);
  return {
    requestsByMonth: requestsByMonth.rows,
    outcomes: outcomes.rows,
    grounds: grounds.rows,
    answers: answers.rows,
    decisionTimes: decisionTimes.rows,
  };
}
