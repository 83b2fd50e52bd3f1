/**
 * Golden minute entries (HCS 2.10): each scenario's text is compared with a reviewed file in golden/.
 * When the wording changes on purpose, run `npx vitest run -u tests/unit/minutes.golden.test.ts` and read
 * every changed file as a chair would before committing it.
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import { replay } from '../../src/domain/replay';
import * as s from '../support/scenario';

const { people } = s;

async function minutesOf(events: DomainEvent[]) {
  const log = await s.sealAll(events);
  const replayed = await replay(log);
  if (!replayed.ok)
    throw new Error(`${replayed.error.code} at ${replayed.error.index}: ${replayed.error.message}`);
  const entry = minuteEntry(log);
  return { entry, text: renderMinuteText(entry), log };
}

const setUp = (
  kind: Parameters<typeof s.opened>[0],
  ...attendees: (typeof people)[keyof typeof people][]
) => [s.opened(kind), ...attendees.map(s.added)];

const scenarios: Record<string, DomainEvent[]> = {
  'all-agree': [
    ...setUp('meeting', people.chair, people.mother, people.socialWorker, people.health),
    s.requested('mother'),
    s.eligible(),
    s.signed('mother'),
    ...s.agrees('chair'),
    ...s.agrees('sw'),
    ...s.agrees('health'),
    ...s.screened(),
    s.started,
    s.recordingStarted,
    s.closed,
  ],
  'one-declines': [
    ...setUp('looked-after-child-review', people.chair, people.mother, people.socialWorker, people.health),
    s.requested('mother'),
    s.eligible(),
    s.signed('mother'),
    ...s.agrees('chair'),
    ...s.agrees('sw'),
    ...s.declines('health', 'Clinical information about another patient may come up.'),
    ...s.screened(),
    {
      type: 'alternatives.offered',
      payload: { arrangements: ['detailed-minutes', 'breaks-and-summaries'], note: 'Sarah accepted both.' },
    },
    s.started,
    s.closed,
  ],
  'conference-chair-decides': [
    ...setUp(
      'child-protection-conference',
      people.chair,
      people.mother,
      people.socialWorker,
      people.police,
      people.health,
    ),
    s.requested('mother'),
    s.eligible(),
    s.signed('mother'),
    ...s.agrees('chair'),
    ...s.agrees('sw'),
    ...s.declines('police', 'Details of an ongoing investigation will be shared.'),
    ...s.agrees('health'),
    ...s.screened(),
    {
      type: 'chair.decided',
      payload: {
        outcome: 'permitted',
        reason:
          'Sarah has a learning disability and needs an exact record; police can ask for a pause before sharing investigation details.',
        disagreements: 'DC Webb disagreed because of the ongoing investigation.',
      },
    },
    s.started,
    s.recordingStarted,
    s.closed,
  ],
  'newcomer-joins-mid-recording': [
    ...setUp('meeting', people.chair, people.mother, people.socialWorker),
    s.requested('mother'),
    s.eligible(),
    s.signed('mother'),
    ...s.agrees('chair'),
    ...s.agrees('sw'),
    ...s.screened(),
    s.started,
    s.recordingStarted,
    s.joined(people.interpreter),
    ...s.agrees('interp'),
    s.recordingResumed,
    s.left('interp'),
    s.closed,
  ],
  'request-after-start': [
    ...setUp('meeting', people.chair, people.youngPerson, people.socialWorker),
    s.started,
    s.requested('yp', 'after-start', '2026-11-23T10:05:00+00:00'),
    s.eligible('subject-child'),
    s.signed('yp'),
    ...s.agrees('chair'),
    ...s.agrees('sw'),
    ...s.screened(),
    s.recordingStarted,
    s.closed,
  ],
  'conversation-professional-declines': [
    ...setUp('conversation', people.mother, people.socialWorker),
    s.requested('mother'),
    ...s.declines(
      'sw',
      'I will be discussing another family member’s health, which they have not agreed to share.',
    ),
    s.started,
    s.closed,
  ],
  'advance-request-under-48-hours': [
    ...setUp('meeting', people.chair, people.father, people.socialWorker),
    s.requested('father', 'in-advance', '2026-11-22T15:30:00+00:00'),
    { type: 'request.attendees-notified', payload: { via: 'email' } },
    s.eligible(),
    s.signed('father'),
    ...s.agrees('chair'),
    ...s.needsAuthorisation(
      'sw',
      'I need legal advice first, because care proceedings are being considered.',
    ),
    ...s.screened(),
    { type: 'alternatives.offered', payload: { arrangements: ['minutes-sent-early'], note: '' } },
    { type: 'request.outcome-confirmed', payload: { via: 'email', note: 'Sent to Mark after the meeting.' } },
    s.started,
    s.closed,
  ],
  'staffordshire-objection-noted': [
    s.opened('meeting', 'staffordshire-stoke'),
    s.added(people.chair),
    s.added(people.mother),
    s.added(people.police),
    s.requested('mother'),
    s.signed('mother', 'staffordshire-stoke'),
    ...s.agrees('chair'),
    ...s.declines('police', 'I would rather not be recorded.'),
    s.started,
    s.recordingStarted,
    s.closed,
  ],
};

describe('HCS 2.10: golden minute entries read like minutes a chair would sign', () => {
  for (const [name, events] of Object.entries(scenarios)) {
    it(name, async () => {
      const { text, entry, log } = await minutesOf(events);
      expect(entry.isComplete).toBe(true);
      expect(entry.headHash).toBe(log.at(-1)?.hash);
      await expect(text).toMatchFileSnapshot(`./golden/${name}.golden.txt`);
    });
  }
});
