/**
 * Issue 13, finding 11: every failure logs a stable code and its cause, never names, signatures, tokens or
 * bodies. Bad input is a 4xx whose request log line names its own code; a database that refuses to write
 * is a 503 logged as db-read-only (not a bare "error"), on PGlite and on PostgreSQL.
 */
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import type { OpenDatabase } from '../../server/db/connect';
import { createLogger } from '../../server/logger';
import * as s from '../support/scenario';
import {
  ALL_AGREE,
  adminCookie,
  type Device,
  enrol,
  type Harness,
  makeHarness,
  newCode,
  openTarget,
  sealLog,
  syncRequest,
  TARGETS,
  testKeyring,
} from './harness';

const PASSWORD = 'failures are named password';

const linesOf = (logs: string[]) => logs.map((l) => JSON.parse(l) as Record<string, unknown>);
const requestLine = (logs: string[], path: string) =>
  linesOf(logs)
    .filter((l) => l.msg === 'request' && l.path === path)
    .at(-1);

describe.each(TARGETS)('failures are named against %s', (target) => {
  let h: Harness;
  let device: Device;

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD });
    device = await enrol(h, await newCode(h, await adminCookie(h, PASSWORD)), 'Tablet', uuidv7());
  });
  afterAll(async () => h?.close());

  it('bad input is a 4xx, and its request log line names its own code', async () => {
    const cases: [string, () => Response | Promise<Response>, number, string][] = [
      [
        'a body that is not JSON',
        () =>
          h.app.request('/api/v1/sync', {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${device.token}`,
              'Idempotency-Key': uuidv7(),
              'Content-Type': 'application/json',
            },
            body: '{"protocolVersion":1,',
          }),
        400,
        'bad-request',
      ],
      [
        'a name with a NUL',
        async () =>
          syncRequest(
            h,
            device,
            await sealLog(device.deviceId, [
              s.opened(),
              s.added({ ...s.people.mother, name: 'Sarah\u0000Doe' }),
            ]),
          ),
        422,
        'bad-text',
      ],
      [
        'an unknown token',
        () => syncRequest(h, { ...device, token: 'x'.repeat(43) }, []),
        401,
        'unauthorised',
      ],
      [
        'no Idempotency-Key',
        () =>
          h.app.request('/api/v1/sync', {
            method: 'POST',
            headers: { Authorization: `Bearer ${device.token}`, 'Content-Type': 'application/json' },
            body: '{}',
          }),
        400,
        'bad-request',
      ],
      [
        'a wrong enrolment code',
        () =>
          h.app.request('/api/v1/devices/enrol', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ protocolVersion: 1, code: 'WRONG-CODE-1', label: 'Tablet' }),
          }),
        400,
        'invalid-code',
      ],
      ['no such route', () => h.app.request('/api/v1/nothing'), 404, 'no-such-route'],
    ];
    for (const [what, send, status, code] of cases) {
      const res = await send();
      expect(res.status, what).toBe(status);
      const line = linesOf(h.logs)
        .filter((l) => l.msg === 'request')
        .at(-1);
      expect(line, what).toMatchObject({ status, errorCode: code });
    }
    const all = h.logs.join('\n');
    expect(all).not.toContain('Sarah');
    expect(all).not.toContain(device.token);
  });

  it('a missing, garbled or unknown device token is 401 unauthorised in the API error shape, with WWW-Authenticate', async () => {
    for (const [authorization, message] of [
      [null, 'A device token is required.'],
      ['Basic abc', 'A device token is required.'],
      ['Bearer ', 'A device token is required.'],
      ['Bearer a b', 'A device token is required.'],
      [`Bearer ${'z'.repeat(43)}`, 'The device token is not known.'],
      [`Bearer ${'z'.repeat(20)}`, 'The device token is not known.'],
    ] as const) {
      const res = await h.app.request('/api/v1/sync', {
        method: 'POST',
        headers: {
          ...(authorization === null ? {} : { Authorization: authorization }),
          'Idempotency-Key': uuidv7(),
          'Content-Type': 'application/json',
        },
        body: '{}',
      });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer /);
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      expect(await res.json()).toEqual({ error: { code: 'unauthorised', message } });
    }
  });

  it('a database that refuses writes: 503 with Retry-After, logged as db-read-only with its SQLSTATE, never the names', async () => {
    // A read-only database of its own, so that the suite's other tests are untouched.
    const opened = await openTarget(target);
    let database: OpenDatabase = opened.database;
    const setup = await makeHarness(target, { database, adminPassword: PASSWORD });
    const tablet = await enrol(
      setup,
      await newCode(setup, await adminCookie(setup, PASSWORD)),
      'T',
      uuidv7(),
    );
    if (target === 'pglite') {
      // One connection: the setting holds for every later statement.
      await sql`set default_transaction_read_only = on`.execute(database.db);
    } else {
      await sql`do $$ begin execute format('alter database %I set default_transaction_read_only = on', current_database()); end $$`.execute(
        database.db,
      );
      await database.close();
      database = await opened.reopen();
    }
    const logs: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    );
    const app = createApp({ database, logger, keyring: await testKeyring() });
    try {
      const log = await sealLog(tablet.deviceId, ALL_AGREE.slice(0, 5));
      const res = await syncRequest({ ...setup, app, logs }, tablet, log);
      expect(res.status).toBe(503);
      expect(res.headers.get('Retry-After')).toBe('30');
      expect(await res.json()).toEqual({
        error: {
          code: 'internal',
          message: 'The records service cannot store data just now: try again later.',
        },
      });
      const failed = linesOf(logs).find((l) => l.msg === 'request failed');
      expect(failed).toMatchObject({
        errorCode: 'db-read-only',
        cause: 'sqlstate 25006',
        path: '/api/v1/sync',
      });
      expect(requestLine(logs, '/api/v1/sync')).toMatchObject({ status: 503, errorCode: 'db-read-only' });
      const all = logs.join('\n');
      for (const person of Object.values(s.people)) expect(all).not.toContain(person.name);
      expect(all).not.toContain(tablet.token);
    } finally {
      await database.close();
      await opened.drop();
    }
  });
});
