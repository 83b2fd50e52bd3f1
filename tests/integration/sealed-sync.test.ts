/**
 * Issue 16: a closed meeting reaches the records service sealed to its public key. The service opens it with
 * its keyring and keeps exactly what it would keep from plain events; a sealed batch that was altered, or is
 * sealed to a key the service does not hold, is refused with nothing stored; a rotation does not strand
 * batches sealed to the older key.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTo } from '../../server/db/migrations';
import { type Keyring, openKeyring } from '../../server/keys';
import { minuteOf } from '../../server/records';
import { minuteEntry } from '../../src/domain';
import type { EventEnvelope } from '../../src/domain/events';
import {
  enrolResponseSchema,
  errorResponseSchema,
  PROTOCOL_VERSION,
  syncResponseSchema,
} from '../../src/domain/protocol';
import { type SealedBatch, type ServicePublicKey, sealEvents } from '../../src/sealing/seal';
import {
  ALL_AGREE,
  adminCookie,
  type Device,
  fingerprint,
  type Harness,
  makeHarness,
  newCode,
  openTarget,
  sealLog,
  TARGETS,
} from './harness';

const PASSWORD = 'correct horse battery staple';

interface Enrolled extends Device {
  serviceKey: ServicePublicKey;
}

async function enrolWithKey(h: Harness, code: string): Promise<Enrolled> {
  const res = await h.app.request('/api/v1/devices/enrol', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, code, label: 'Tablet S' }),
  });
  expect(res.status).toBe(201);
  const body = enrolResponseSchema.parse(await res.json());
  if (!body.serviceKey) throw new Error('the enrolment response carries no service key');
  return { deviceId: body.deviceId, token: body.token, serviceKey: body.serviceKey };
}

function sendSealed(h: Harness, device: Device, sealed: SealedBatch[], events: unknown[] = []) {
  return h.app.request('/api/v1/sync', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${device.token}`,
      'Idempotency-Key': crypto.randomUUID(),
    },
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, deviceId: device.deviceId, events, sealed }),
  });
}

/** The minute entry the tablet itself would show for this log. */
function tabletMinute(log: EventEnvelope[]) {
  return JSON.parse(JSON.stringify(minuteEntry(log)));
}

describe.each(TARGETS)('sealed sync against %s', (target) => {
  let h: Harness;
  let keyring: Keyring;
  let cookie: string;

  beforeAll(async () => {
    keyring = await openKeyring(mkdtempSync(join(tmpdir(), 'ck-keys-')));
    h = await makeHarness(target, { adminPassword: PASSWORD, keyring });
    cookie = await adminCookie(h, PASSWORD);
  }, 60_000);
  afterAll(async () => h?.close());

  it('enrolment gives the public key only, and a closed meeting sent sealed is held with the same minute entry as the tablet shows', async () => {
    const device = await enrolWithKey(h, await newCode(h, cookie));
    expect(device.serviceKey.keyId).toBe(keyring.current().keyId);
    expect(Object.keys(device.serviceKey.jwk).sort()).toEqual(['alg', 'e', 'kty', 'n', 'use']);

    const log = await sealLog(device.deviceId, ALL_AGREE);
    // Two batches, as the tablet cuts a long meeting: they open one after the other in one request.
    const sealed = [
      await sealEvents(log.slice(0, 10), device.serviceKey),
      await sealEvents(log.slice(10), device.serviceKey),
    ];
    const res = await sendSealed(h, device, sealed);
    expect(res.status).toBe(200);
    const body = syncResponseSchema.parse(await res.json());
    expect(body.acknowledged.map((a) => a.id)).toEqual(log.map((e) => e.id));

    const meetingId = log[0]?.meetingId as string;
    const held = await minuteOf(h.database.db, meetingId);
    expect(held?.entry).toEqual(tabletMinute(log));
    expect(held).toMatchObject({ headHash: log.at(-1)?.hash, eventCount: log.length });

    // The same sealed batch again (a lost answer) is acknowledged again, nothing doubled.
    const before = await fingerprint(h.database);
    const again = await sendSealed(h, device, sealed);
    expect(again.status).toBe(200);
    expect(await fingerprint(h.database)).toBe(before);
  }, 60_000);

  it('an altered sealed batch, or one whose stated facts were changed, is refused with a 4xx and nothing is stored', async () => {
    const device = await enrolWithKey(h, await newCode(h, cookie));
    const log = await sealLog(device.deviceId, ALL_AGREE);
    const sealed = await sealEvents(log, device.serviceKey);
    const flip = (text: string) => `${text.slice(0, 20)}${text[20] === 'A' ? 'B' : 'A'}${text.slice(21)}`;
    const before = await fingerprint(h.database);
    for (const altered of [
      { ...sealed, jwe: { ...sealed.jwe, ciphertext: flip(sealed.jwe.ciphertext) } },
      { ...sealed, jwe: { ...sealed.jwe, tag: flip(sealed.jwe.tag as string) } },
      { ...sealed, firstSeq: 2, lastSeq: 20 },
    ]) {
      const res = await sendSealed(h, device, [altered]);
      expect(res.status).toBe(422);
      expect(errorResponseSchema.parse(await res.json()).error.code).toBe('bad-seal');
    }
    // A good batch beside an altered one: the request is refused whole.
    const res = await sendSealed(h, device, [
      await sealEvents(log.slice(0, 5), device.serviceKey),
      { ...sealed, jwe: { ...sealed.jwe, ciphertext: flip(sealed.jwe.ciphertext) } },
    ]);
    expect(res.status).toBe(422);
    expect(await fingerprint(h.database)).toBe(before);
  }, 60_000);

  it('a batch sealed to a key the service does not hold is refused as unknown-key; one of another device as wrong-device', async () => {
    const device = await enrolWithKey(h, await newCode(h, cookie));
    const other = await openKeyring(mkdtempSync(join(tmpdir(), 'ck-keys-')));
    const stranger = await enrolWithKey(h, await newCode(h, cookie));
    const log = await sealLog(device.deviceId, ALL_AGREE);
    const before = await fingerprint(h.database);
    const res = await sendSealed(h, device, [await sealEvents(log, other.current())]);
    expect(res.status).toBe(422);
    expect(errorResponseSchema.parse(await res.json()).error.code).toBe('unknown-key');

    const theirs = await sealEvents(await sealLog(stranger.deviceId, ALL_AGREE), stranger.serviceKey);
    const wrong = await sendSealed(h, device, [theirs]);
    expect(wrong.status).toBe(403);
    expect(await fingerprint(h.database)).toBe(before);
  }, 60_000);

  it('a tablet enrolled before a key rotation still sends batches sealed to the older key, and new tablets get the new key', async () => {
    const early = await enrolWithKey(h, await newCode(h, cookie));
    const log = await sealLog(early.deviceId, ALL_AGREE);
    const sealed = await sealEvents(log, early.serviceKey);
    const rotated = await keyring.rotate();
    const late = await enrolWithKey(h, await newCode(h, cookie));
    expect(late.serviceKey.keyId).toBe(rotated.keyId);
    expect(late.serviceKey.keyId).not.toBe(early.serviceKey.keyId);

    const res = await sendSealed(h, early, [sealed]);
    expect(res.status).toBe(200);
    const held = await minuteOf(h.database.db, log[0]?.meetingId as string);
    expect(held?.entry).toEqual(tabletMinute(log));
  }, 60_000);

  it('a request with neither plain nor sealed events is refused as a bad request', async () => {
    const device = await enrolWithKey(h, await newCode(h, cookie));
    const res = await sendSealed(h, device, []);
    expect(res.status).toBe(400);
  });
});

