/** Devices and enrolment codes: create a code, revoke a device, replace one by another (administrators). */
import { type Context, Hono } from 'hono';
import { validator } from 'hono/validator';
import { RECORDS_SERVICE_DEVICE_ID } from '../../src/domain/prepared';
import { type AdminDeps, type AdminEnv, DEVICE_ID, form, requires } from './context';
import { HAND_OVER_REFUSAL } from './meetings';
import { audit } from './repo/audit';
import { createEnrolmentCode, listDevicesAndCodes, replaceDevice, revokeDevice } from './repo/devices';
import { replaceSchema } from './schemas';
import { devicesView } from './views/devices';
import { page } from './views/layout';

const TITLE = 'Devices and enrolment codes';

const deviceParam = validator('param', (value: Record<string, string>, c: Context) => {
  const id = value.id ?? '';
  if (!DEVICE_ID.test(id)) return c.notFound();
  return { id };
});

export function deviceRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const { db, logger, now } = deps;
  const r = new Hono<AdminEnv>();
  r.use('/devices', requires('manage-devices'));
  r.use('/devices/*', requires('manage-devices'));
  r.use('/codes', requires('manage-devices'));

  const show = async (
    c: Context<AdminEnv>,
    newCode: string | null,
    error: string | null,
    status: 200 | 201 | 400 | 404 | 409,
  ) =>
    c.html(
      page(
        TITLE,
        devicesView(await listDevicesAndCodes(db), now(), newCode, error, deps.keyring.current().fingerprint),
        c.get('account'),
      ),
      status,
    );

  r.get('/devices', (c) => show(c, null, null, 200));

  r.post('/codes', async (c) => {
    const code = await createEnrolmentCode(db, now());
    const account = c.get('account');
    await audit(db, { accountId: account.id, username: account.username, action: 'code.created' }, now());
    logger.info('enrolment code created');
    return show(c, code, null, 201);
  });

  r.post('/devices/:id/revoke', deviceParam, async (c) => {
    const { id } = c.req.valid('param');
    if (id === RECORDS_SERVICE_DEVICE_ID) return show(c, null, HAND_OVER_REFUSAL['service-device'], 409);
    const changed = await revokeDevice(db, id, now());
    const account = c.get('account');
    await audit(
      db,
      {
        accountId: account.id,
        username: account.username,
        action: 'device.revoked',
        deviceId: id,
        detail: changed ? null : 'already revoked or unknown',
      },
      now(),
    );
    logger.info({ deviceId: id, changed: changed ? 1 : 0 }, 'device revoked');
    return c.redirect('/admin/devices', 303);
  });

  r.post(
    '/devices/:id/replace',
    deviceParam,
    form(replaceSchema, (c) => show(c, null, 'Choose the tablet that replaces this one.', 400)),
    async (c) => {
      const { id } = c.req.valid('param');
      const { replacement } = c.req.valid('form');
      if (replacement === id) return show(c, null, 'Choose the tablet that replaces this one.', 400);
      const account = c.get('account');
      const outcome = await replaceDevice(
        db,
        { id, replacementId: replacement, byAdmin: account.username },
        now(),
        (trx, meetings, prepared) =>
          audit(
            trx,
            {
              accountId: account.id,
              username: account.username,
              action: 'device.replaced',
              deviceId: id,
              detail: `replaced by ${replacement}; ${meetings} open meeting(s) handed over; ${prepared} prepared meeting(s) now for the replacement`,
            },
            now(),
          ),
      );
      if (!outcome.ok) return show(c, null, HAND_OVER_REFUSAL[outcome.refusal], 409);
      logger.info(
        { deviceId: id, replacementId: replacement, meetings: outcome.meetings, prepared: outcome.prepared },
        'device replaced',
      );
      return c.redirect('/admin/devices', 303);
    },
  );

  return r;
}
