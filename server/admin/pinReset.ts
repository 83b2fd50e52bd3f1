/**
 * PIN reset codes (issue 16, administrators only): a chair who has forgotten the tablet's PIN phones an
 * administrator, who issues the tablet's next one-time code here and reads it out. The tablet checks it
 * offline against the secret shared at enrolment, so the code is derived, never stored: issuing it only
 * counts one more, in the same transaction as its audit row.
 */
import { type Context, Hono } from 'hono';
import { validator } from 'hono/validator';
import { resetCodeFor } from '../../src/sealing/pinReset';
import { type AdminDeps, type AdminEnv, DEVICE_ID, requires } from './context';
import { audit } from './repo/audit';
import { page } from './views/layout';
import { type PinResetDevice, pinResetView } from './views/pinReset';

const TITLE = 'PIN reset code';

const deviceParam = validator('param', (value: Record<string, string>, c: Context) => {
  const id = value.id ?? '';
  if (!DEVICE_ID.test(id)) return c.notFound();
  return { id };
});

/** Why a device gets no code: said on the page, with a 404 or 409. */
const REFUSAL = {
  unknown: 'No tablet with this id is enrolled.',
  revoked: 'This tablet has been revoked: it gets no PIN reset code. Enrol a new tablet instead.',
  'no-secret':
    'This tablet was enrolled before PIN reset codes existed, so it cannot check one. To reset its PIN, enrol a replacement tablet and hand its meetings over.',
} as const;
type Refusal = keyof typeof REFUSAL;

function refusalOf(device: PinResetDevice | undefined): Refusal | null {
  if (!device) return 'unknown';
  if (device.revokedAt) return 'revoked';
  if (!device.hasSecret) return 'no-secret';
  return null;
}

export function pinResetRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const { db, logger, now } = deps;
  const r = new Hono<AdminEnv>();
  r.use('/pin-reset/*', requires('issue-pin-reset'));

  const findDevice = async (id: string): Promise<PinResetDevice | undefined> => {
    const row = await db
      .selectFrom('devices')
      .select(['id', 'label', 'revoked_at', 'pin_resets_issued'])
      .select((eb) => eb('pin_reset_secret', 'is not', null).as('has_secret'))
      .where('id', '=', id)
      .executeTakeFirst();
    return (
      row && {
        id: row.id,
        label: row.label,
        revokedAt: row.revoked_at,
        issued: Number(row.pin_resets_issued),
        hasSecret: Boolean(row.has_secret),
      }
    );
  };

  const show = (
    c: Context<AdminEnv>,
    device: PinResetDevice | undefined,
    issued: { code: string; number: number } | null,
    status: 200 | 201 | 404 | 409,
  ) => {
    const refusal = refusalOf(device);
    return c.html(
      page(TITLE, pinResetView(device ?? null, issued, refusal && REFUSAL[refusal]), c.get('account')),
      status,
    );
  };
  const statusOf = (refusal: Refusal | null) => (refusal === 'unknown' ? 404 : refusal ? 409 : 200);

  r.get('/pin-reset/:id', deviceParam, async (c) => {
    const device = await findDevice(c.req.valid('param').id);
    return show(c, device, null, statusOf(refusalOf(device)));
  });

  r.post('/pin-reset/:id', deviceParam, async (c) => {
    const { id } = c.req.valid('param');
    const who = c.get('account');
    const at = now();
    // One statement takes the next number, so two admins issuing at once get two different codes; a
    // revoked tablet or one without a secret is not counted and gets none.
    const issued = await db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('devices')
        .set((eb) => ({ pin_resets_issued: eb('pin_resets_issued', '+', 1) }))
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('pin_reset_secret', 'is not', null)
        .returning(['pin_resets_issued', 'pin_reset_secret'])
        .executeTakeFirst();
      if (!row?.pin_reset_secret) return null;
      const number = Number(row.pin_resets_issued);
      await audit(
        trx,
        {
          accountId: who.id,
          username: who.username,
          action: 'pin-reset.issued',
          deviceId: id,
          detail: `code number ${number}`,
        },
        at,
      );
      const secret = new Uint8Array(Buffer.from(row.pin_reset_secret, 'base64url'));
      return { code: await resetCodeFor(secret, id, number), number };
    });
    const device = await findDevice(id);
    if (!issued) return show(c, device, null, statusOf(refusalOf(device)) === 404 ? 404 : 409);
    logger.info({ deviceId: id, number: issued.number }, 'PIN reset code issued');
    return show(c, device, issued, 201);
  });

  return r;
}
