/**
 * Meetings on the tablet: appends events to a meeting's log and keeps what is derived from it (the outbox
 * row, the persisted snapshot, the meeting row) in step, in ONE IndexedDB transaction per event.
 *
 * Order of an append: check the event with the machine, seal it (SHA-256, outside any transaction: a
 * Web Crypto promise is not an IndexedDB request, so awaiting it inside one would let IndexedDB commit
 * early), then write everything in one 'rw' transaction that first re-checks the head of the log.
 */
import { Dexie } from 'dexie';
import { v7 as uuidv7 } from 'uuid';
import { isoWithOffset, sealEvent } from '../domain/chain';
import {
  initialSnapshot,
  type MeetingSnapshot,
  persistSnapshot,
  phaseOf,
  restoreSnapshot,
  step,
} from '../domain/engine';
import { type DomainEvent, type EventEnvelope, type EventOf, GENESIS_HASH } from '../domain/events';
import { type ReplayError, replay } from '../domain/replay';
import { asSealedAt, checkEventTime, type Rejection } from '../domain/rules';
import { i18n } from '../shared/i18n';
import { errorChain, findOpenMeeting, listMeetings } from './boot';
import {
  envelopeOf,
  type KioskDb,
  type MeetingRow,
  type OutboxRow,
  type SnapshotRow,
  type StoredEvent,
} from './db';
import { sealOnClose } from './sealedStore';

// The storage check and the device id are the app shell's (boot.ts), read before the first screen.
export { type CheckStorageOptions, checkStorage, ensureDeviceId, type StorageCheck } from './boot';

export type StoreRejectionCode =
  | 'meeting-already-open'
  | 'unknown-meeting'
  | 'concurrent-change'
  | 'broken-log'
  | 'storage-full'
  | 'storage-failed'
  /** A prepared meeting's claim was refused by the records service (another tablet has it). */
  | 'claim-refused';

export interface StoreRejection {
  code: StoreRejectionCode;
  message: string;
}

export type AppendResult =
  | { ok: true; snapshot: MeetingSnapshot; envelope: EventEnvelope }
  | { ok: false; rejection: Rejection | StoreRejection };

export type CreateMeetingResult =
  | { ok: true; snapshot: MeetingSnapshot; envelope: EventEnvelope; meetingId: string }
  | { ok: false; rejection: Rejection | StoreRejection };

/**
 * What becomes of the event that makes a prepared meeting this tablet's (MeetingStore.adopt), decided once it
 * is sealed and before anything is written: the service refused it (nothing is written), acknowledged it
 * (written as synced), or was not asked (offline: it waits in the outbox like any event).
 */
export type AdoptDecision =
  | { kind: 'refused'; message: string }
  | { kind: 'acknowledged'; at: string }
  | { kind: 'pending' };

export type AdoptResult =
  | { ok: true; snapshot: MeetingSnapshot; envelope: EventEnvelope; isAcknowledged: boolean }
  | { ok: false; rejection: Rejection | StoreRejection | ReplayRejection };

/** A prepared log that does not replay (its chain or a step is broken): it is not taken. */
export interface ReplayRejection {
  code: 'broken-log';
  message: string;
  replayError: ReplayError;
}

export interface LoadedMeeting {
  snapshot: MeetingSnapshot;
  events: EventEnvelope[];
}

/** The meeting's log does not replay: an event was altered, lost or is out of order. */
export class BrokenLogError extends Error {
  override readonly name = 'BrokenLogError';
  constructor(
    readonly meetingId: string,
    readonly replayError: ReplayError,
  ) {
    super(
      i18n.t('storage.brokenLog', {
        meetingId,
        seq: replayError.seq ?? replayError.index + 1,
        message: replayError.message,
        code: replayError.code,
      }),
    );
  }
}

export interface MeetingStoreOptions {
  /** Written into every envelope; see ensureDeviceId. */
  deviceId: string;
  /** The clock; each event's `at` is isoWithOffset(now()), or the previous event's if the clock went back. */
  now?: () => Date;
}

/** The last event of a meeting's log, the machine's state after it, and the meeting row written with it. */
interface Head {
  snapshot: MeetingSnapshot;
  seq: number;
  hash: string;
  /** The time of the last event: the next is never sealed earlier. */
  at: string;
  row: MeetingRow;
}

