/**
 * Issue 16, tried as an attacker would: a low-role admin or anyone reading the admin pages, exports and logs
 * looking for a tablet's PIN reset secret or a code; successions twisted into cycles or self-replacement so
 * that a device gains another's records without an administrator meaning it.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceDevice } from '../../server/admin/repo/devices';
import { writersFor } from '../../server/custody';
import { PROTOCOL_VERSION } from '../../src/domain/protocol';
import {
  ALL_AGREE,
  type Device,
  enrol,
  fingerprint,
  type Harness,
  makeHarness,
  newCode,
  ORIGIN,
  roleCookies,
  sealLog,
  TARGETS,
} from './harness';

const PASSWORD = 'red team administrator password';

const codeIn = (page: string) =>
  /<p class="code" role="status"[^>]*>([0-9A-Z]{4}-[0-9A-Z]{4})<\/p>/.exec(page)?.[1];

describe.each(TARGETS)('red team, PIN reset and successions against %s', (target) => {
  let h: Harness;
  let chief: string;
  let officer: string;
  let viewer: string;

  const get = (path: string, cookie: string) =>
    h.app.request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } });
  const post = (path: string, cookie: string, fields: Record<string, string> = {}) =>
    h.app.request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      body: new URLSearchParams(fields).toString(),
    });
  const enrolled = async (label: string) =>
    (await enrol(h, await newCode(h, chief), label)) as Device & { pinResetSecret: string };
  const successions = () =>
    h.database.db
      .selectFrom('device_successions')
      .select(['from_device_id', 'to_device_id'])
      .orderBy('from_device_id')
      .orderBy('to_device_id')
      .execute();
  const revokedAt = async (id: string) =>
    (
      await h.database.db
        .selectFrom('devices')
        .select('revoked_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).revoked_at;

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD });
    ({ administrator: chief, officer, viewer } = await roleCookies(h, PASSWORD));
  }, 180_000);
  afterAll(() => h?.close());

  it('neither the secret nor an issued code appears in any admin page, export or log line, whoever reads them', async () => {
    const tablet = await enrolled('Tablet with a meeting');
    const log = await sealLog(tablet.deviceId, ALL_AGREE);
    const synced = await h.app.request('/api/v1/sync', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${tablet.token}`,
        'Idempotency-Key': crypto.randomUUID(),
      },
      body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, deviceId: tablet.deviceId, events: log }),
    });
    expect(synced.status).toBe(200);
    const issuedPage = await (await post(`/admin/pin-reset/${tablet.deviceId}`, chief)).text();
    const code = codeIn(issuedPage);
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const meetingId = log[0]?.meetingId ?? '';
    const paths = [
      '/admin/devices',
      `/admin/pin-reset/${tablet.deviceId}`,
      '/admin/audit',
      '/admin/meetings',
      `/admin/meetings/${meetingId}`,
      `/admin/meetings/${meetingId}/events.json`,
    ];
    let read = 0;
    for (const cookie of [chief, officer, viewer]) {
      for (const path of paths) {
        const res = await get(path, cookie);
        const text = await res.text();
        expect(res.status, `${path}`).toBeLessThan(500);
        if (res.status === 200) read += 1;
        expect(text, `${path}`).not.toContain(tablet.pinResetSecret);
        expect(text, `${path}`).not.toContain(code);
      }
    }
    // The pages were really read (a test that read only refusals would prove nothing).
    expect(read).toBeGreaterThan(6);
    const logs = h.logs.join('\n');
    expect(logs).not.toContain(tablet.pinResetSecret);
    expect(logs).not.toContain(code);
  }, 120_000);

  it('a viewer or a records officer cannot even see a tablet’s PIN reset page (403), so no code is shown to them', async () => {
    const tablet = await enrolled('Tablet seen by a viewer');
    for (const cookie of [officer, viewer]) {
      const res = await get(`/admin/pin-reset/${tablet.deviceId}`, cookie);
      expect(res.status).toBe(403);
      expect(codeIn(await res.text())).toBeUndefined();
    }
  }, 60_000);

  it('replacing A by B and then B by A is refused (A is revoked): no cycle is recorded and B stays enrolled', async () => {
    const a = await enrolled('Cycle A');
    const b = await enrolled('Cycle B');
    expect(
      (await post(`/admin/devices/${a.deviceId}/replace`, chief, { replacement: b.deviceId })).status,
    ).toBe(303);
    const before = `${await fingerprint(h.database)}${JSON.stringify(await successions())}`;
    const back = await post(`/admin/devices/${b.deviceId}/replace`, chief, { replacement: a.deviceId });
    expect(back.status).toBe(409);
    expect(await revokedAt(b.deviceId)).toBeNull();
    expect(`${await fingerprint(h.database)}${JSON.stringify(await successions())}`).toBe(before);
  }, 60_000);

  it('a tablet is never replaced by itself, even by a caller that skips the admin form: nothing is revoked or recorded', async () => {
    const a = await enrolled('Self replacement');
    const before = JSON.stringify(await successions());
    const viaForm = await post(`/admin/devices/${a.deviceId}/replace`, chief, { replacement: a.deviceId });
    expect(viaForm.status).toBe(400);
    const direct = await replaceDevice(
      h.database.db,
      { id: a.deviceId, replacementId: a.deviceId, byAdmin: 'admin' },
      new Date(),
      async () => {},
    );
    expect(direct).toEqual({ ok: false, refusal: 'same-device' });
    expect(await revokedAt(a.deviceId)).toBeNull();
    expect(JSON.stringify(await successions())).toBe(before);
  }, 60_000);

  it('a cycle of successions written behind the admin area’s back ends the lookup and grants only the devices in it', async () => {
    const a = await enrolled('Loop A');
    const b = await enrolled('Loop B');
    const c = await enrolled('Loop C');
    const outsider = await enrolled('Outsider');
    await sql`insert into device_successions (from_device_id, to_device_id, by_admin) values
      (${a.deviceId}, ${b.deviceId}, 'x'), (${b.deviceId}, ${c.deviceId}, 'x'), (${c.deviceId}, ${a.deviceId}, 'x')`.execute(
      h.database.db,
    );
    const writers = await writersFor(h.database.db, a.deviceId, [outsider.deviceId]);
    expect([...writers].sort()).toEqual([a.deviceId, b.deviceId, c.deviceId].sort());
    const others = await writersFor(h.database.db, outsider.deviceId, [a.deviceId]);
    expect([...others]).toEqual([outsider.deviceId]);
  }, 60_000);
});
