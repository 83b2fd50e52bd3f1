/**
 * The records service's side of sealed sync (issue 16): a tablet sends a closed meeting's events sealed to
 * this service's public key; they are opened here with the keyring and then checked and stored exactly like
 * plain events (checkEnvelopes, acceptBatch), so a sealed batch is never trusted more than a plain one.
 */
import type { SealedBatchWire } from '../src/domain';
import { MAX_SYNC_BATCH } from '../src/domain';
import { openSealed, SealError, type SealedBatch } from '../src/sealing/seal';
import type { Keyring, PublicKeyInfo } from './keys';
import { SyncError } from './sync';

/**
 * Opens every sealed batch of a request, in order, and returns the events they hold (to be checked like any
 * others). The batches must be written by one of `writers` (the sending device, or a device an admin
 * replaced by it); a batch that cannot be opened refuses the whole request ('bad-seal', or 'unknown-key'
 * when it names a key this service does not hold), before anything is stored.
 */
export async function openSealedBatches(
  keyring: Pick<Keyring, 'privateFor'>,
  writers: ReadonlySet<string>,
  sealed: readonly SealedBatchWire[],
): Promise<unknown[]> {
  const total = sealed.reduce((n, b) => n + b.count, 0);
  if (total > MAX_SYNC_BATCH)
    throw new SyncError('bad-request', `A request holds at most ${MAX_SYNC_BATCH} events.`);
  const opened: unknown[] = [];
  for (const [index, batch] of sealed.entries()) {
    if (!writers.has(batch.deviceId))
      throw new SyncError(
        'wrong-device',
        'A sealed batch was written by another device, which an admin has not replaced by this one.',
        { index },
      );
    if (batch.lastSeq !== batch.firstSeq + batch.count - 1)
      throw new SyncError('bad-seal', 'A sealed batch states numbers that do not add up.', { index });
    try {
      opened.push(...(await openSealed(batch as SealedBatch, keyring.privateFor)));
    } catch (error) {
      if (!(error instanceof SealError)) throw error;
      throw new SyncError(error.reason === 'unknown-key' ? 'unknown-key' : 'bad-seal', error.message, {
        index,
      });
    }
  }
  return opened;
}

/** What an enrolment response adds for sealing: the current public key (never the private one). */
export function enrolmentExtras(keyring: Pick<Keyring, 'current'>): {
  serviceKey: { keyId: string; jwk: PublicKeyInfo['jwk'] };
} {
  const { keyId, jwk } = keyring.current();
  return { serviceKey: { keyId, jwk } };
}
