// @vitest-environment jsdom
/**
 * Home's "Meetings today" (issue 19): the meetings prepared for today that are not yet on the tablet, each with
 * its kind in words, time and place and one button to open it; a refusal to open is said in plain words; a
 * prepared log that was not kept is named with the reason.
 */
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MeetingsToday } from '../../src/meeting/MeetingsToday';
import '../../src/shared/i18n';
import { enGB } from '../../src/shared/i18n/en-GB';
import { createDb, type KioskDb, type MeetingRow, type PreparedRow } from '../../src/storage/db';
import { preparedSetting } from '../../src/sync/settings';

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

let db: KioskDb;

function at(hours: number, days = 0): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  date.setHours(hours, 0, 0, 0);
  return date.toISOString();
}

function row(meetingId: string, title: string, startsAt: string): PreparedRow {
  return {
    meetingId,
    title,
    kind: 'child-protection-conference',
    startsAt,
    place: 'Room 4',
    forDeviceId: null,
    claimedByDeviceId: null,
    claimedByLabel: null,
    events: [],
    pulledAt: at(8),
  };
}

beforeEach(() => {
  db = createDb(`today-${crypto.randomUUID()}`);
});

afterEach(async () => {
  cleanup();
  db.close();
  await Dexie.delete(db.name);
});

describe('Meetings today on the chair’s home', () => {
  it('lists today’s prepared meetings not yet on the tablet, with their kind in words, time and place', async () => {
    await db.prepared.bulkPut([
      row('m-today', 'Conference for Jamie', at(14)),
      row('m-tomorrow', 'Conference for Sam', at(10, 1)),
      row('m-opened', 'Conference for Alex', at(11)),
    ]);
    await db.meetings.put({ id: 'm-opened', status: 'open' } as MeetingRow);
    render(<MeetingsToday db={db} onOpen={async () => null} />);
    const open = await screen.findByRole('button', {
      name: fill(enGB.prepared.open, { title: 'Conference for Jamie' }),
    });
    expect(open).toBeDefined();
    expect(screen.getByText(/^Child protection conference, 14:00, Room 4$/)).toBeDefined();
    expect(screen.queryByText('Conference for Sam')).toBeNull();
    expect(screen.queryByText('Conference for Alex')).toBeNull();
  });

  it('says in plain words why a meeting could not be opened', async () => {
    await db.prepared.put(row('m-today', 'Conference for Jamie', at(14)));
    const onOpen = vi.fn(async () => fill(enGB.prepared.claimedBy, { label: 'Room 4 tablet' }));
    render(<MeetingsToday db={db} onOpen={onOpen} />);
    fireEvent.click(await screen.findByRole('button', { name: /Open Conference for Jamie/ }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('“Room 4 tablet”');
    expect(onOpen).toHaveBeenCalledWith('m-today');
  });

  it('names a prepared meeting that was not kept, and why', async () => {
    await preparedSetting.write(db, {
      lastPulledAt: at(8),
      rejected: [{ meetingId: 'm-bad', title: 'Conference for Kim', code: 'bad-hash', at: at(8) }],
    });
    render(<MeetingsToday db={db} onOpen={async () => null} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      fill(enGB.prepared.rejected, { title: 'Conference for Kim', reason: enGB.prepared.why['bad-hash'] }),
    );
    expect(screen.getByText(enGB.prepared.none)).toBeDefined();
  });
});
