/**
 * POST /api/v1/devices/enrol: a one-time code from the admin area enrols a NEW device and returns its token
 * (shown once; only its SHA-256 is kept). Failed attempts are rate limited per client.
 */
import { type Context, Hono } from 'hono';
import { every } from 'hono/combine';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { enrolRequestSchema } from '../../src/domain';
import { newDeviceId, normaliseCode, randomToken, sha256 } from '../auth';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys';
import { type Holder, type Limits, limiters } from '../limits';
import { enrolmentExtras } from '../sealing';
import { apiError } from './respond';
import { jsonBody } from './validate';

export interface EnrolDeps {
  db: Kysely<Database>;
  logger: Logger;
  now: () => Date;
  clientAddress: (c: Context) => string;
  limits: Limits;
  /** Holds refusals over a limit for a moment (shared by every door of the service). */
  holder: Holder;
  keyring: Keyring;
}

/** Enrolment named a device id that is already enrolled (rolls its transaction back). */
class DeviceExists extends Error {}

export function enrolRoutes({ db, logger, now, clientAddress, limits, holder, keyring }: EnrolDeps): Hono {
  const enrolLimits = limiters(
    limits.enrolPerClient,
    (c) => `enrol:${clientAddress(c)}`,
    (c, seconds) =>
      apiError(c, 'rate-limited', `Too many failed enrolment attempts: try again in ${seconds} seconds.`),
    holder,
  );

  return new Hono().post(
    '/',
    every(...enrolLimits),
    jsonBody(enrolRequestSchema, 'enrolment request'),
    async (c) => {
      const request = c.req.valid('json');
      const codeHash = sha256(normaliseCode(request.code));
      // The tablet writes its own id into every event it seals, so that id is the device's id here too.
      // A new code always enrols a NEW device: an id already enrolled (revoked or not) is refused, never
      // taken over, because issuing another id instead would leave every event the tablet seals naming a
      // device the service does not know. Replacing a tablet is an admin's hand-over in the admin area.
      const deviceId = request.deviceId ?? newDeviceId();
      const token = randomToken(32);
      // Shared with the tablet for PIN reset codes (issue 16): 32 random bytes.
      const pinResetSecret = randomToken(32);
      const outcome = await db
        .transaction()
        .execute(async (trx) => {
          const code = await trx
            .updateTable('enrolment_codes')
            .set({ used_at: now() })
            .where('code_hash', '=', codeHash)
            .where('used_at', 'is', null)
            .where('expires_at', '>', now())
            .returning('code_hash')
            .executeTakeFirst();
          if (!code) return 'invalid-code' as const;
          const created = await trx
            .insertInto('devices')
            .values({
              id: deviceId,
              label: request.label,
              token_hash: sha256(token),
              pin_reset_secret: pinResetSecret,
            })
            .onConflict((oc) => oc.column('id').doNothing())
            .executeTakeFirst();
          // Thrown so that the code's use is rolled back: it stays good for a tablet with an id of its own.
          if (Number(created.numInsertedOrUpdatedRows ?? 0) === 0) throw new DeviceExists();
          await trx
            .updateTable('enrolment_codes')
            .set({ device_id: deviceId })
            .where('code_hash', '=', codeHash)
            .execute();
          return 'enrolled' as const;
        })
        .catch((error: unknown) => {
          if (error instanceof DeviceExists) return 'device-exists' as const;
          throw error;
        });
      if (outcome === 'invalid-code')
        return apiError(c, 'invalid-code', 'The enrolment code is wrong, used or expired.');
      if (outcome === 'device-exists') {
        logger.warn(
          { deviceId, errorCode: 'device-exists' },
          'enrolment refused: device id already enrolled',
        );
        return apiError(
          c,
          'device-exists',
          'A device with this id is already enrolled. A new code enrols a new device; to replace a tablet, an admin hands its meetings over to the new one.',
        );
      }
      logger.info({ deviceId }, 'device enrolled');
      return c.json({ deviceId, token, ...enrolmentExtras(keyring), pinResetSecret }, 201);
    },
  );
}
