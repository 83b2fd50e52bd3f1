/**
 * Issue 16: a closed meeting leaves the tablet sealed to the council. What is sealed opens only with the
 * service's private key, only as the meeting, device and events it says it holds, and still opens after the
 * service has rotated its keys.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openKeyring } from '../../server/keys';
import { openSealed, SealError, type SealedBatch, sealEvents } from '../../src/sealing/seal';
import { sealLog } from '../integration/harness';
import * as s from '../support/scenario';

const events = () =>
  sealLog('dev_aaaa', [s.opened('meeting'), ...[s.people.chair, s.people.mother].map(s.added)]);

const keysDir = () => mkdtempSync(join(tmpdir(), 'ck-keys-'));

describe('sealing a closed meeting to the records service', () => {
  it('opens with the private key to exactly the events sealed; the sealed form holds no name', async () => {
    const ring = await openKeyring(keysDir());
    const log = await events();
    const sealed = await sealEvents(log, ring.current());
    const wire = JSON.stringify(sealed);
    expect(wire).not.toContain(s.people.mother.name);
    expect(wire).not.toContain('meeting.opened');
    expect(await openSealed(sealed, ring.privateFor)).toEqual(JSON.parse(JSON.stringify(log)));
  }, 60_000);

  it('is refused when altered, when its stated meeting, device or numbers are changed, or when it holds other events', async () => {
    const ring = await openKeyring(keysDir());
    const log = await events();
    const sealed = await sealEvents(log, ring.current());
    const flip = (text: string) => `${text.slice(0, 10)}${text[10] === 'A' ? 'B' : 'A'}${text.slice(11)}`;
    const variants: SealedBatch[] = [
      { ...sealed, jwe: { ...sealed.jwe, ciphertext: flip(sealed.jwe.ciphertext) } },
      { ...sealed, jwe: { ...sealed.jwe, encrypted_key: flip(sealed.jwe.encrypted_key as string) } },
      { ...sealed, meetingId: '01900000-0000-7000-8000-000000000000' },
      { ...sealed, deviceId: 'dev_bbbb' },
      { ...sealed, firstSeq: 2, lastSeq: 4 },
      { ...sealed, count: 2, lastSeq: 2 },
    ];
    for (const variant of variants) {
      await expect(openSealed(variant, ring.privateFor)).rejects.toBeInstanceOf(SealError);
    }
    // The batch's own `aad` is never trusted: facts changed along with a matching aad are still refused.
    const other = await sealEvents(await events(), ring.current());
    await expect(openSealed({ ...other, jwe: { ...sealed.jwe } }, ring.privateFor)).rejects.toBeInstanceOf(
      SealError,
    );
  }, 60_000);

  it('refuses to seal events of two meetings, with a gap, or to a key that is not the one its id names', async () => {
    const ring = await openKeyring(keysDir());
    const a = await events();
    const b = await events();
    await expect(sealEvents([...a, ...b], ring.current())).rejects.toThrow(/one meeting/);
    await expect(sealEvents([a[0], a[2]] as typeof a, ring.current())).rejects.toThrow(/consecutive/);
    const other = await openKeyring(keysDir());
    await expect(sealEvents(a, { keyId: ring.current().keyId, jwk: other.current().jwk })).rejects.toThrow(
      /does not match/,
    );
  }, 60_000);

  it('a service that rotated its keys still opens batches sealed to the older key; another service opens none', async () => {
    const dir = keysDir();
    const ring = await openKeyring(dir);
    const before = ring.current();
    const sealedBefore = await sealEvents(await events(), before);
    const after = await ring.rotate();
    expect(after.keyId).not.toBe(before.keyId);
    // Restarted: the keys are read back from the folder.
    const reopened = await openKeyring(dir);
    expect(reopened.current().keyId).toBe(after.keyId);
    expect(reopened.keyIds()).toEqual([after.keyId, before.keyId]);
    expect(await openSealed(sealedBefore, reopened.privateFor)).toHaveLength(3);
    const stranger = await openKeyring(keysDir());
    await expect(openSealed(sealedBefore, stranger.privateFor)).rejects.toMatchObject({
      reason: 'unknown-key',
    });
  }, 120_000);

  it('keeps private keys readable by this user only, and refuses a key file that does not hold the key its name says', async () => {
    const dir = keysDir();
    const ring = await openKeyring(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const file = readdirSync(dir).find((n) => n.endsWith('.private.pem')) as string;
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    expect(ring.current().fingerprint).toMatch(/^[\w-]{4}( [\w-]{4}){4}$/);
    expect(JSON.stringify(ring.current().jwk)).not.toMatch(/"d"|"p"|"q"/);
    const other = keysDir();
    await openKeyring(other);
    const otherFile = readdirSync(other).find((n) => n.endsWith('.private.pem')) as string;
    writeFileSync(join(dir, otherFile.replace(/^[^.]+/, 'wrongname')), readFileSync(join(other, otherFile)));
    await expect(openKeyring(dir)).rejects.toThrow(/does not hold the key its name says/);
  }, 120_000);
});
