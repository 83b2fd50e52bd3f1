/**
 * The records service probed as an attacker would (issue 13), beyond the cases trust.test.ts,
 * sealed-sync.test.ts and admin-accounts.test.ts cover: cross-device writes through sealed batches, custody
 * after a hand-over, hostile sealed fields and admin forms (never a 5xx), role escalation by POST, CSRF on
 * every admin POST, the set-up code once an account exists, and sign-in limits by username variants.
 */
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseCode, sha256 } from '../../server/auth';
import { hashOf, sealEvent } from '../../src/domain/chain';
import type { DomainEvent, EventEnvelope } from '../../src/domain/events';
import { enrolResponseSchema, errorResponseSchema, PROTOCOL_VERSION } from '../../src/domain/protocol';
import { type SealedBatch, type ServicePublicKey, sealEvents } from '../../src/sealing/seal';
import * as s from '../support/scenario';
import {
  ALL_AGREE,
  addAccount,
  adminCookie,
  type Device,
  fingerprint,
  type Harness,
  makeHarness,
  newCode,
  ORIGIN,
  sealLog,
  syncRequest,
  TARGETS,
} from './harness';

const PASSWORD = 'red team administrator password';
const OTHER_PASSWORD = 'another long enough password';

interface Enrolled extends Device {
  serviceKey: ServicePublicKey;
}

const errorOf = async (res: Response) => errorResponseSchema.parse(await res.json()).error;

