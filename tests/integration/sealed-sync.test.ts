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
