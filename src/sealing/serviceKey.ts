/**
 * The records service's public key as the tablet keeps it (a settings row written at enrolment), with a
 * typed accessor: a row that is not a well-formed key whose id is its thumbprint reads as no key, so the
 * tablet never seals to something it cannot trust.
 */
import { servicePublicKeySchema } from '../domain/protocol';
import type { KioskDb } from '../storage/db';
import { isRecord, setting } from '../storage/settings';
import { fingerprintOf, keyIdOf, type ServicePublicKey } from './seal';

export const SERVICE_KEY = 'sealing.serviceKey';
/** The service's public key as enrolment gave it; its shape is checked by the protocol's schema on read. */
const serviceKeySetting = setting(SERVICE_KEY, isRecord);

/** Whether `value` is a public key whose id matches it (checked before it is stored or used). */
export async function checkServiceKey(value: unknown): Promise<ServicePublicKey | null> {
  const parsed = servicePublicKeySchema.safeParse(value);
  if (!parsed.success) return null;
  const key: ServicePublicKey = { keyId: parsed.data.keyId, jwk: { ...parsed.data.jwk } };
  try {
    return (await keyIdOf(key.jwk)) === key.keyId ? key : null;
  } catch {
    return null;
  }
}

/** The stored key as written (its id is checked again when sealing); null when the tablet has none. */
export async function readServiceKey(db: KioskDb): Promise<ServicePublicKey | null> {
  const value = await serviceKeySetting.read(db);
  const parsed = servicePublicKeySchema.safeParse(value);
  return parsed.success ? { keyId: parsed.data.keyId, jwk: { ...parsed.data.jwk } } : null;
}

/** Writes the key (call inside the enrolment's transaction, so the token and the key arrive together). */
export function writeServiceKey(db: KioskDb, key: ServicePublicKey): Promise<unknown> {
  return serviceKeySetting.write(db, { keyId: key.keyId, jwk: key.jwk });
}

/** What the settings screen shows the chair to compare with the admin area. */
export async function serviceKeyFingerprint(db: KioskDb): Promise<string | null> {
  const key = await readServiceKey(db);
  return key ? fingerprintOf(key.keyId) : null;
}