/**
 * A tablet enrolled again after a revocation sends what it sealed under its old id only once an
 * administrator has replaced the old device by the new one. Each way round it, as an attacker would try it,
 * is refused with a code and changes nothing.
 */
describe.each(TARGETS)(
  'sealed batches of a replaced tablet against %s: attempts that must be refused',
  (target) => {
    let h: Harness;
    let cookie: string;

    beforeAll(async () => {
      h = await makeHarness(target, { adminPassword: PASSWORD });
      cookie = await adminCookie(h, PASSWORD);
    }, 60_000);
    afterAll(async () => h?.close());

    const admin = (path: string, fields: Record<string, string> = {}) =>
      h.app.request(`http://localhost${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
        body: new URLSearchParams(fields).toString(),
      });
    const errorOf = async (res: Response) => errorResponseSchema.parse(await res.json()).error;
    /** The database as a whole, with the successions the admin recorded. */
    const state = async () =>
      `${await fingerprint(h.database)}${JSON.stringify(
        await h.database.db
          .selectFrom('device_successions')
          .select(['from_device_id', 'to_device_id'])
          .execute(),
      )}`;

    /** Tablet A seals a meeting it closed offline, then is revoked; the same tablet is enrolled again as B. */
    async function revokedWithSealed() {
      const a = await enrolWithKey(h, await newCode(h, cookie));
      const log = await sealLog(a.deviceId, ALL_AGREE);
      const sealed = [await sealEvents(log, a.serviceKey)];
      expect((await admin(`/admin/devices/${a.deviceId}/revoke`)).status).toBe(303);
      const b = await enrolWithKey(h, await newCode(h, cookie));
      return { a, b, log, sealed };
    }

    it('the revoked device sending its own sealed batches is 401 device-revoked, before and after its replacement', async () => {
      const { a, b, sealed } = await revokedWithSealed();
      const before = await state();
      const res = await sendSealed(h, a, sealed);
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe('device-revoked');
      expect(await state()).toBe(before);

      expect((await admin(`/admin/devices/${a.deviceId}/replace`, { replacement: b.deviceId })).status).toBe(
        303,
      );
      const after = await state();
      expect((await sendSealed(h, a, sealed)).status).toBe(401);
      expect(await state()).toBe(after);
    }, 60_000);

    it('the new enrolment sending the old one’s sealed or plain events before any replacement is 403 wrong-device', async () => {
      const { b, log, sealed } = await revokedWithSealed();
      const before = await state();
      const res = await sendSealed(h, b, sealed);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('wrong-device');
      const plain = await sendSealed(h, b, [], log.slice(0, 3));
      expect(plain.status).toBe(403);
      expect((await errorOf(plain)).code).toBe('wrong-device');
      expect(await state()).toBe(before);
    }, 60_000);

    it('a different enrolled device sending A’s sealed batches is 403 wrong-device, even after A was replaced by another; relabelled as its own it is 422 bad-seal', async () => {
      const { a, b, log, sealed } = await revokedWithSealed();
      const c = await enrolWithKey(h, await newCode(h, cookie));
      expect((await admin(`/admin/devices/${a.deviceId}/replace`, { replacement: b.deviceId })).status).toBe(
        303,
      );
      const before = await state();
      const res = await sendSealed(h, c, sealed);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('wrong-device');
      expect((await sendSealed(h, c, [], log.slice(0, 3))).status).toBe(403);
      const relabelled = await sendSealed(h, c, [{ ...(sealed[0] as SealedBatch), deviceId: c.deviceId }]);
      expect(relabelled.status).toBe(422);
      expect((await errorOf(relabelled)).code).toBe('bad-seal');
      expect(await state()).toBe(before);
    }, 60_000);

    it('replaying an acknowledged sealed batch: the successor is acknowledged again with nothing changed; another device is 403, the revoked one 401', async () => {
      const { a, b, log, sealed } = await revokedWithSealed();
      const c = await enrolWithKey(h, await newCode(h, cookie));
      expect((await admin(`/admin/devices/${a.deviceId}/replace`, { replacement: b.deviceId })).status).toBe(
        303,
      );
      const first = await sendSealed(h, b, sealed);
      expect(first.status).toBe(200);
      const acks = syncResponseSchema.parse(await first.json()).acknowledged;
      expect(acks.map((x) => x.id)).toEqual(log.map((e) => e.id));
      const meetingId = log[0]?.meetingId as string;
      expect((await minuteOf(h.database.db, meetingId))?.entry).toEqual(tabletMinute(log));

      const before = await state();
      const again = await sendSealed(h, b, sealed);
      expect(again.status).toBe(200);
      expect(syncResponseSchema.parse(await again.json()).acknowledged).toEqual(acks);
      const byOther = await sendSealed(h, c, sealed);
      expect(byOther.status).toBe(403);
      expect((await errorOf(byOther)).code).toBe('wrong-device');
      expect((await sendSealed(h, a, sealed)).status).toBe(401);
      expect(await state()).toBe(before);
    }, 60_000);

    it('a replacement does not override a meeting an admin handed to another device: the successor is 403 not-custodian', async () => {
      const a = await enrolWithKey(h, await newCode(h, cookie));
      const d = await enrolWithKey(h, await newCode(h, cookie));
      const log = await sealLog(a.deviceId, ALL_AGREE);
      const meetingId = log[0]?.meetingId as string;
      expect((await sendSealed(h, a, [], log.slice(0, 8))).status).toBe(200);
      expect(
        (
          await admin(`/admin/meetings/${meetingId}/hand-over`, {
            device: d.deviceId,
            reason: 'Tablet A was lost',
          })
        ).status,
      ).toBe(303);
      const b = await enrolWithKey(h, await newCode(h, cookie));
      expect((await admin(`/admin/devices/${a.deviceId}/replace`, { replacement: b.deviceId })).status).toBe(
        303,
      );
      const before = await state();
      const res = await sendSealed(h, b, [await sealEvents(log.slice(8), a.serviceKey)]);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('not-custodian');
      expect(await state()).toBe(before);
    }, 60_000);

    it('a tablet revoked and enrolled again twice sends the first enrolment’s sealed batches once both replacements are made', async () => {
      const { a, b, log, sealed } = await revokedWithSealed();
      expect((await admin(`/admin/devices/${a.deviceId}/replace`, { replacement: b.deviceId })).status).toBe(
        303,
      );
      expect((await admin(`/admin/devices/${b.deviceId}/revoke`)).status).toBe(303);
      const c = await enrolWithKey(h, await newCode(h, cookie));
      expect((await sendSealed(h, c, sealed)).status).toBe(403);
      expect((await admin(`/admin/devices/${b.deviceId}/replace`, { replacement: c.deviceId })).status).toBe(
        303,
      );
      expect((await sendSealed(h, c, sealed)).status).toBe(200);
      expect((await minuteOf(h.database.db, log[0]?.meetingId as string))?.entry).toEqual(tabletMinute(log));
    }, 60_000);
  },
);

describe.each(TARGETS)('migration 0007_device_successions against %s', (target) => {
  it('adds the successions table, empty, and changes nothing held', async () => {
    const { database, drop } = await openTarget(target);
    try {
      await migrateTo(database.db, '0005_retention');
      await database.db.insertInto('devices').values({ id: 'dev_a', label: 'A', token_hash: 'x' }).execute();
      await migrateTo(database.db, '0007_device_successions');
      expect(await database.db.selectFrom('devices').select('id').execute()).toEqual([{ id: 'dev_a' }]);
      expect(await database.db.selectFrom('device_successions').selectAll().execute()).toEqual([]);
    } finally {
      await database.close();
      await drop();
    }
  });
});