/** A deterministic pseudo-random source, so a failing fuzz case can be run again. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe.each(TARGETS)('red team against %s', (target) => {
  let h: Harness;
  let cookie: string;
  let clientNo = 0;

  beforeAll(async () => {
    h = await makeHarness(target, {
      adminPassword: PASSWORD,
      // Each request its own client, so that only the per-account limit is in play.
      clientAddress: () => `10.0.0.${clientNo++ % 250}`,
    });
    cookie = await adminCookie(h, PASSWORD);
  }, 60_000);
  afterAll(async () => h?.close());

  async function enrolWithKey(label: string): Promise<Enrolled> {
    const res = await h.app.request('/api/v1/devices/enrol', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        code: await newCode(h, cookie),
        label,
        deviceId: uuidv7(),
      }),
    });
    expect(res.status).toBe(201);
    const body = enrolResponseSchema.parse(await res.json());
    if (!body.serviceKey) throw new Error('no service key');
    return { deviceId: body.deviceId, token: body.token, serviceKey: body.serviceKey };
  }

  const sendSealed = (device: Device, sealed: unknown[], events: unknown[] = []) =>
    h.app.request('/api/v1/sync', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${device.token}`,
        'Idempotency-Key': uuidv7(),
      },
      body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, deviceId: device.deviceId, events, sealed }),
    });

  const adminPost = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    h.app.request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    });

  /** Events another device writes into a meeting it does not hold, chained on from the writer's last event. */
  async function intruderEvents(intruder: Device, last: EventEnvelope, count: number) {
    const out: EventEnvelope[] = [];
    let prev = last;
    for (let i = 0; i < count; i++) {
      const at = new Date(Date.parse(prev.at) + 60_000).toISOString().replace('.000Z', '+00:00');
      prev = await sealEvent(prev, s.requested('mother'), {
        meetingId: last.meetingId,
        deviceId: intruder.deviceId,
        at,
      });
      out.push(prev);
    }
    return out;
  }

  const gapsOf = async (meetingId: string) =>
    (await h.database.db.selectFrom('sync_gaps').selectAll().where('meeting_id', '=', meetingId).execute())
      .length;

  describe('sealed batches are no back door', () => {
    it("a sealed batch of the token's device holding events of another device's meeting is 403 not-custodian and records no gap", async () => {
      const a = await enrolWithKey('Tablet A');
      const b = await enrolWithKey('Tablet B');
      const log = await sealLog(a.deviceId, ALL_AGREE);
      expect((await syncRequest(h, a, log.slice(0, 8))).status).toBe(200);
      const meetingId = log[0]?.meetingId as string;
      const before = await fingerprint(h.database);

      // B seals its own events numbered on from A's head, and then far beyond it (a would-be gap).
      const next = await intruderEvents(b, log[7] as EventEnvelope, 1);
      const res = await sendSealed(b, [await sealEvents(next, b.serviceKey)]);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('not-custodian');

      const far = await sealEvent(log[7] as EventEnvelope, s.requested('mother'), {
        meetingId,
        deviceId: b.deviceId,
        at: '2026-11-23T12:00:00+00:00',
      });
      const jumped = { ...far, seq: 500 };
      jumped.hash = await hashOf(jumped);
      const gapRes = await sendSealed(b, [await sealEvents([jumped], b.serviceKey)]);
      expect(gapRes.status).toBe(403);
      expect(await gapsOf(meetingId)).toBe(0);
      expect(await fingerprint(h.database)).toBe(before);

      // A's own next events still go in.
      expect((await syncRequest(h, a, log.slice(8))).status).toBe(200);
    }, 60_000);

    it("a sealed batch stating the token's device but holding another device's events is refused whole", async () => {
      const a = await enrolWithKey('Tablet A');
      const b = await enrolWithKey('Tablet B');
      const log = await sealLog(a.deviceId, ALL_AGREE);
      const before = await fingerprint(h.database);
      // B holds A's events (say, copied off A) and seals them itself, stating itself as the device.
      const { jwe } = await sealEvents(log, b.serviceKey);
      const forged = {
        meetingId: log[0]?.meetingId,
        deviceId: b.deviceId,
        firstSeq: 1,
        lastSeq: log.length,
        count: log.length,
        jwe,
      };
      const res = await sendSealed(b, [forged]);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      // Stating A as the device: refused as another device's batch.
      const asA = await sendSealed(b, [await sealEvents(log, b.serviceKey)]);
      expect(asA.status).toBe(403);
      expect((await errorOf(asA)).code).toBe('wrong-device');
      expect(await fingerprint(h.database)).toBe(before);
    }, 60_000);

    it('a sealed event with one character changed and its old hash is 422 bad-hash; other hashed content under a held id is 409', async () => {
      const a = await enrolWithKey('Tablet A');
      const log = await sealLog(a.deviceId, ALL_AGREE);
      expect((await syncRequest(h, a, log.slice(0, 6))).status).toBe(200);
      const before = await fingerprint(h.database);

      const changed = structuredClone(log.slice(0, 6)) as unknown as Record<string, unknown>[];
      const target = changed[1] as { payload: { attendee: { name: string } } };
      target.payload.attendee.name = `${target.payload.attendee.name}x`;
      const res = await sendSealed(a, [
        await sealEvents(changed as unknown as EventEnvelope[], a.serviceKey),
      ]);
      expect(res.status).toBe(422);
      expect((await errorOf(res)).code).toBe('bad-hash');

      (changed[1] as { hash: string }).hash = await hashOf(changed[1] as Record<string, unknown>);
      const rehashed = await sendSealed(a, [
        await sealEvents(changed as unknown as EventEnvelope[], a.serviceKey),
      ]);
      expect(rehashed.status).toBe(409);
      expect(await fingerprint(h.database)).toBe(before);
    }, 60_000);

    it('a sealed event dated before the one before it is 422, and upper-case ids in a sealed batch are refused', async () => {
      const a = await enrolWithKey('Tablet A');
      const log = await sealLog(a.deviceId, ALL_AGREE.slice(0, 4));
      const backwards = await sealEvent(log[3] as EventEnvelope, s.requested('mother'), {
        meetingId: log[0]?.meetingId as string,
        deviceId: a.deviceId,
        at: '2026-11-23T09:00:00+00:00',
      });
      const before = await fingerprint(h.database);
      const res = await sendSealed(a, [await sealEvents([...log, backwards], a.serviceKey)]);
      expect(res.status).toBe(422);
      expect(await fingerprint(h.database)).toBe(before);

      const upper = await sealLog(a.deviceId, ALL_AGREE.slice(0, 3), uuidv7().toUpperCase());
      const up = await sendSealed(a, [await sealEvents(upper, a.serviceKey)]);
      expect(up.status).toBeGreaterThanOrEqual(400);
      expect(up.status).toBeLessThan(500);
      expect(await fingerprint(h.database)).toBe(before);
    }, 60_000);

    it('after a hand-over, the old tablet can no longer append through a sealed batch, and the new one can', async () => {
      const a = await enrolWithKey('Tablet A');
      const b = await enrolWithKey('Tablet B');
      const log = await sealLog(a.deviceId, ALL_AGREE);
      const meetingId = log[0]?.meetingId as string;
      expect((await syncRequest(h, a, log.slice(0, 8))).status).toBe(200);
      const handed = await adminPost(`/admin/meetings/${meetingId}/hand-over`, {
        device: b.deviceId,
        reason: 'Tablet A was lost',
      });
      expect(handed.status).toBe(303);
      const before = await fingerprint(h.database);
      const late = await sendSealed(a, [await sealEvents(log.slice(8), a.serviceKey)]);
      expect(late.status).toBe(403);
      expect((await errorOf(late)).code).toBe('not-custodian');
      // Nor by skipping ahead (which would flag a gap).
      const ahead = await sendSealed(a, [await sealEvents(log.slice(10), a.serviceKey)]);
      expect(ahead.status).toBe(403);
      expect(await gapsOf(meetingId)).toBe(0);
      expect(await fingerprint(h.database)).toBe(before);
      // What A wrote before the hand-over is still acknowledged to A.
      expect((await sendSealed(a, [await sealEvents(log.slice(0, 8), a.serviceKey)])).status).toBe(200);
      // B, the new writer, goes on from A's last event.
      const next = await sealEvent(log[7] as EventEnvelope, ALL_AGREE[8] as DomainEvent, {
        meetingId,
        deviceId: b.deviceId,
        at: log[8]?.at as string,
      });
      expect((await sendSealed(b, [await sealEvents([next], b.serviceKey)])).status).toBe(200);
    }, 60_000);

    it('hostile sealed fields: 300 malformed batches are each a 4xx, never a 5xx, and store nothing', async () => {
      const a = await enrolWithKey('Tablet A');
      const log = await sealLog(a.deviceId, ALL_AGREE.slice(0, 3));
      const good = await sealEvents(log, a.serviceKey);
      const kid = a.serviceKey.keyId;
      const headers = [
        '{}',
        'not json',
        '[]',
        'null',
        '{"kid":5}',
        `{"kid":"${kid}"}`,
        `{"alg":"dir","enc":"A256GCM","kid":"${kid}"}`,
        `{"alg":"RSA-OAEP-256","enc":"A128CBC-HS256","kid":"${kid}"}`,
        `{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"${kid}","zip":"DEF"}`,
        `{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"${kid}","crit":["exp"]}`,
        `{"alg":"PBES2-HS256+A128KW","enc":"A256GCM","kid":"${kid}","p2c":100000000,"p2s":"AAAA"}`,
        `{"alg":"none","kid":"${kid}"}`,
        `{"kid":"${'k'.repeat(5000)}"}`,
      ];
      const rand = prng(13);
      const junk = (n: number) => {
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        let out = '';
        for (let i = 0; i < n; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
        return out;
      };
      const cases: unknown[] = [
        ...headers.map((p) => ({ ...good, jwe: { ...good.jwe, protected: b64(p) } })),
        { ...good, jwe: { ...good.jwe, encrypted_key: good.jwe.encrypted_key?.slice(0, 40) } },
        { ...good, jwe: { ...good.jwe, iv: b64('short') } },
        { ...good, jwe: { ...good.jwe, tag: '' } },
        { ...good, jwe: { ...good.jwe, header: { kid } } },
        { ...good, count: 0 },
        { ...good, count: 2, lastSeq: 2 },
        { ...good, firstSeq: 0, lastSeq: 2 },
        { ...good, firstSeq: 2 ** 53, lastSeq: 2 ** 53 + 2 },
        { ...good, count: 1e9 },
        { ...good, meetingId: 'x'.repeat(10_000) },
        { ...good, meetingId: '\u0000' },
        { ...good, deviceId: a.deviceId.toUpperCase() },
        { ...good, jwe: 'a string' },
        { ...good, jwe: null },
        null,
        'sealed',
        42,
        [],
      ];
      for (let i = cases.length; i < 300; i++) {
        const field = ['protected', 'encrypted_key', 'iv', 'ciphertext', 'tag'][
          i % 5
        ] as keyof SealedBatch['jwe'];
        cases.push({ ...good, jwe: { ...good.jwe, [field]: junk(Math.floor(rand() * 400)) } });
      }
      const before = await fingerprint(h.database);
      for (const [i, sealed] of cases.entries()) {
        const res = await sendSealed(a, [sealed]);
        expect(res.status, `case ${i}: ${JSON.stringify(sealed).slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `case ${i}: ${JSON.stringify(sealed).slice(0, 200)}`).toBeLessThan(500);
      }
      // Nine batches (above the limit per request), and a stated count past the batch limit.
      expect((await sendSealed(a, Array(9).fill(good))).status).toBe(400);
      expect(await fingerprint(h.database)).toBe(before);
      // The good batch still goes in afterwards.
      expect((await sendSealed(a, [good])).status).toBe(200);
    }, 120_000);
  });

  describe('the admin area', () => {
    let viewer: string;
    let officer: string;
    let meetingId: string;
    let device: Device;

    beforeAll(async () => {
      await addAccount(h.database, { username: 'vera', password: OTHER_PASSWORD, role: 'viewer' });
      await addAccount(h.database, { username: 'otto', password: OTHER_PASSWORD, role: 'records-officer' });
      viewer = await adminCookie(h, OTHER_PASSWORD, 'vera');
      officer = await adminCookie(h, OTHER_PASSWORD, 'otto');
      device = await enrolWithKey('Tablet R');
      const log = await sealLog(device.deviceId, ALL_AGREE.slice(0, 8));
      meetingId = log[0]?.meetingId as string;
      expect((await syncRequest(h, device, log)).status).toBe(200);
    }, 60_000);

    /** Every POST only an administrator may make, with a form that would otherwise be accepted. */
    const adminOnlyPosts = (): [string, Record<string, string>][] => [
      ['/admin/codes', {}],
      [`/admin/devices/${device.deviceId}/revoke`, {}],
      [`/admin/devices/${device.deviceId}/replace`, { replacement: device.deviceId }],
      [`/admin/meetings/${meetingId}/hand-over`, { device: device.deviceId, reason: 'takeover' }],
      [
        '/admin/accounts',
        { username: 'mallory', displayName: 'Mallory', role: 'administrator', password: OTHER_PASSWORD },
      ],
      ['/admin/accounts/vera/role', { role: 'administrator' }],
      ['/admin/accounts/otto/role', { role: 'administrator' }],
      ['/admin/accounts/admin/disable', {}],
    ];

    it('a viewer or a records officer POSTing to any administrator action, by any spelling of its path, is refused and changes nothing', async () => {
      const before = await fingerprint(h.database);
      const accountsBefore = await h.database.db
        .selectFrom('admin_accounts')
        .select(['username', 'role', 'disabled_at'])
        .orderBy('username')
        .execute();
      for (const who of [viewer, officer]) {
        for (const [path, fields] of adminOnlyPosts()) {
          for (const spelling of [
            path,
            `${path}/`,
            path.replace('/admin/', '/admin//'),
            path.replace(/\/([a-z])/, (_m, c) => `/%${c.charCodeAt(0).toString(16)}`),
          ]) {
            const res = await h.app.request(`${ORIGIN}${spelling}`, {
              method: 'POST',
              headers: { Cookie: who, 'Content-Type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams(fields).toString(),
            });
            expect([403, 404], `${spelling} gave ${res.status}`).toContain(res.status);
          }
        }
      }
      expect(await fingerprint(h.database)).toBe(before);
      expect(
        await h.database.db
          .selectFrom('admin_accounts')
          .select(['username', 'role', 'disabled_at'])
          .orderBy('username')
          .execute(),
      ).toEqual(accountsBefore);
    }, 60_000);

    it('every admin POST is refused cross-site (Sec-Fetch-Site: cross-site, or a foreign Origin) and changes nothing', async () => {
      const before = await fingerprint(h.database);
      const posts: [string, Record<string, string>][] = [
        ...adminOnlyPosts(),
        ['/admin/logout', {}],
        ['/admin/logout-everywhere', {}],
        ['/admin/password', { current: PASSWORD, password: OTHER_PASSWORD, confirm: OTHER_PASSWORD }],
        ['/admin/login', { username: 'admin', password: PASSWORD }],
        [
          '/admin/setup',
          { code: 'ABCD', username: 'eve', password: OTHER_PASSWORD, confirm: OTHER_PASSWORD },
        ],
      ];
      for (const [path, fields] of posts) {
        for (const hostile of <Record<string, string>[]>[
          { 'Sec-Fetch-Site': 'cross-site', Origin: ORIGIN },
          { 'Sec-Fetch-Site': 'same-site' },
          { Origin: 'https://evil.example' },
          { Origin: 'http://localhost.evil.example' },
          { Origin: 'null' },
        ]) {
          const res = await adminPost(path, fields, hostile);
          expect(res.status, `${path} ${JSON.stringify(hostile)}`).toBe(403);
        }
      }
      expect(await fingerprint(h.database)).toBe(before);
      // The administrator's session still works: nothing signed it out.
      expect((await h.app.request(`${ORIGIN}/admin/devices`, { headers: { Cookie: cookie } })).status).toBe(
        200,
      );
    }, 60_000);

    it('hostile admin forms (odd encodings, repeated fields, huge and binary values) are 4xx or a page, never a 5xx', async () => {
      const rand = prng(7);
      const paths = [
        '/admin/login',
        '/admin/setup',
        '/admin/password',
        '/admin/codes',
        '/admin/accounts',
        '/admin/accounts/vera/role',
        '/admin/accounts/%FF/role',
        `/admin/meetings/${meetingId}/hand-over`,
        '/admin/meetings/%00/hand-over',
        `/admin/devices/${device.deviceId}/replace`,
        '/admin/devices/%E0%A4%A/revoke',
      ];
      const bodies: [string, string][] = [
        ['application/x-www-form-urlencoded', 'username=%FF%FE&password=%'],
        ['application/x-www-form-urlencoded', 'role=administrator&role=viewer'],
        ['application/x-www-form-urlencoded', 'device=a&device=b&reason=x&reason=y'],
        ['application/x-www-form-urlencoded', `reason=${'%00'.repeat(100)}&device=${device.deviceId}`],
        ['application/x-www-form-urlencoded', 'replacement[]=x&__proto__=1&constructor=2'],
        [
          'multipart/form-data; boundary=x',
          '--x\r\nContent-Disposition: form-data; name="username"\r\n\r\nadmin\r\n--x--',
        ],
        ['multipart/form-data', 'no boundary'],
        [
          'multipart/form-data; boundary=x',
          '--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nbinary\r\n--x--',
        ],
        ['application/json', '{"username":"admin"}'],
        ['text/plain', '\u0000\u0001'],
      ];
      for (let i = 0; i < 40; i++) {
        const bytes = Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256));
        bodies.push(['application/x-www-form-urlencoded', Buffer.from(bytes).toString('latin1')]);
      }
      for (const path of paths) {
        for (const [type, body] of bodies) {
          const res = await h.app.request(`${ORIGIN}${path}`, {
            method: 'POST',
            headers: { Cookie: cookie, 'Content-Type': type },
            body,
          });
          expect(res.status, `${path} ${type} ${JSON.stringify(body).slice(0, 80)}`).toBeLessThan(500);
        }
      }
      // The administrator is still signed in and still the administrator.
      expect((await h.app.request(`${ORIGIN}/admin/accounts`, { headers: { Cookie: cookie } })).status).toBe(
        200,
      );
    }, 120_000);

    it('a set-up code, even a valid one, creates no account once an account exists', async () => {
      const code = 'SETUP-CODE-1234';
      await h.database.db
        .insertInto('admin_setup')
        .values({ id: 1, code_hash: sha256(normaliseCode(code)), created_at: new Date() })
        .onConflict((oc) => oc.column('id').doUpdateSet({ code_hash: sha256(normaliseCode(code)) }))
        .execute();
      const res = await h.app.request(`${ORIGIN}/admin/setup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          code,
          username: 'eve',
          password: OTHER_PASSWORD,
          confirm: OTHER_PASSWORD,
        }).toString(),
      });
      expect(res.status).toBe(409);
      expect(res.headers.get('Set-Cookie')).toBeNull();
      const eve = await h.database.db
        .selectFrom('admin_accounts')
        .select('id')
        .where('username', '=', 'eve')
        .executeTakeFirst();
      expect(eve).toBeUndefined();
    });

    it('a session id chosen by the visitor is never adopted: sign-in issues a new one and the old one stays unknown', async () => {
      const planted = 'ck_admin=attacker-chosen-session-id-0123456789abcdef';
      const res = await h.app.request(`${ORIGIN}/admin/login`, {
        method: 'POST',
        headers: { Cookie: planted, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'vera', password: OTHER_PASSWORD }).toString(),
      });
      expect(res.status).toBe(303);
      const issued = /ck_admin=([^;]+)/.exec(res.headers.get('Set-Cookie') ?? '')?.[1];
      expect(issued).toBeTruthy();
      expect(issued).not.toBe('attacker-chosen-session-id-0123456789abcdef');
      const withPlanted = await h.app.request(`${ORIGIN}/admin/`, { headers: { Cookie: planted } });
      expect(withPlanted.status).toBe(200);
      expect(await withPlanted.text()).not.toContain('Meetings</h1>');
    });

    it('the application log holds no device token, password or family name after enrolment, sync and admin use', async () => {
      const logs = h.logs.join('');
      expect(logs).not.toContain(device.token);
      expect(logs).not.toContain(PASSWORD);
      expect(logs).not.toContain(OTHER_PASSWORD);
      for (const name of Object.values(s.people).map((p) => (p as { name?: string }).name)) {
        if (name) expect(logs).not.toContain(name);
      }
    });
  });

  it('sign-in limits count an account once, however its username is spelled (case, spaces, tabs)', async () => {
    await addAccount(h.database, { username: 'wanda', password: OTHER_PASSWORD, role: 'viewer' });
    const limited = await makeHarness(target, {
      database: h.database,
      clientAddress: () => `10.1.0.${clientNo++ % 250}`,
      limits: {
        signInPerClient: [{ windowMs: 60_000, limit: 1000 }],
        signInPerAccount: [{ windowMs: 60_000, limit: 3 }],
        enrolPerClient: [{ windowMs: 60_000, limit: 1000 }],
      },
    });
    const attempt = (username: string, password = 'wrong password guess') =>
      limited.app.request(`${ORIGIN}/admin/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password }).toString(),
      });
    const statuses: number[] = [];
    for (const spelling of ['wanda', 'WANDA', ' Wanda ', 'wanda\t', '\u00a0wAnDa'])
      statuses.push((await attempt(spelling)).status);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    // Even the right password is refused while the account is limited.
    expect((await attempt('Wanda', OTHER_PASSWORD)).status).toBe(429);
  });
});

describe.each(TARGETS)('red team, edges of what a database can hold, against %s', (target) => {
  let h: Harness;
  let cookie: string;
  let device: Device;

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD });
    cookie = await adminCookie(h, PASSWORD);
    const res = await h.app.request('/api/v1/devices/enrol', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, code: await newCode(h, cookie), label: 'T' }),
    });
    device = (await res.json()) as Device;
  }, 60_000);
  afterAll(async () => h?.close());

  /** A meeting whose every event is dated `at`. */
  async function datedLog(at: string) {
    const meetingId = uuidv7();
    const log: EventEnvelope[] = [];
    let prev: EventEnvelope | null = null;
    for (const event of ALL_AGREE.slice(0, 3)) {
      prev = await sealEvent(prev, event, { meetingId, deviceId: device.deviceId, at });
      log.push(prev);
    }
    return log;
  }

  it('event times and a sent-at at the far ends of the calendar are answered with a 2xx or a 4xx, never a 5xx', async () => {
    for (const at of [
      '0000-01-01T00:00:00+00:00',
      '0001-01-01T00:00:00+23:59',
      '9999-12-31T23:59:59-23:59',
      '9999-12-31T23:59:59.999999999+00:00',
      '2026-02-29T10:00:00+00:00',
      '1969-12-31T23:59:59+00:00',
    ]) {
      const res = await syncRequest(h, device, await datedLog('2026-11-23T10:00:00+00:00'), { sentAt: at });
      expect(res.status, `sentAt ${at}`).toBeLessThan(500);
      const dated = await syncRequest(h, device, await datedLog(at));
      expect(dated.status, `at ${at}`).toBeLessThan(500);
    }
  }, 60_000);

  it('enrolment with a NUL, a lone surrogate or an upper-case id anywhere is a 4xx and enrols nothing', async () => {
    const code = await newCode(h, cookie);
    const before = await fingerprint(h.database);
    for (const body of [
      { protocolVersion: PROTOCOL_VERSION, code, label: 'A\u0000B' },
      { protocolVersion: PROTOCOL_VERSION, code, label: 'A\ud800B' },
      { protocolVersion: PROTOCOL_VERSION, code: `${code}\u0000`, label: 'T' },
      { protocolVersion: PROTOCOL_VERSION, code, label: 'T', deviceId: uuidv7().toUpperCase() },
      { protocolVersion: PROTOCOL_VERSION, code, label: 'T', deviceId: 'dev_\u0000' },
    ]) {
      const res = await h.app.request('/api/v1/devices/enrol', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
    }
    expect(await fingerprint(h.database)).toBe(before);
  });

  it('admin forms carrying NUL or lone surrogates are refused with a 4xx, never stored and never a 5xx', async () => {
    const post = (path: string, body: string) =>
      h.app.request(`${ORIGIN}${path}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
      });
    const pw = encodeURIComponent(OTHER_PASSWORD);
    for (const [path, body] of [
      ['/admin/accounts', `username=nul&displayName=A%00B&role=viewer&password=${pw}`],
      ['/admin/accounts', `username=sur&displayName=A%ED%A0%80B&role=viewer&password=${pw}`],
      ['/admin/accounts', `username=pw0&displayName=P&role=viewer&password=${pw}%00`],
      ['/admin/accounts/nul%00/role', 'role=viewer'],
      ['/admin/login', `username=admin%00&password=${pw}`],
      ['/admin/password', `current=%00&password=${pw}%00&confirm=${pw}%00`],
    ] as const) {
      const res = await post(path, body);
      expect(res.status, `${path} ${body}`).toBeLessThan(500);
    }
    const stored = await h.database.db
      .selectFrom('admin_accounts')
      .select('username')
      .where('username', 'in', ['nul', 'sur', 'pw0'])
      .execute();
    expect(stored.map((r) => r.username)).not.toContain('nul');
    for (const query of [
      '/admin/audit?meeting=%00',
      '/admin/audit?page=%00',
      '/admin/verify?meeting=%00&hash=%00',
      '/admin/verify?meeting=a&meeting=b',
      '/admin/meetings/%00',
      '/admin/meetings/%ED%A0%80/minute.json',
    ]) {
      const res = await h.app.request(`${ORIGIN}${query}`, { headers: { Cookie: cookie } });
      expect(res.status, query).toBeLessThan(500);
    }
  }, 60_000);
});
