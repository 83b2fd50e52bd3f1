/**
 * replay(events): rebuilds the meeting from its log through the same machine the tablet runs, and
 * verifies the chain. It stops at the first bad event and names it.
 */
import { hashOf } from './chain';
import { initialSnapshot, type MeetingSnapshot, step } from './engine';
import { bodyOf, type EventEnvelope, envelopeSchema, GENESIS_HASH } from './events';
import { checkWriter, type LogWriters, NO_WRITERS, writersAfter } from './prepared';
import { checkEventTime } from './rules';

export type ReplayErrorCode =
  | 'bad-envelope'
  | 'wrong-meeting'
  | 'bad-seq'
  | 'bad-prev-hash'
  | 'bad-hash'
  | 'time-backwards'
  | 'illegal-transition'
  /** The event's device may not write this log (a prepared meeting not taken over, issue 19). */
  | 'not-custodian';

export interface ReplayError {
  code: ReplayErrorCode;
  /** Position in the given list (0-based). */
  index: number;
  eventId: string | null;
  seq: number | null;
  message: string;
}

export type ReplayResult =
  | {
      ok: true;
      snapshot: MeetingSnapshot;
      headHash: string;
      events: EventEnvelope[];
      writers: LogWriters | null;
    }
  | { ok: false; error: ReplayError; snapshot: MeetingSnapshot; validCount: number };

export interface ReplayOptions {
  /**
   * Continue a log already verified up to `from` (its snapshot and head; `at`, the head's time, when known,
   * so that the first new event is checked not to be earlier).
   */
  from?: {
    snapshot: MeetingSnapshot;
    seq: number;
    hash: string;
    meetingId: string;
    at?: string | null;
    /** Who wrote the log so far (prepared by the records service, claimed by whom); absent: an ordinary log. */
    writers?: LogWriters;
  };
  /**
   * Read a log written before time was checked (one already held): an event dated earlier than the one
   * before it is then not an error. New events are always checked.
   */
  allowBackwardsTime?: boolean;
  /** Every event's hash has been checked against its content already (the records service does it first). */
  hashesVerified?: boolean;
}

export async function replay(input: readonly unknown[], options: ReplayOptions = {}): Promise<ReplayResult> {
  let snapshot = options.from?.snapshot ?? initialSnapshot();
  let previous: { seq: number; hash: string } = options.from
    ? { seq: options.from.seq, hash: options.from.hash }
    : { seq: 0, hash: GENESIS_HASH };
  let meetingId = options.from?.meetingId ?? null;
  // Instants, not strings: "10:00+01:00" is earlier than "09:30+00:00".
  let previousAt = options.from?.at ? Date.parse(options.from.at) : Number.NEGATIVE_INFINITY;
  let writers: LogWriters | null = options.from ? (options.from.writers ?? NO_WRITERS) : null;
  const events: EventEnvelope[] = [];

  const fail = (code: ReplayErrorCode, index: number, raw: unknown, message: string): ReplayResult => {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    return {
      ok: false,
      snapshot,
      validCount: index,
      error: {
        code,
        index,
        eventId: typeof r.id === 'string' ? r.id : null,
        seq: typeof r.seq === 'number' ? r.seq : null,
        message,
      },
    };
  };

  for (const [index, raw] of input.entries()) {
    const parsed = envelopeSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(
        'bad-envelope',
        index,
        raw,
        `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const envelope = parsed.data as EventEnvelope;
    if (meetingId !== null && envelope.meetingId !== meetingId) {
      return fail('wrong-meeting', index, raw, 'The event belongs to another meeting.');
    }
    if (envelope.seq !== previous.seq + 1) {
      return fail('bad-seq', index, raw, `Expected event number ${previous.seq + 1}, found ${envelope.seq}.`);
    }
    if (envelope.prevHash !== previous.hash) {
      return fail('bad-prev-hash', index, raw, 'The event does not follow the one before it (broken chain).');
    }
    if (!options.hashesVerified && (await hashOf(envelope)) !== envelope.hash) {
      return fail(
        'bad-hash',
        index,
        raw,
        'The event was altered after it was written (its hash does not match).',
      );
    }
    const at = Date.parse(envelope.at);
    if (at < previousAt && !options.allowBackwardsTime) {
      return fail(
        'time-backwards',
        index,
        raw,
        'The event is dated earlier than the one before it: within a meeting, time never runs backwards.',
      );
    }
    const notWriter = checkWriter(writers, envelope);
    if (notWriter) return fail('not-custodian', index, raw, notWriter);
    const untimely = checkEventTime(snapshot.context, bodyOf(envelope), envelope.at);
    if (untimely) return fail('illegal-transition', index, raw, untimely.message);
    const result = step(snapshot, bodyOf(envelope));
    if (!result.ok) return fail('illegal-transition', index, raw, result.rejection.message);
    snapshot = result.snapshot;
    meetingId = envelope.meetingId;
    previous = envelope;
    previousAt = at;
    writers = writersAfter(writers, envelope);
    events.push(envelope);
  }
  return { ok: true, snapshot, headHash: previous.hash, events, writers };
}
