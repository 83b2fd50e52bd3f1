// @vitest-environment jsdom
/**
 * The chair's "Everyone present" panel for a meeting prepared in advance (HCS 2.5, 2.11; issue 19): someone
 * invited and not here yet is "expected", never "left"; someone told of the request who arrives to a decision
 * made in advance is shown as covered by it (not as waiting to be asked, nor blank); someone not told is
 * shown as not asked yet.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events';
import type { Attendee } from '../../src/domain/model';
import { StatusPanel } from '../../src/meeting/MeetingView';
import { MeetingSession } from '../../src/meeting/session';
import '../../src/shared/i18n';
import { enGB } from '../../src/shared/i18n/en-GB';
import type { MeetingStore } from '../../src/storage/meetingStore';
import * as s from '../support/scenario';
import { stepped } from '../support/steps';

const { people } = s;
const expected = (attendee: Attendee): DomainEvent => ({
  type: 'attendee.added',
  payload: { attendee, isAbsent: true },
});

/** Prepared the week before under SSLSCB (notice model): the father asked; the chair and social worker were told. */
const preparedThenArrived = (arrivals: string[]) =>
  stepped([
    s.timed('2026-11-16T09:00:00+00:00', s.opened('meeting', 'staffordshire-stoke')),
    expected(people.chair),
    expected(people.father),
    expected(people.socialWorker),
    expected(people.police),
    s.requested('father', 'in-advance', '2026-11-16T08:30:00+00:00'),
    { type: 'request.attendees-notified', payload: { via: 'email', attendeeIds: ['chair', 'sw'] } },
    ...arrivals.map(s.returned),
  ]);

/** Nothing is written in these tests: the panel only reads the snapshot. */
const readOnlyStore = {} as MeetingStore;

function statusOf(name: string): string {
  const panel = screen.getByRole('complementary', { name: enGB.status.title });
  const item = within(panel)
    .getAllByRole('listitem')
    .find((li) => li.textContent?.startsWith(name));
  if (!item) throw new Error(`${name} is not in the panel`);
  return item.textContent ?? '';
}

afterEach(cleanup);

describe('the Everyone present panel of a prepared meeting', () => {
  it('an invited attendee told of the request who arrives is shown as covered by the decision made in advance; one not yet here is expected', () => {
    const session = new MeetingSession(readOnlyStore, 'm', preparedThenArrived(['chair', 'sw']));
    render(<StatusPanel session={session} />);
    expect(statusOf(people.socialWorker.name)).toContain(enGB.status.covered);
    expect(statusOf(people.police.name)).toContain(enGB.status.expected);
    expect(statusOf(people.police.name)).not.toContain(enGB.status.left);
  });
});
