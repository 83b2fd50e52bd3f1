/**
 * Enrolment: the chair types a one-time code from the records service's admin page; the tablet sends it
 * with its own device id (the one in every event envelope) and receives the service's device id and a
 * bearer token, kept in the settings table. Nothing here runs inside a Dexie transaction across a fetch.
 */
import { base64url } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { isoWithOffset } from '../domain/chain';
import { enrolResponseSchema, errorResponseSchema, PROTOCOL_VERSION } from '../domain/protocol';
import type { ServicePublicKey } from '../sealing/seal';
import { checkServiceKey, writeServiceKey } from '../sealing/serviceKey';
import { deviceIdSetting } from '../storage/boot';
import type { KioskDb } from '../storage/db';
import { storeResetSecret } from '../storage/pinGuard';
import { sealWaiting } from '../storage/sealedStore';
import { ENROLMENT_KEY, SERVER_URL_KEY } from './keys';
import { enrolmentSetting, serverUrlSetting } from './settings';

export { ENROLMENT_KEY, SERVER_URL_KEY };

/** Why the records service stopped taking this tablet's requests (a 401). */
export type StopReason = 'device-revoked' | 'unauthorised';

export interface Enrolment {
  /** The records service this token belongs to (an origin, or an origin plus a path prefix). */
  serverUrl: string;
  /** The device id the records service gave this tablet; sent as `deviceId` with every sync request. */
  serverDeviceId: string;
  deviceToken: string;
  /** This tablet's own id (ensureDeviceId), written into every event envelope. */
  deviceId: string;
  enrolledAt: string;
  /** Set when the service answered 401: the tablet stops pushing until it is enrolled again. */
  stoppedBy: StopReason | null;
  stoppedAt: string | null;
}

export type EnrolResult =
  | { ok: true; enrolment: Enrolment }
  | { ok: false; code: string; message: string; status?: number };

export interface EnrolDeps {
  db: KioskDb;
  fetch: typeof fetch;
  now: () => Date;
  /** This tablet's own id (ensureDeviceId). */
  deviceId: string;
}

/**
 * The address as the tablet will use it: http(s) only, no query or fragment, no trailing slash.
 * Returns null when it is not such an address.
 */
export function normaliseServerUrl(input: string): string | null {
  const text = input.trim();
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

export function apiUrl(serverUrl: string, path: string): string {
  return `${serverUrl.replace(/\/+$/, '')}${path}`;
}

export async function readEnrolment(db: KioskDb): Promise<Enrolment | null> {
  const stored = await enrolmentSetting.read(db);
  if (!stored) return null;
  return { ...stored, stoppedBy: stored.stoppedBy ?? null, stoppedAt: stored.stoppedAt ?? null };
}

/** The address the chair chose last (used for the next enrolment), if any. */
export async function readServerUrl(db: KioskDb): Promise<string | null> {
  return (await serverUrlSetting.read(db)) ?? null;
}

/**
 * Notes that the records service refused the token, so that a reload does not start pushing again. Only
 * for that token: an answer to a request sent before a new enrolment must not stop the new one.
 */
export async function markStopped(db: KioskDb, reason: StopReason, at: string, token: string): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const current = await readEnrolment(db);
    if (!current || current.deviceToken !== token) return;
    await enrolmentSetting.write(db, { ...current, stoppedBy: reason, stoppedAt: at });
  });
}

/**
 * Sends the code; on success keeps the token (replacing any earlier enrolment). The address must already
 * be normalised (normaliseServerUrl). `name` is how the records team will know the tablet (its label there);
 * without one, the label names the tablet's id.
 */
export async function enrol(
  deps: EnrolDeps,
  code: string,
  serverUrl: string,
  name = '',
): Promise<EnrolResult> {
  const trimmed = code.trim();
  if (trimmed.length < 6 || trimmed.length > 64) {
    return { ok: false, code: 'invalid-code', message: 'The code is too short or too long.' };
  }
  let deviceId = deps.deviceId;
  let answer = await requestEnrolment(deps, trimmed, serverUrl, deviceId, name);
  // The service never enrols a device id twice (a revoked one stays revoked): a tablet enrolled before
  // (e.g. revoked, then given a new code) is enrolled under a new id. The code is still good, since the
  // refusal used none of it. What it wrote under the old id stays as written (sealed, it cannot change);
  // an administrator replaces the old device by the new one so the service takes it (custody).
  if (!answer.ok && answer.code === 'device-exists') {
    deviceId = uuidv7();
    answer = await requestEnrolment(deps, trimmed, serverUrl, deviceId, name);
  }
  if (!answer.ok) return answer;
  const body = answer.body;
  const parsed = enrolResponseSchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      code: 'bad-response',
      message: 'The records service sent an answer the tablet cannot read.',
    };
  }
  // Issue 16: the key closed meetings are sealed to. One whose id is not its own thumbprint is not kept.
  let serviceKey: ServicePublicKey | null = null;
  if (parsed.data.serviceKey) {
    serviceKey = await checkServiceKey(parsed.data.serviceKey);
    if (!serviceKey) {
      return {
        ok: false,
        code: 'bad-response',
        message: 'The records service sent a sealing key that does not match its id.',
      };
    }
  }
  const enrolment: Enrolment = {
    serverUrl,
    serverDeviceId: parsed.data.deviceId,
    deviceToken: parsed.data.token,
    deviceId,
    enrolledAt: isoWithOffset(deps.now()),
    stoppedBy: null,
    stoppedAt: null,
  };
  await deps.db.transaction('rw', deps.db.settings, async () => {
    await enrolmentSetting.write(deps.db, enrolment);
    await serverUrlSetting.write(deps.db, serverUrl);
    // Every event from now on names the id the service enrolled (the same one, unless it was taken).
    if (deviceId !== deps.deviceId) await deviceIdSetting.write(deps.db, deviceId);
    if (serviceKey) await writeServiceKey(deps.db, serviceKey);
    // The secret PIN reset codes are checked with; an older service sends none, and an earlier
    // enrolment's secret would no longer match the service's codes.
    const resetSecret = parsed.data.pinResetSecret;
    await storeResetSecret(
      deps.db,
      resetSecret
        ? { secret: new Uint8Array(base64url.decode(resetSecret)), deviceId: parsed.data.deviceId }
        : null,
    );
  });
  // Enrolling seals the meetings closed while the tablet had no key; a failure here loses nothing (they
  // stay readable and are sealed at the next boot).
  if (serviceKey) await sealWaiting(deps.db, deps.now).catch(() => 0);
  return { ok: true, enrolment };
}

/** One enrolment request; the service's answer body when it enrolled the device, else why not. */
async function requestEnrolment(
  deps: EnrolDeps,
  code: string,
  serverUrl: string,
  deviceId: string,
  name: string,
): Promise<{ ok: true; body: unknown } | (EnrolResult & { ok: false })> {
  let response: Response;
  try {
    response = await deps.fetch(apiUrl(serverUrl, '/api/v1/devices/enrol'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        code,
        label: (name.replace(/\s+/g, ' ').trim() || `Consent Kiosk tablet ${deviceId}`).slice(0, 100),
        deviceId,
      }),
    });
  } catch (error) {
    return { ok: false, code: 'network', message: error instanceof Error ? error.message : String(error) };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return { ok: true, body };
  const parsed = errorResponseSchema.safeParse(body);
  return parsed.success
    ? {
        ok: false,
        code: parsed.data.error.code,
        message: parsed.data.error.message,
        status: response.status,
      }
    : { ok: false, code: `http-${response.status}`, message: response.statusText, status: response.status };
}