export class MeetingStore {
  private readonly db: KioskDb;
  private deviceId: string;
  private readonly now: () => Date;
  /** Heads this store has written or loaded; re-checked against the database inside every write. */
  private readonly heads = new Map<string, Head>();
  /** Writes run one at a time, so two fast taps cannot both be checked against the same state. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(db: KioskDb, options: MeetingStoreOptions) {
    this.db = db;
    this.deviceId = options.deviceId;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * The tablet was enrolled again under a new device id (the records service never enrols an id twice):
   * events written from now on name it. Those already written keep the id they were sealed with.
   */
  writeAs(deviceId: string): void {
    this.deviceId = deviceId;
  }

  /** Opens a new meeting with its first event. Only one meeting may be open on the tablet at a time. */
  createMeeting(opened: EventOf<'meeting.opened'>): Promise<CreateMeetingResult> {
    return this.serialised(() => this.createNow(opened));
  }

  /**
   * Makes a meeting prepared on the records service this tablet's. Its log (already synced: the service wrote
   * it) is replayed and verified, `next` (the claim of custody) is checked and sealed after it, and `decide`
   * is asked what becomes of that event (it sends the claim, outside any transaction). Then, in one
   * transaction and only if no meeting is open on the tablet, the log keeps its ids and chain as the meeting's
   * own, with `next` after it. A refusal writes nothing.
   */
  adopt(
    events: readonly EventEnvelope[],
    next: DomainEvent,
    decide: (envelope: EventEnvelope) => Promise<AdoptDecision>,
  ): Promise<AdoptResult> {
    return this.serialised(() => this.adoptNow(events, next, decide));
  }

  /** Checks `event` against the meeting's current step and, if the machine takes it, writes it. */
  append(meetingId: string, event: DomainEvent): Promise<AppendResult> {
    return this.serialised(() => this.appendNow(meetingId, event, true));
  }

  /**
   * The meeting's log and its current snapshot. The stored snapshot is used when it is of this version
   * and was taken after the last event; otherwise the log is replayed (and the snapshot rewritten).
   * Throws BrokenLogError when the log does not replay.
   */
  async load(meetingId: string): Promise<LoadedMeeting | null> {
    const { db } = this;
    const [row, stored, storedSnapshot] = await db.transaction(
      'r',
      [db.meetings, db.events, db.snapshots],
      () => Promise.all([db.meetings.get(meetingId), this.readLog(meetingId), db.snapshots.get(meetingId)]),
    );
    if (!row || stored.length === 0) return null;
    const events = stored.map(envelopeOf);
    const last = events.at(-1);
    const headSeq = last?.seq ?? 0;
    const headHash = last?.hash ?? GENESIS_HASH;
    const headAt = last?.at ?? '';

    const restored =
      storedSnapshot && storedSnapshot.headSeq === headSeq ? restoreSnapshot(storedSnapshot) : null;
    if (restored) {
      this.remember(meetingId, { snapshot: restored, seq: headSeq, hash: headHash, at: headAt, row });
      return { snapshot: restored, events };
    }

    // A log sealed before times were kept from running backwards may hold such a step; it stays readable.
    const replayed = await replay(events, { allowBackwardsTime: true });
    if (!replayed.ok) {
      this.heads.delete(meetingId);
      throw new BrokenLogError(meetingId, replayed.error);
    }
    const snapshot = replayed.snapshot;
    this.remember(meetingId, { snapshot, seq: headSeq, hash: headHash, at: headAt, row });
    // Repair the stored snapshot for next time, unless an event was appended meanwhile. A failure here
    // loses nothing (the log is intact), so it is not an error.
    await db
      .transaction('rw', [db.events, db.snapshots], async () => {
        if ((await this.lastEvent(meetingId))?.seq === headSeq) {
          await db.snapshots.put(snapshotRow(meetingId, headSeq, snapshot));
        }
      })
      .catch(() => undefined);
    return { snapshot, events };
  }

  /** The meeting that is open on this tablet, if any. */
  openMeeting(): Promise<MeetingRow | undefined> {
    return findOpenMeeting(this.db);
  }

  /** Every meeting on the tablet, newest first. */
  list(): Promise<MeetingRow[]> {
    return listMeetings(this.db);
  }

  /** A meeting's log, in order, exactly as sealed. */
  async events(meetingId: string): Promise<EventEnvelope[]> {
    return (await this.readLog(meetingId)).map(envelopeOf);
  }

