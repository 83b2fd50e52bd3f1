/**
 * The records service's sealing keys (issue 16). At first start it makes an RSA-OAEP-256 key pair (3072 bits)
 * and keeps the private key in its keys folder, readable by this user only (0600; the folder 0700). Tablets
 * are given the current public key at enrolment and seal closed meetings to it. Rotating makes a new current
 * key; the older private keys stay, so batches sealed by tablets enrolled before still open. The private keys
 * are never logged, served or put in the database.
 */
import { chmod, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK } from 'jose';
import { fingerprintOf, keyIdOf, SEAL_ALG, type ServicePublicKey } from '../src/sealing/seal';

const PRIVATE_SUFFIX = '.private.pem';
const CURRENT = 'current';

export interface PublicKeyInfo extends ServicePublicKey {
  fingerprint: string;
}

export interface Keyring {
  /** The key new tablets are given. */
  current: () => PublicKeyInfo;
  /** Every key id held, the current one first. */
  keyIds: () => string[];
  privateFor: (keyId: string) => CryptoKey | undefined;
  /** Makes a new key pair the current one; the old ones stay to open what was sealed to them. */
  rotate: () => Promise<PublicKeyInfo>;
}

interface Held {
  keyId: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function writePrivate(path: string, pem: string) {
  // Written aside and renamed, so a crash never leaves half a key under the real name.
  const partial = `${path}.partial`;
  await writeFile(partial, pem, { mode: 0o600 });
  await chmod(partial, 0o600);
  await rename(partial, path);
}

async function loadPem(pem: string): Promise<Held> {
  const privateKey = await importPKCS8(pem, SEAL_ALG, { extractable: true });
  const full = await exportJWK(privateKey);
  const jwk: JWK = { kty: full.kty, n: full.n, e: full.e, alg: SEAL_ALG, use: 'enc' };
  // Opening only: the imported key is re-imported non-extractable.
  const openOnly = await importPKCS8(pem, SEAL_ALG);
  return { keyId: await keyIdOf(jwk), privateKey: openOnly as CryptoKey, jwk };
}

async function makeKey(dir: string): Promise<Held> {
  const { privateKey } = await generateKeyPair(SEAL_ALG, { modulusLength: 3072, extractable: true });
  const pem = await exportPKCS8(privateKey);
  const held = await loadPem(pem);
  await writePrivate(join(dir, `${held.keyId}${PRIVATE_SUFFIX}`), pem);
  return held;
}

const info = (h: Held): PublicKeyInfo => ({
  keyId: h.keyId,
  jwk: h.jwk,
  fingerprint: fingerprintOf(h.keyId),
});

/** Opens the keys folder, making it and a first key pair when there are none. */
export async function openKeyring(dir: string): Promise<Keyring> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const held = new Map<string, Held>();
  for (const name of await readdir(dir)) {
    if (!name.endsWith(PRIVATE_SUFFIX)) continue;
    const key = await loadPem(await readFile(join(dir, name), 'utf8'));
    if (`${key.keyId}${PRIVATE_SUFFIX}` !== name)
      throw new Error(`the key file ${name} does not hold the key its name says`);
    held.set(key.keyId, key);
  }
  let currentId = (await readFile(join(dir, CURRENT), 'utf8').catch(() => '')).trim();
  const setCurrent = async (keyId: string) => {
    await writeFile(join(dir, `${CURRENT}.partial`), `${keyId}\n`, { mode: 0o600 });
    await rename(join(dir, `${CURRENT}.partial`), join(dir, CURRENT));
    currentId = keyId;
  };
  if (!held.has(currentId)) {
    if (currentId !== '') throw new Error(`the current sealing key ${currentId} is missing from ${dir}`);
    const first = held.size > 0 ? [...held.values()][0] : await makeKey(dir);
    if (!first) throw new Error('no sealing key');
    held.set(first.keyId, first);
    await setCurrent(first.keyId);
  }
  return {
    current: () => info(held.get(currentId) as Held),
    keyIds: () => [currentId, ...[...held.keys()].filter((k) => k !== currentId)],
    privateFor: (keyId) => held.get(keyId)?.privateKey,
    rotate: async () => {
      const next = await makeKey(dir);
      held.set(next.keyId, next);
      await setCurrent(next.keyId);
      return info(next);
    },
  };
}
