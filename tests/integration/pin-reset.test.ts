/**
 * Issue 16, the PIN: enrolment shares a reset secret with the tablet, and an administrator issues the
 * tablet's next one-time reset code, which the tablet checks offline with the same derivation.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest } from '../../server/db/migrations';
import { enrolResponseSchema } from '../../src/domain/protocol';
import { matchResetCode, resetCodeFor } from '../../src/sealing/pinReset';
import { type Harness, makeHarness, newCode, ORIGIN, openTarget, roleCookies, TARGETS } from './harness';

const PASSWORD = 'the chief administrator password';

const secretOf = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));
const codeIn = (page: string) =>
  /<p class="code" role="status"[^>]*>([0-9A-Z]{4}-[0-9A-Z]{4})<\/p>/.exec(page)?.[1];

describe.each(TARGETS)('PIN reset codes against %s', (target) => {
  let h: Harness;
  let chief: string;
  let officer: string;
  let viewer: string;

  const get = (path: string, cookie: string) =>
    h.app.request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } });
  const post = (path: string, cookie: string, body = '') =>
    h.app.request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      body,
    });
  const enrolTablet = async (deviceId: string) => {
    const res = await h.app.request('/api/v1/devices/enrol', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ protocolVersion: 1, code: await newCode(h, chief), label: deviceId, deviceId }),
    });
    expect(res.status).toBe(201);
    return enrolResponseSchema.parse(await res.json());
  };
  const issued = async (deviceId: string) =>
    (
      await h.database.db
        .selectFrom('devices')
        .select('pin_resets_issued')
        .where('id', '=', deviceId)
        .executeTakeFirstOrThrow()
    ).pin_resets_issued;

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD });
    ({ administrator: chief, officer, viewer } = await roleCookies(h, PASSWORD));
    // Three accounts' password hashes and sign-ins: slow on a busy machine.
  }, 180_000);
  afterAll(() => h?.close());

  it('enrolment gives each tablet a secret of its own, 32 random bytes, kept with the device', async () => {
    const a = await enrolTablet('tablet-secret-a');
    const b = await enrolTablet('tablet-secret-b');
    expect(a.pinResetSecret && secretOf(a.pinResetSecret).length).toBe(32);
    expect(b.pinResetSecret).not.toBe(a.pinResetSecret);
    const row = await h.database.db
      .selectFrom('devices')
      .select(['pin_reset_secret', 'pin_resets_issued'])
      .where('id', '=', 'tablet-secret-a')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ pin_reset_secret: a.pinResetSecret, pin_resets_issued: 0 });
  });

  it('an administrator issues codes 1, 2, … that the tablet derives from its secret, and each is audited', async () => {
    const tablet = await enrolTablet('tablet-codes');
    const secret = secretOf(tablet.pinResetSecret as string);
    const first = await post('/admin/pin-reset/tablet-codes', chief);
    expect(first.status).toBe(201);
    const page1 = await first.text();
    expect(page1).toContain('Read this code to the chair');
    expect(codeIn(page1)).toBe(await resetCodeFor(secret, 'tablet-codes', 1));
    expect(await issued('tablet-codes')).toBe(1);
    const page2 = await (await post('/admin/pin-reset/tablet-codes', chief)).text();
    expect(codeIn(page2)).toBe(await resetCodeFor(secret, 'tablet-codes', 2));
    expect(await issued('tablet-codes')).toBe(2);
    // The tablet, offline, takes code 2 (code 1 never used); code 1 then no longer works.
    expect(await matchResetCode(secret, 'tablet-codes', codeIn(page2) as string, 0)).toBe(2);
    expect(await matchResetCode(secret, 'tablet-codes', codeIn(page1) as string, 2)).toBeNull();

    const rows = await h.database.db
      .selectFrom('admin_audit')
      .select(['username', 'action', 'device_id', 'detail'])
      .where('action', '=', 'pin-reset.issued')
      .where('device_id', '=', 'tablet-codes')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { username: 'admin', action: 'pin-reset.issued', device_id: 'tablet-codes', detail: 'code number 1' },
      { username: 'admin', action: 'pin-reset.issued', device_id: 'tablet-codes', detail: 'code number 2' },
    ]);
    // The code itself is never written down: not in the audit trail, not in the log.
    const code2 = codeIn(page2) as string;
    expect(JSON.stringify(rows)).not.toContain(code2);
    expect(h.logs.join('')).not.toContain(code2);
    expect(h.logs.join('')).not.toContain(tablet.pinResetSecret);
  });

  it('looking at the page issues nothing; only the button does', async () => {
    await enrolTablet('tablet-look');
    const res = await get('/admin/pin-reset/tablet-look', chief);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('Issue a PIN reset code');
    expect(codeIn(text)).toBeUndefined();
    expect(await issued('tablet-look')).toBe(0);
  });

  it('the devices list links each enrolled tablet to its PIN reset page, and no page shows the secret', async () => {
    const tablet = await enrolTablet('tablet-listed');
    const text = await (await get('/admin/devices', chief)).text();
    expect(text).toContain('href="/admin/pin-reset/tablet-listed"');
    expect(text).not.toContain(tablet.pinResetSecret);
    const own = await (await post('/admin/pin-reset/tablet-listed', chief)).text();
    expect(own).not.toContain(tablet.pinResetSecret);
  });

  it('a records officer or a viewer is refused (403) and nothing is counted', async () => {
    await enrolTablet('tablet-roles');
    for (const cookie of [officer, viewer]) {
      expect((await get('/admin/pin-reset/tablet-roles', cookie)).status).toBe(403);
      expect((await post('/admin/pin-reset/tablet-roles', cookie)).status).toBe(403);
    }
    expect(await issued('tablet-roles')).toBe(0);
  });

  it('a revoked tablet gets no code, and nothing is counted or audited', async () => {
    await enrolTablet('tablet-revoked');
    expect((await post('/admin/devices/tablet-revoked/revoke', chief)).status).toBe(303);
    const res = await post('/admin/pin-reset/tablet-revoked', chief);
    expect(res.status).toBe(409);
    const text = await res.text();
    expect(text).toContain('has been revoked');
    expect(codeIn(text)).toBeUndefined();
    expect(text).not.toContain('Issue a PIN reset code');
    expect(await issued('tablet-revoked')).toBe(0);
    const audited = await h.database.db
      .selectFrom('admin_audit')
      .select('id')
      .where('action', '=', 'pin-reset.issued')
      .where('device_id', '=', 'tablet-revoked')
      .execute();
    expect(audited).toEqual([]);
  });

  it('a tablet enrolled before PIN reset existed gets no code, with words saying why', async () => {
    await sql`insert into devices (id, label, token_hash) values ('tablet-old', 'Old', 'h-old')`.execute(
      h.database.db,
    );
    const res = await post('/admin/pin-reset/tablet-old', chief);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('enrolled before PIN reset codes existed');
    expect(await issued('tablet-old')).toBe(0);
  });

  it('bad input gets a 4xx, never a 500', async () => {
    const bad = [
      '/admin/pin-reset/nobody',
      '/admin/pin-reset/%00',
      `/admin/pin-reset/${'x'.repeat(300)}`,
      '/admin/pin-reset/a%20b',
      "/admin/pin-reset/'%3B--",
    ];
    for (const path of bad) {
      const got = await get(path, chief);
      const posted = await post(path, chief, 'surprise=1&number=99');
      expect([got.status, posted.status, path]).toEqual([404, 404, path]);
    }
    expect((await post('/admin/pin-reset/', chief)).status).toBe(404);
  });

  it('two administrators issuing at once get two different codes: the count is taken atomically', async () => {
    const tablet = await enrolTablet('tablet-race');
    const pages = await Promise.all(
      Array.from({ length: 5 }, async () => (await post('/admin/pin-reset/tablet-race', chief)).text()),
    );
    const codes = pages.map(codeIn);
    expect(new Set(codes).size).toBe(5);
    const secret = secretOf(tablet.pinResetSecret as string);
    const expected = await Promise.all([1, 2, 3, 4, 5].map((n) => resetCodeFor(secret, 'tablet-race', n)));
    expect([...codes].sort()).toEqual([...expected].sort());
    expect(await issued('tablet-race')).toBe(5);
  });
});

describe.each(TARGETS)('migration 0006_pin_reset against %s', (target) => {
  it('tablets already enrolled keep their rows, with no secret and no codes issued', async () => {
    const { database, drop } = await openTarget(target);
    try {
      await migrateTo(database.db, '0005_retention');
      await sql`insert into devices (id, label, token_hash) values ('tablet-before', 'Before', 'hb')`.execute(
        database.db,
      );
      await migrateToLatest(database.db);
      const row = await database.db
        .selectFrom('devices')
        .select(['id', 'label', 'token_hash', 'pin_reset_secret', 'pin_resets_issued'])
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        id: 'tablet-before',
        label: 'Before',
        token_hash: 'hb',
        pin_reset_secret: null,
        pin_resets_issued: 0,
      });
    } finally {
      await database.close();
      await drop();
    }
  });
});