  /** Events not yet acknowledged by the records service, oldest first (per meeting, in log order). */
  async pendingOutbox(limit = 100): Promise<EventEnvelope[]> {
    const { db } = this;
    const stored = await db.transaction('r', [db.outbox, db.events], async () => {
      const rows: OutboxRow[] = await db.outbox.orderBy('id').limit(limit).toArray();
      return db.events.bulkGet(rows.map((r): [string, number] => [r.meetingId, r.seq]));
    });
    return stored.filter((e): e is StoredEvent => e !== undefined).map(envelopeOf);
  }

  /** The records service has acknowledged these events: drop their outbox rows and note when. */
  async markSynced(eventIds: readonly string[], at: string): Promise<void> {
    if (eventIds.length === 0) return;
    const { db } = this;
    await db.transaction('rw', [db.outbox, db.events], async () => {
      await db.outbox.where('eventId').anyOf(eventIds).delete();
      await db.events.where('id').anyOf(eventIds).modify({ syncedAt: at });
    });
  }

  // ------------------------------------------------------------------ internals

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private logOf(meetingId: string) {
    return this.db.events
      .where('[meetingId+seq]')
      .between([meetingId, Dexie.minKey], [meetingId, Dexie.maxKey]);
  }

  private readLog(meetingId: string): Promise<StoredEvent[]> {
    return this.logOf(meetingId).toArray();
  }

  private lastEvent(meetingId: string): Promise<StoredEvent | undefined> {
    return this.logOf(meetingId).last();
  }

  /** Keeps the newest head known (a slow load must not replace the head of a later append). */
  private remember(meetingId: string, head: Head): void {
    const known = this.heads.get(meetingId);
    if (!known || known.seq <= head.seq) this.heads.set(meetingId, head);
  }

  /** The head this store knows, or the one in the database. */
  private async headOf(meetingId: string): Promise<Head | null> {
    const known = this.heads.get(meetingId);
    if (known) return known;
    const loaded = await this.load(meetingId);
    if (!loaded) return null;
    return this.heads.get(meetingId) ?? null;
  }

  private async createNow(opened: EventOf<'meeting.opened'>): Promise<CreateMeetingResult> {
    const stepped = step(initialSnapshot(), opened);
    if (!stepped.ok) return stepped;
    const meetingId = uuidv7();
    const envelope = await sealEvent(null, opened, this.meta(meetingId));
    const { meeting, profileId } = opened.payload;
    const row: MeetingRow = {
      id: meetingId,
      status: 'open',
      title: meeting.title,
      kind: meeting.kind,
      profileId,
      createdAt: envelope.at,
      closedAt: null,
      headSeq: envelope.seq,
      headHash: envelope.hash,
      phase: phaseOf(stepped.snapshot),
      updatedAt: envelope.at,
    };
    const { db } = this;
    try {
      const isWritten = await db.transaction(
        'rw',
        [db.events, db.outbox, db.snapshots, db.meetings],
        async () => {
          // Checked inside the transaction, so two tabs cannot both open a meeting.
          if ((await db.meetings.where('status').equals('open').count()) > 0) return false;
          await Promise.all([...writeEvent(db, envelope, stepped.snapshot), db.meetings.add(row)]);
          return true;
        },
      );
      if (!isWritten) return { ok: false, rejection: alreadyOpen() };
    } catch (error) {
      return { ok: false, rejection: storageRejection(error) };
    }
    this.heads.set(meetingId, {
      snapshot: stepped.snapshot,
      seq: envelope.seq,
      hash: envelope.hash,
      at: envelope.at,
      row,
    });
    return { ok: true, snapshot: stepped.snapshot, envelope, meetingId };
  }

