/**
 * Step 1, validate: the envelopes on their own, with no database, and the batch grouped by meeting. A batch
 * that fails here changes nothing and costs no connection.
 */
import { type EventEnvelope, envelopeSchema, findForbiddenText, hashOf } from '../../src/domain';
import { SyncError } from './errors';

export interface Indexed {
  index: number;
  event: EventEnvelope;
}

/** An event id as a client may be told it back: only when it looks like one. */
const echoableId = (item: unknown): string | undefined => {
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' && /^[0-9A-Za-z-]{1,64}$/.test(id) ? id : undefined;
};

/**
 * Checks the envelopes before anything else: no control character or lone surrogate in any text
 * (PostgreSQL's jsonb would refuse a NUL on every retry), the shared schema, each hash recomputed from the
 * event's content (so a changed event is never acknowledged as one already held), and the enrolled device
 * as the writer (or, in `writers`, a device an admin replaced by it: custody.ts, writersFor).
 */
export async function checkEnvelopes(
  raw: readonly unknown[],
  deviceId: string,
  writers: ReadonlySet<string> = new Set([deviceId]),
): Promise<EventEnvelope[]> {
  const checked = raw.map((item, index): EventEnvelope | SyncError => {
    const eventId = echoableId(item);
    const named = { index, ...(eventId !== undefined ? { eventId } : {}) };
    const forbidden = findForbiddenText(item);
    if (forbidden) {
      return new SyncError(
        'bad-text',
        `${forbidden.join('.') || 'event'}: text may not hold control characters or broken characters.`,
        named,
      );
    }
    const parsed = envelopeSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return new SyncError(
        'bad-envelope',
        `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`,
        named,
      );
    }
    return parsed.data as EventEnvelope;
  });
  // Hashed side by side (Web Crypto); the first bad event in batch order is the one named.
  const hashes = await Promise.all(checked.map((e) => (e instanceof SyncError ? null : hashOf(e))));
  return checked.map((event, index) => {
    if (event instanceof SyncError) throw event;
    if (hashes[index] !== event.hash) {
      throw new SyncError(
        'bad-hash',
        'The event was altered after it was written (its hash does not match its content).',
        { index, eventId: event.id },
      );
    }
    if (!writers.has(event.deviceId)) {
      throw new SyncError('wrong-device', 'The event was written by another device.', {
        index,
        eventId: event.id,
      });
    }
    return event;
  });
}

export interface Grouped {
  /** Each meeting's events, in the batch order of the meeting's first appearance; within one, by seq. */
  groups: Map<string, Indexed[]>;
  /** The meetings in byte order of their ids: the order their heads are locked in. */
  meetingIds: string[];
}

/**
 * Groups a batch by meeting. The same event twice is kept once (and acknowledged once per copy); two
 * different events with one id are a conflict.
 */
export function groupBatch(events: readonly EventEnvelope[]): Grouped {
  const groups = new Map<string, Indexed[]>();
  const seenIds = new Map<string, EventEnvelope>();
  for (const [index, event] of events.entries()) {
    const twin = seenIds.get(event.id);
    if (twin) {
      if (twin.hash !== event.hash) {
        throw new SyncError('conflict', 'The batch holds two different events with one id.', {
          index,
          eventId: event.id,
        });
      }
      continue;
    }
    seenIds.set(event.id, event);
    const group = groups.get(event.meetingId) ?? [];
    group.push({ index, event });
    groups.set(event.meetingId, group);
  }
  for (const group of groups.values()) group.sort((a, b) => a.event.seq - b.event.seq);
  return { groups, meetingIds: [...groups.keys()].sort(byteOrder) };
}

const isAscii = (s: string) => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
};

/** Byte order of the UTF-8 encodings (PostgreSQL's "C" collation); code unit order when both are ASCII. */
export function byteOrder(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
