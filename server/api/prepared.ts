/**
 * Meetings prepared on the records service (issue 19, src/domain/prepared.ts): a tablet lists those
 * prepared for it (GET /api/v1/prepared) and takes one over (POST /api/v1/prepared/:meetingId/claim), with
 * its device token as for sync. The claim is accepted by the sync path, so it is idempotent as sync is.
 */
import { Hono } from 'hono';
import type { Logger } from 'pino';
import {
  type ClaimRequest,
  claimRequestSchema,
  PREPARED_PROTOCOL_VERSION,
  uuidSchema,
} from '../../src/domain';
import type { OpenDatabase } from '../db/connect';
import { claimPrepared, listPrepared } from '../prepared';
import { SyncError } from '../sync';
import { apiError } from './respond';
import { type DeviceEnv, deviceAuth, syncHeadersSchema } from './sync';
import { headers, jsonBody } from './validate';

export interface PreparedDeps {
  database: OpenDatabase;
  logger: Logger;
  now: () => Date;
}

export function preparedRoutes({ database, logger, now }: PreparedDeps): Hono<DeviceEnv> {
  const auth = deviceAuth(database.db);
  return new Hono<DeviceEnv>()
    .get('/', auth, async (c) => {
      const device = c.get('device');
      const list = await listPrepared(database.db, device.id, now());
      logger.info({ deviceId: device.id, meetings: list.meetings.length }, 'prepared meetings listed');
      return c.json(list, 200);
    })
    .post(
      '/:meetingId/claim',
      auth,
      headers(syncHeadersSchema, 'An Idempotency-Key header is required.'),
      jsonBody(claimRequestSchema, 'claim', [PREPARED_PROTOCOL_VERSION]),
      async (c) => {
        const device = c.get('device');
        const meetingId = c.req.param('meetingId');
        if (!uuidSchema.safeParse(meetingId).success)
          return apiError(c, 'not-prepared', 'No meeting prepared here has this id.');
        const request = c.req.valid('json');
        if (request.deviceId !== device.id)
          return apiError(c, 'wrong-device', 'The request names another device than its token.');
        const idempotencyKey = c.req.valid('header')['idempotency-key'];
        try {
          const response = await claimPrepared(database, device.id, meetingId, request as ClaimRequest, now);
          logger.info({ deviceId: device.id, meetingId, idempotencyKey }, 'prepared meeting claimed');
          return c.json(response, 200);
        } catch (error) {
          if (!(error instanceof SyncError)) throw error;
          logger.warn({ deviceId: device.id, meetingId, errorCode: error.code }, 'claim refused');
          c.set('errorCode', error.code);
          return c.json(error.toBody(), error.status);
        }
      },
    );
}