  private async adoptNow(
    events: readonly EventEnvelope[],
    next: DomainEvent,
    decide: (envelope: EventEnvelope) => Promise<AdoptDecision>,
  ): Promise<AdoptResult> {
    const replayed = await replay(events);
    // The machine takes nothing before meeting.opened, so a log that replays begins with it.
    const first = replayed.ok ? replayed.events[0] : undefined;
    if (!replayed.ok || first?.type !== 'meeting.opened') {
      const replayError: ReplayError = replayed.ok
        ? { code: 'bad-seq', index: 0, eventId: null, seq: null, message: 'The log is empty.' }
        : replayed.error;
      return {
        ok: false,
        rejection: {
          code: 'broken-log',
          message: new BrokenLogError(events[0]?.meetingId ?? '', replayError).message,
          replayError,
        },
      };
    }
    const meetingId = first.meetingId;
    const { db } = this;
    const isTaken = async () =>
      (await db.meetings.where('status').equals('open').count()) > 0 ||
      (await db.meetings.get(meetingId)) !== undefined;
    try {
      if (await isTaken()) return { ok: false, rejection: alreadyOpen() };
    } catch (error) {
      return { ok: false, rejection: storageRejection(error) };
    }
    const stepped = step(replayed.snapshot, next);
    if (!stepped.ok) return stepped;
    const last = replayed.events.at(-1) ?? first;
    const meta = this.meta(meetingId, last.at);
    const untimely = checkEventTime(replayed.snapshot.context, next, meta.at);
    if (untimely) return { ok: false, rejection: untimely };
    const envelope = await sealEvent({ seq: last.seq, hash: last.hash }, next, meta);
    const decision = await decide(envelope);
    if (decision.kind === 'refused') {
      return { ok: false, rejection: { code: 'claim-refused', message: decision.message } };
    }
    const snapshot = stepped.snapshot;
    const details = first.payload;
    const row: MeetingRow = {
      id: meetingId,
      status: 'open',
      title: details.meeting.title,
      kind: details.meeting.kind,
      profileId: details.profileId,
      createdAt: first.at,
      closedAt: null,
      headSeq: envelope.seq,
      headHash: envelope.hash,
      phase: phaseOf(snapshot),
      updatedAt: envelope.at,
    };
    const syncedAt = decision.kind === 'acknowledged' ? decision.at : null;
    try {
      const isWritten = await db.transaction(
        'rw',
        [db.events, db.outbox, db.snapshots, db.meetings],
        async () => {
          // Checked again inside the transaction, so two tabs cannot both open a meeting.
          if (await isTaken()) return false;
          await Promise.all([
            // The service's own events are already held by it: they never enter the outbox.
            db.events.bulkAdd(replayed.events.map((e) => ({ ...e, syncedAt: meta.at }))),
            db.events.add({ ...envelope, syncedAt }),
            ...(syncedAt === null
              ? [db.outbox.add({ eventId: envelope.id, meetingId, seq: envelope.seq })]
              : []),
            db.snapshots.put(snapshotRow(meetingId, envelope.seq, snapshot)),
            db.meetings.add(row),
          ]);
          return true;
        },
      );
      if (!isWritten) return { ok: false, rejection: alreadyOpen() };
    } catch (error) {
      return { ok: false, rejection: storageRejection(error) };
    }
    this.heads.set(meetingId, { snapshot, seq: envelope.seq, hash: envelope.hash, at: envelope.at, row });
    return { ok: true, snapshot, envelope, isAcknowledged: syncedAt !== null };
  }

