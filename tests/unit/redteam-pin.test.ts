/**
 * Issue 16, tried as the finder of a lost tablet would: what is left on it once a meeting's window has
 * passed, and whether the PIN's waits can be skipped by moving the clock.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dexie } from 'dexie';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type Keyring, openKeyring } from '../../server/keys';
import type { EventOf } from '../../src/domain/events';
import { resetCodeFor } from '../../src/sealing/pinReset';
import { writeServiceKey } from '../../src/sealing/serviceKey';
import { custodySetting } from '../../src/storage/custody';
import { createDb, type KioskDb } from '../../src/storage/db';
import { ensureDeviceId, MeetingStore } from '../../src/storage/meetingStore';
import { savePin } from '../../src/storage/pin';
import { FREE_ATTEMPTS } from '../../src/storage/pinAttempts';
import { checkPin, pinWait, resetPinWithCode, storeResetSecret } from '../../src/storage/pinGuard';
import { purgeExpired } from '../../src/storage/retention';
import * as s from '../support/scenario';

const HOUR = 60 * 60_000;
const CLOSED_AT = new Date('2026-11-23T11:00:00Z');

/** The records service's keys, made once for the file (generating them is slow). */
let keys: Promise<Keyring> | undefined;
const serviceKeys = () => {
  keys ??= openKeyring(mkdtempSync(join(tmpdir(), 'ck-keys-')));
  return keys;
};

/** A tablet database of its own, deleted when the test ends. */
function freshDb(): KioskDb {
  const db = createDb(`redteam-${crypto.randomUUID()}`);
  onTestFinished(async () => {
    db.close();
    await Dexie.delete(db.name);
  });
  return db;
}

/** A tablet with the service's key and one meeting closed at CLOSED_AT (so sealed, never sent). */
async function tabletWithClosedMeeting() {
  const db = freshDb();
  const store = new MeetingStore(db, { deviceId: await ensureDeviceId(db), now: () => CLOSED_AT });
  await writeServiceKey(db, (await serviceKeys()).current());
  const created = await store.createMeeting(s.opened() as EventOf<'meeting.opened'>);
  if (!created.ok) throw new Error(created.rejection.code);
  for (const event of [s.added(s.people.mother), ...s.chairAddedConfirmsAndCloses]) {
    const result = await store.append(created.meetingId, event);
    if (!result.ok) throw new Error(result.rejection.code);
  }
  return { db, meetingId: created.meetingId };
}

describe('a lost tablet after the window', () => {
  it('remembers nothing naming the meeting: not even who last held the tablet in it', async () => {
    const { db, meetingId } = await tabletWithClosedMeeting();
    const attendeeId = s.people.mother.id;
    // What the custody statechart leaves behind when a meeting ends with an attendee's turn taken back.
    await custodySetting.write(db, { meetingId, holder: 'chair', tookBackFrom: attendeeId });
    const report = await purgeExpired(db, new Date(CLOSED_AT.getTime() + 9 * HOUR));
    expect(report.purged).toEqual([meetingId]);
    const settings = JSON.stringify(await db.settings.toArray());
    expect(settings).not.toContain(meetingId);
    expect(settings).not.toContain(attendeeId);
  }, 30_000);

  it('keeps who holds the tablet in an open meeting when another meeting is purged', async () => {
    const { db, meetingId } = await tabletWithClosedMeeting();
    const other = { meetingId: crypto.randomUUID(), holder: 'attendee' as const, tookBackFrom: null };
    await custodySetting.write(db, other);
    expect((await purgeExpired(db, new Date(CLOSED_AT.getTime() + 9 * HOUR))).purged).toEqual([meetingId]);
    expect(await custodySetting.read(db)).toEqual(other);
  }, 30_000);
});

describe('the PIN against a moved clock', () => {
  it('moving the clock forward to skip the waits also ends the window: the meeting is purged long before the PINs run out', async () => {
    const { db, meetingId } = await tabletWithClosedMeeting();
    await savePin(db, '2580');
    let now = CLOSED_AT.getTime();
    let tries = 0;
    let purgedAfter: number | null = null;
    // The finder tries every PIN but the right one, jumping the clock past each wait; the purge runs at
    // boot and every minute, so it sees each jump.
    for (let pin = 0; pin < 10_000 && purgedAfter === null; pin++) {
      const guess = String(pin).padStart(4, '0');
      if (guess === '2580') continue;
      const outcome = await checkPin(db, guess, now);
      expect(outcome.ok).toBe(false);
      tries += 1;
      if (!outcome.ok) now += outcome.waitMs;
      if ((await purgeExpired(db, new Date(now))).purged.includes(meetingId)) purgedAfter = tries;
    }
    expect(purgedAfter).not.toBeNull();
    expect(purgedAfter).toBeLessThan(20);
    expect(await db.events.count()).toBe(0);
  }, 120_000);
});

describe('reset codes guessed past the code screen', () => {
  it('a wrong code sent straight to the reset is counted like a wrong PIN, so the waits grow all the same', async () => {
    const db = freshDb();
    await savePin(db, '2580');
    const secret = new Uint8Array(32).fill(7);
    await storeResetSecret(db, { secret, deviceId: 'tablet-red' });
    for (let i = 0; i < FREE_ATTEMPTS + 1; i++)
      expect(await resetPinWithCode(db, 'ZZZZ-ZZZZ', '7391')).toEqual({ ok: false, reason: 'used-code' });
    expect(await pinWait(db, Date.now())).toBeGreaterThan(0);
    // The PIN is unchanged, and the right code still resets it once the chair has it.
    const code = await resetCodeFor(secret, 'tablet-red', 1);
    expect((await resetPinWithCode(db, code, '7391')).ok).toBe(true);
    expect(await pinWait(db, Date.now())).toBe(0);
  }, 60_000);
});
