/**
 * POST /api/v1/sync: a batch of a device's sealed events. The device is known by its bearer token (Hono's
 * bearer-auth, looking up the token's SHA-256), the body is the shared syncRequestSchema, and each event is
 * then checked and stored by the sync path (checkEnvelopes, acceptBatch).
 */
import { type Context, Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import type { Logger } from 'pino';
import { z } from 'zod/mini';
import { SYNC_PROTOCOL_VERSIONS, syncRequestSchema } from '../../src/domain';
import { sha256 } from '../auth';
import { writersFor } from '../custody';
import type { OpenDatabase } from '../db/connect';
import type { Keyring } from '../keys';
import { openSealedBatches } from '../sealing';
import { acceptBatch, checkEnvelopes, SyncError } from '../sync';
import { apiError } from './respond';
import { headers, jsonBody } from './validate';

export interface SyncDeps {
  database: OpenDatabase;
  logger: Logger;
  now: () => Date;
  keyring: Keyring;
}

export interface DeviceEnv {
  Variables: {
    /** The enrolled, unrevoked device whose token the request carries. */
    device: { id: string };
    /** Set when the token names a device an admin revoked, so that the refusal says so. */
    revokedDevice: boolean;
  };
}

/** The device an event (not yet checked) names as its writer; '' when it names none. */
const writerNamed = (item: unknown): string => {
  const id =
    typeof item === 'object' && item !== null ? (item as { deviceId?: unknown }).deviceId : undefined;
  return typeof id === 'string' ? id : '';
};

/** Tokens are randomToken(32) (base64url); anything else is not looked up. */
const TOKEN = /^[A-Za-z0-9_-]{32,256}$/;

export const syncHeadersSchema = z.object({
  'idempotency-key': z.string().check(z.regex(/^[A-Za-z0-9_-]{8,128}$/)),
});

/** The device's bearer token (its SHA-256 looked up); a revoked device is told so. Shared by the device routes. */
export function deviceAuth(db: OpenDatabase['db']) {
  const unauthorised = (message: string) => (c: Context) => apiError(c, 'unauthorised', message);
  return bearerAuth<DeviceEnv>({
    verifyToken: async (token, c) => {
      if (!TOKEN.test(token)) return false;
      const device = await db
        .selectFrom('devices')
        .select(['id', 'revoked_at'])
        .where('token_hash', '=', sha256(token))
        .executeTakeFirst();
      if (!device) return false;
      if (device.revoked_at) {
        c.set('revokedDevice', true);
        return false;
      }
      c.set('device', { id: device.id });
      return true;
    },
    noAuthenticationHeader: { message: unauthorised('A device token is required.') },
    invalidAuthenticationHeader: { message: unauthorised('A device token is required.') },
    invalidToken: {
      message: (c) =>
        c.get('revokedDevice')
          ? apiError(c, 'device-revoked', 'This device has been revoked by an admin.')
          : apiError(c, 'unauthorised', 'The device token is not known.'),
    },
  });
}

export function syncRoutes({ database, logger, now, keyring }: SyncDeps): Hono<DeviceEnv> {
  const db = database.db;

  return new Hono<DeviceEnv>().post(
    '/',
    deviceAuth(db),
    headers(syncHeadersSchema, 'An Idempotency-Key header is required.'),
    jsonBody(syncRequestSchema, 'sync request', SYNC_PROTOCOL_VERSIONS),
    async (c) => {
      const device = c.get('device');
      const request = c.req.valid('json');
      const idempotencyKey = c.req.valid('header')['idempotency-key'];
      if (request.deviceId !== device.id) {
        return apiError(c, 'wrong-device', 'The request names another device than its token.');
      }
      try {
        const sealed = request.sealed ?? [];
        // Records of a tablet an admin replaced by this one may come from this one (custody.ts).
        const writers = await writersFor(db, device.id, [
          ...sealed.map((b) => b.deviceId),
          ...request.events.map(writerNamed),
        ]);
        const opened = await openSealedBatches(keyring, writers, sealed);
        const events = await checkEnvelopes([...request.events, ...opened], device.id, writers);
        const outcome = await acceptBatch(database, device.id, events, now, request.sentAt ?? null);
        logger.info(
          {
            deviceId: device.id,
            idempotencyKey,
            received: events.length,
            inserted: outcome.inserted,
            meetings: outcome.meetings,
          },
          'sync accepted',
        );
        return c.json(outcome.response, 200);
      } catch (error) {
        if (!(error instanceof SyncError)) throw error;
        logger.warn(
          { deviceId: device.id, idempotencyKey, errorCode: error.code, index: error.detail.index },
          'sync rejected',
        );
        c.set('errorCode', error.code);
        return c.json(error.toBody(), error.status);
      }
    },
  );
}
