/**
 * Checking a printed record against the synced log: the head hash printed at the foot of a minute entry
 * must be the hash of the last event of an unbroken chain. Any altered event breaks the chain from there.
 */
import { type ReplayError, replay } from './replay';

export type Verification =
  | { status: 'matches'; headHash: string; eventCount: number }
  | {
      status: 'different-head';
      headHash: string;
      eventCount: number;
      claimed: string;
      claimedSeq: number | null;
    }
  | { status: 'broken'; error: ReplayError };

export async function verifyRecord(
  events: readonly unknown[],
  claimedHeadHash: string,
): Promise<Verification> {
  const result = await replay(events);
  if (!result.ok) return { status: 'broken', error: result.error };
  const claimed = claimedHeadHash.trim().toLowerCase();
  if (result.headHash === claimed)
    return { status: 'matches', headHash: result.headHash, eventCount: result.events.length };
  // A minute printed before the meeting's record was complete names an earlier event's hash.
  const earlier = result.events.find((e) => e.hash === claimed);
  return {
    status: 'different-head',
    headHash: result.headHash,
    eventCount: result.events.length,
    claimed,
    claimedSeq: earlier ? earlier.seq : null,
  };
}