  private async appendNow(meetingId: string, event: DomainEvent, mayRetry: boolean): Promise<AppendResult> {
    let head: Head | null;
    try {
      head = await this.headOf(meetingId);
    } catch (error) {
      if (error instanceof BrokenLogError) {
        return { ok: false, rejection: { code: 'broken-log', message: error.message } };
      }
      return { ok: false, rejection: storageRejection(error) };
    }
    if (!head) {
      return {
        ok: false,
        rejection: { code: 'unknown-meeting', message: i18n.t('storage.unknownMeeting') },
      };
    }

    const meta = this.meta(meetingId, head.at);
    // What depends on the moment of sealing is said as the rules hold it at that moment (see asSealedAt).
    const written = asSealedAt(head.snapshot.context, event, meta.at);
    const stepped = step(head.snapshot, written);
    if (!stepped.ok) return stepped;
    const untimely = checkEventTime(head.snapshot.context, written, meta.at);
    if (untimely) return { ok: false, rejection: untimely };
    const previous = head.seq === 0 ? null : { seq: head.seq, hash: head.hash };
    const envelope = await sealEvent(previous, written, meta);
    const snapshot = stepped.snapshot;
    const phase = phaseOf(snapshot);
    const row: MeetingRow = {
      ...head.row,
      headSeq: envelope.seq,
      headHash: envelope.hash,
      phase,
      status: phase === 'closed' || phase === 'discarded' ? phase : head.row.status,
      closedAt: phase === 'closed' || phase === 'discarded' ? envelope.at : head.row.closedAt,
      updatedAt: envelope.at,
    };

    const { db } = this;
    // Issue 16: a closing event seals the meeting's waiting events (before the transaction: Web Crypto).
    const isClosing = row.status !== 'open' && head.row.status === 'open';
    const sealed = isClosing ? await sealOnClose(db, meetingId, envelope, envelope.at) : null;
    try {
      // Every write is issued at once, with no read first: the tap is durable after one round trip to
      // IndexedDB. The check that nobody else wrote to this meeting since our head is the event's own key:
      // `add` of [meetingId+seq] fails if that number is taken (events are never deleted, and each append
      // adds exactly the next number), and the failure aborts the whole transaction.
      await db.transaction('rw', [db.events, db.outbox, db.snapshots, db.meetings, db.sealed], () =>
        Promise.all([
          ...writeEvent(db, envelope, snapshot),
          db.meetings.put(row),
          ...(sealed ? [db.sealed.bulkAdd(sealed)] : []),
        ]),
      );
    } catch (error) {
      // Nothing of this event was written (the transaction aborted); forget our head in case it was
      // the cause, so the next attempt starts from what is really stored.
      this.heads.delete(meetingId);
      if (!isTakenKey(error)) return { ok: false, rejection: storageRejection(error) };
      // Another tab (or store) wrote to this meeting since we read it: our check is out of date.
      if (mayRetry) return this.appendNow(meetingId, event, false);
      return {
        ok: false,
        rejection: {
          code: 'concurrent-change',
          message: i18n.t('storage.concurrentChange'),
        },
      };
    }
    this.heads.set(meetingId, { snapshot, seq: envelope.seq, hash: envelope.hash, at: envelope.at, row });
    return { ok: true, snapshot, envelope };
  }

  /**
   * The envelope's meeting, device and time. Within a meeting time never runs backwards (the records
   * service refuses a log that does): if the clock was set back since the previous event, the event is
   * sealed at the previous event's time instead.
   */
  private meta(meetingId: string, previousAt: string | null = null) {
    const now = isoWithOffset(this.now());
    const isClockBehind = previousAt !== null && Date.parse(now) < Date.parse(previousAt);
    return { meetingId, deviceId: this.deviceId, at: isClockBehind ? previousAt : now };
  }
}

/**
 * Issues the writes of an event, its outbox row and the snapshot after it, all at once (await them
 * together inside a 'rw' transaction; any failure aborts it).
 */
function writeEvent(db: KioskDb, envelope: EventEnvelope, snapshot: MeetingSnapshot): Promise<unknown>[] {
  return [
    // add, not put: [meetingId+seq] and id are keys, so an event can never be overwritten.
    db.events.add({ ...envelope, syncedAt: null }),
    db.outbox.add({ eventId: envelope.id, meetingId: envelope.meetingId, seq: envelope.seq }),
    db.snapshots.put(snapshotRow(envelope.meetingId, envelope.seq, snapshot)),
  ];
}

/** The write failed because a key was already taken (IndexedDB's ConstraintError), however Dexie wraps it. */
function isTakenKey(error: unknown): boolean {
  return errorChain(error).some((e) => e.name === 'ConstraintError');
}

function snapshotRow(meetingId: string, headSeq: number, snapshot: MeetingSnapshot): SnapshotRow {
  return { meetingId, headSeq, ...persistSnapshot(snapshot) };
}

function isQuotaError(error: unknown): boolean {
  return errorChain(error).some(
    (e) => e.name === 'QuotaExceededError' || (typeof e.message === 'string' && /quota/i.test(e.message)),
  );
}

function alreadyOpen(): StoreRejection {
  return { code: 'meeting-already-open', message: i18n.t('storage.alreadyOpen') };
}

function storageRejection(error: unknown): StoreRejection {
  if (isQuotaError(error)) {
    return { code: 'storage-full', message: i18n.t('storage.full') };
  }
  const detail = errorChain(error)
    .map((e) => `${String(e.name ?? 'Error')}: ${String(e.message ?? '')}`)
    .join(' <- ');
  return {
    code: 'storage-failed',
    message: i18n.t('storage.failed', { detail }),
  };
}
