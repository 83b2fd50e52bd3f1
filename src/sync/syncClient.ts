/**
 * The outbox pusher: sends the tablet's unacknowledged events to the records service, in outbox order, in
 * batches of at most MAX_SYNC_BATCH, with never more than one request in flight (PITFALLS 18: no Background
 * Sync in Safari or Firefox, so the app drives it). It runs on start, when the browser comes online, after
 * each new event, on a timer and on "Sync now". Failures that may pass (network, 5xx) back off exponentially
 * with full jitter; answers that will not change by retrying (409, 422, other 4xx) are recorded and wait for
 * "Sync now"; a 401 stops the pusher until the tablet is enrolled again.
 *
 * Each batch gets an Idempotency-Key (a UUID) that is stored with the batch's event ids BEFORE the request
 * and deleted in the same transaction that marks the events synced, so a crash or a lost response between
 * send and ack re-sends the same events with the same key (PITFALLS 19).
 */
import { isoWithOffset } from '../domain/chain';
import type { EventEnvelope } from '../domain/events';
import {
  errorResponseSchema,
  MAX_BODY_BYTES,
  MAX_SYNC_BATCH,
  PROTOCOL_VERSION,
  syncResponseSchema,
} from '../domain/protocol';
import type { KioskDb, StoredEvent } from '../storage/db';
import type { MeetingStore } from '../storage/meetingStore';
import {
  apiUrl,
  type Enrolment,
  type EnrolResult,
  enrol,
  markStopped,
  normaliseServerUrl,
  readEnrolment,
  readServerUrl,
} from './enrolment';

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;
export const PERIODIC_MS = 60_000;
/** A request that takes longer than this is abandoned (and retried with the same key). */
export const REQUEST_TIMEOUT_MS = 30_000;

export const BATCH_KEY = 'sync.pendingBatch';
export const LOG_KEY = 'sync.log';

export type SyncPhase =
  /** No token yet: nothing is sent. */
  | 'not-enrolled'
  | 'idle'
  | 'syncing'
  /** A push failed in a way that may pass; the next try is at `nextRetryAt`. */
  | 'retrying'
  /** The service refused a batch (409, 422, other 4xx); only "Sync now" tries again. */
  | 'blocked'
  /** 401: the device was revoked, or its token is not known. Only a new enrolment helps. */
  | 'revoked'
  | 'unauthorised';

export interface SyncProblem {
  /** A protocol error code, or 'network' | 'timeout' | 'bad-response' | 'http-<status>'. */
  code: string;
  /** The service's own words (for the detail line), or the browser's. */
  message: string;
  at: string;
  status?: number;
  /** The meeting of the event the service named, when it named one. */
  meetingId?: string;
  eventId?: string;
}

export interface SyncStatus {
  phase: SyncPhase;
  isStarted: boolean;
  /** Where the tablet sends (the enrolled service), or where it would enrol. */
  serverUrl: string;
  serverDeviceId: string | null;
  enrolledAt: string | null;
  /** Events in the outbox (all meetings). */
  pending: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: SyncProblem | null;
  nextRetryAt: string | null;
  /** Consecutive failed attempts since the last success. */
  attempt: number;
}

export interface MeetingSyncStatus {
  phase: SyncPhase;
  pending: number;
  /** When the service last acknowledged an event of this meeting. */
  lastSuccessAt: string | null;
  /** The last error, when it concerns this meeting and it still has events waiting. */
  lastError: SyncProblem | null;
}

export type SyncOutcome =
  | { kind: 'synced'; sent: number }
  | { kind: 'nothing-to-send' }
  | { kind: 'not-enrolled' }
  | { kind: 'stopped'; reason: 'revoked' | 'unauthorised'; error: SyncProblem | null }
  | { kind: 'failed'; error: SyncProblem; willRetry: boolean; sent: number };

export interface SyncEngineDeps {
  store: MeetingStore;
  db: KioskDb;
  fetch: typeof fetch;
  now: () => Date;
  random: () => number;
  /** The default records service address (the app's own origin). */
  serverUrl: string;
  /** Where 'online' events come from; defaults to `window` when there is one. */
  onlineEvents?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
  /** This tablet's own id, sent at enrolment; read from the database when left out. */
  deviceId?: string;
  /**
   * False when the browser surely has no network (navigator.onLine): automatic pushes then wait for the
   * 'online' event instead of failing and backing off. Defaults to navigator.onLine where there is one.
   */
  isOnline?: () => boolean;
}

interface PendingBatch {
  idempotencyKey: string;
  eventIds: string[];
}

interface SyncLog {
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: SyncProblem | null;
}

type Trigger = 'start' | 'online' | 'new-event' | 'timer' | 'retry' | 'manual' | 'enrolled';

type SendResult =
  | { ok: true; acknowledged: string[] }
  | { ok: false; problem: SyncProblem; kind: 'transient' | 'blocked' | 'revoked' | 'unauthorised' };

/** Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): uniform in [0, min(cap, base·2^n)). */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export class SyncEngine {
  private readonly deps: SyncEngineDeps;
  private readonly listeners = new Set<() => void>();
  private current: SyncStatus;
  private flight: Promise<SyncOutcome> | null = null;
  private isAgainWanted = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private periodicTimer: ReturnType<typeof setInterval> | null = null;
  private isLoaded = false;
  private loading: Promise<void> | null = null;

  constructor(deps: SyncEngineDeps) {
    this.deps = deps;
    this.current = {
      phase: 'not-enrolled',
      isStarted: false,
      serverUrl: deps.serverUrl,
      serverDeviceId: null,
      enrolledAt: null,
      pending: 0,
      lastAttemptAt: null,
      lastSuccessAt: null,
      lastError: null,
      nextRetryAt: null,
      attempt: 0,
    };
  }

  status(): SyncStatus {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Starts the timer and the 'online' listener, and pushes what is waiting. */
  start(): void {
    if (this.current.isStarted) return;
    this.update({ isStarted: true });
    this.periodicTimer = setInterval(() => this.trigger('timer'), PERIODIC_MS);
    this.onlineTarget()?.addEventListener('online', this.onOnline);
    this.trigger('start');
  }

  stop(): void {
    if (this.periodicTimer !== null) clearInterval(this.periodicTimer);
    this.periodicTimer = null;
    this.clearRetry();
    this.onlineTarget()?.removeEventListener('online', this.onOnline);
    this.update({ isStarted: false, nextRetryAt: null });
  }

  /** Call after each event written to the outbox. */
  notifyNewEvent(): void {
    void this.refreshPending();
    this.trigger('new-event');
  }

  /** "Sync now": tries at once, even after a refused batch; waits for any flight already under way. */
  async syncNow(): Promise<SyncOutcome> {
    this.clearRetry();
    while (this.flight) await this.flight.catch(() => undefined);
    return this.fly('manual');
  }

  /** The per-meeting view for the chair's badge. */
  async meetingStatus(meetingId: string): Promise<MeetingSyncStatus> {
    await this.ensureLoaded();
    const { db } = this.deps;
    const [pending, events] = await db.transaction('r', [db.outbox, db.events], () =>
      Promise.all([
        db.outbox.where('meetingId').equals(meetingId).count(),
        db.events.where('meetingId').equals(meetingId).toArray(),
      ]),
    );
    let lastSuccessAt: string | null = null;
    for (const e of events) {
      if (e.syncedAt && (lastSuccessAt === null || Date.parse(e.syncedAt) > Date.parse(lastSuccessAt))) {
        lastSuccessAt = e.syncedAt;
      }
    }
    const error = this.current.lastError;
    const isMine = error !== null && pending > 0 && (!error.meetingId || error.meetingId === meetingId);
    return { phase: this.current.phase, pending, lastSuccessAt, lastError: isMine ? error : null };
  }

  /** Enrols with a one-time code, then pushes what is waiting. */
  async enrol(code: string, serverUrlInput?: string): Promise<EnrolResult> {
    await this.ensureLoaded();
    const serverUrl = normaliseServerUrl(serverUrlInput ?? this.current.serverUrl);
    if (!serverUrl) return { ok: false, code: 'bad-address', message: 'That is not a web address.' };
    const deviceId = this.deps.deviceId ?? (await readDeviceId(this.deps.db));
    if (!deviceId) return { ok: false, code: 'no-device-id', message: 'This tablet has no device id yet.' };
    // A batch (and its key) from an earlier enrolment is not reused: its events are sent again under a
    // new key, and the service acknowledges events it already holds (same id, same hash).
    while (this.flight) await this.flight.catch(() => undefined);
    const result = await enrol(
      { db: this.deps.db, fetch: this.deps.fetch, now: this.deps.now, deviceId },
      code,
      serverUrl,
    );
    if (!result.ok) return result;
    await this.deps.db.settings.delete(BATCH_KEY);
    this.clearRetry();
    await this.writeLog({ lastError: null });
    this.update({
      phase: 'idle',
      serverUrl: result.enrolment.serverUrl,
      serverDeviceId: result.enrolment.serverDeviceId,
      enrolledAt: result.enrolment.enrolledAt,
      lastError: null,
      attempt: 0,
      nextRetryAt: null,
    });
    this.trigger('enrolled');
    return result;
  }

  // ------------------------------------------------------------------ internals

  private readonly onOnline = (): void => {
    this.trigger('online');
  };

  private isOnline(): boolean {
    if (this.deps.isOnline) return this.deps.isOnline();
    return typeof navigator === 'undefined' || navigator.onLine !== false;
  }

  private onlineTarget(): Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null {
    if (this.deps.onlineEvents !== undefined) return this.deps.onlineEvents;
    return typeof window === 'undefined' ? null : window;
  }

  private update(patch: Partial<SyncStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener();
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** An automatic reason to push. Manual pushes go through syncNow. */
  private trigger(reason: Trigger): void {
    if (!this.current.isStarted) return;
    const { phase } = this.current;
    if (phase === 'revoked' || phase === 'unauthorised') return;
    if (phase === 'blocked' && reason !== 'enrolled') return;
    if (reason !== 'online' && !this.isOnline()) return;
    if (phase === 'retrying') {
      // While backing off, only the backoff timer, the network coming back, or a new enrolment push.
      if (reason === 'new-event' || reason === 'timer') return;
      if (reason !== 'retry') this.clearRetry();
      if (reason === 'online') this.update({ attempt: 0 });
    }
    if (this.flight) {
      this.isAgainWanted = true;
      return;
    }
    void this.fly(reason);
  }

  private fly(reason: Trigger): Promise<SyncOutcome> {
    if (this.flight) return this.flight;
    this.isAgainWanted = false;
    const flight = this.push(reason)
      .catch((error: unknown): SyncOutcome => {
        // A storage failure on the tablet: keep the outbox, try again later.
        const problem: SyncProblem = {
          code: 'tablet-storage',
          message: error instanceof Error ? error.message : String(error),
          at: isoWithOffset(this.deps.now()),
        };
        this.scheduleRetry(problem);
        return { kind: 'failed', error: problem, willRetry: true, sent: 0 };
      })
      .finally(() => {
        this.flight = null;
        if (this.isAgainWanted) {
          this.isAgainWanted = false;
          this.trigger('new-event');
        }
      });
    this.flight = flight;
    return flight;
  }

  private async ensureLoaded(): Promise<void> {
    if (this.isLoaded) return;
    this.loading ??= (async () => {
      const { db } = this.deps;
      const [enrolment, serverUrl, log] = await Promise.all([
        readEnrolment(db),
        readServerUrl(db),
        db.settings.get(LOG_KEY),
      ]);
      const saved = (log?.value ?? null) as SyncLog | null;
      this.update({
        phase: phaseOfEnrolment(enrolment),
        serverUrl: enrolment?.serverUrl ?? serverUrl ?? this.deps.serverUrl,
        serverDeviceId: enrolment?.serverDeviceId ?? null,
        enrolledAt: enrolment?.enrolledAt ?? null,
        lastAttemptAt: saved?.lastAttemptAt ?? null,
        lastSuccessAt: saved?.lastSuccessAt ?? null,
        lastError: saved?.lastError ?? (enrolment?.stoppedBy ? stoppedProblem(enrolment) : null),
      });
      this.isLoaded = true;
    })();
    await this.loading;
  }

  private async refreshPending(): Promise<void> {
    const pending = await this.deps.db.outbox.count();
    if (pending !== this.current.pending) this.update({ pending });
  }

  private async writeLog(patch: Partial<SyncLog>): Promise<void> {
    const { db } = this.deps;
    await db.transaction('rw', db.settings, async () => {
      const row = await db.settings.get(LOG_KEY);
      const log: SyncLog = {
        lastAttemptAt: null,
        lastSuccessAt: null,
        lastError: null,
        ...((row?.value ?? {}) as Partial<SyncLog>),
        ...patch,
      };
      await db.settings.put({ key: LOG_KEY, value: log });
    });
  }

  private scheduleRetry(problem: SyncProblem): void {
    const attempt = this.current.attempt + 1;
    const delay = backoffDelay(attempt, this.deps.random);
    this.clearRetry();
    const isStarted = this.current.isStarted;
    if (isStarted) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.trigger('retry');
      }, delay);
    }
    this.update({
      phase: 'retrying',
      attempt,
      lastError: problem,
      nextRetryAt: isStarted ? isoWithOffset(new Date(this.deps.now().getTime() + delay)) : null,
    });
  }

  private async push(_reason: Trigger): Promise<SyncOutcome> {
    await this.ensureLoaded();
    const { db, store } = this.deps;
    const enrolment = await readEnrolment(db);
    await this.refreshPending();
    if (!enrolment) {
      this.update({ phase: 'not-enrolled' });
      return { kind: 'not-enrolled' };
    }
    if (enrolment.stoppedBy) {
      const reason = enrolment.stoppedBy === 'device-revoked' ? 'revoked' : 'unauthorised';
      this.update({ phase: reason });
      return { kind: 'stopped', reason, error: this.current.lastError };
    }

    this.update({ phase: 'syncing', nextRetryAt: null });
    let sent = 0;
    for (;;) {
      const batch = await this.nextBatch();
      if (!batch) break;
      const at = isoWithOffset(this.deps.now());
      this.update({ lastAttemptAt: at });
      const result = await this.send(enrolment, batch.key, batch.events);
      if (!result.ok) {
        const problem = withMeeting(result.problem, batch.events);
        await this.writeLog({ lastAttemptAt: at, lastError: problem });
        await this.refreshPending();
        if (result.kind === 'transient') {
          this.scheduleRetry(problem);
          return { kind: 'failed', error: problem, willRetry: this.current.isStarted, sent };
        }
        if (result.kind === 'revoked' || result.kind === 'unauthorised') {
          await markStopped(db, result.kind === 'revoked' ? 'device-revoked' : 'unauthorised', at);
          this.clearRetry();
          this.update({ phase: result.kind, lastError: problem, nextRetryAt: null });
          return { kind: 'stopped', reason: result.kind, error: problem };
        }
        this.clearRetry();
        this.update({ phase: 'blocked', lastError: problem, nextRetryAt: null });
        return { kind: 'failed', error: problem, willRetry: false, sent };
      }
      const batchIds = new Set(batch.events.map((e) => e.id));
      const acknowledged = result.acknowledged.filter((id) => batchIds.has(id));
      const syncedAt = isoWithOffset(this.deps.now());
      // The ack and the end of the batch's key are one transaction: either both happened or neither.
      await db.transaction('rw', [db.outbox, db.events, db.settings], async () => {
        await store.markSynced(acknowledged, syncedAt);
        await db.settings.delete(BATCH_KEY);
      });
      sent += acknowledged.length;
      await this.writeLog({ lastAttemptAt: at, lastSuccessAt: syncedAt, lastError: null });
      this.update({ lastSuccessAt: syncedAt, lastError: null, attempt: 0 });
      await this.refreshPending();
      // The service answered 200 but took none of the batch: do not loop on it.
      if (acknowledged.length === 0) break;
    }
    const isEmpty = this.current.pending === 0;
    if (isEmpty && this.current.lastError) {
      await this.writeLog({ lastError: null });
      this.update({ lastError: null });
    }
    this.update({ phase: 'idle', attempt: 0, nextRetryAt: null });
    return sent > 0 ? { kind: 'synced', sent } : { kind: 'nothing-to-send' };
  }

  /** The batch waiting for an ack (same events, same key), or a new one from the head of the outbox. */
  private async nextBatch(): Promise<{ key: string; events: EventEnvelope[] } | null> {
    const { db, store } = this.deps;
    const saved = (await db.settings.get(BATCH_KEY))?.value as PendingBatch | undefined;
    if (saved && typeof saved.idempotencyKey === 'string' && Array.isArray(saved.eventIds)) {
      const [rows, stored] = await db.transaction('r', [db.outbox, db.events], () =>
        Promise.all([
          db.outbox.where('eventId').anyOf(saved.eventIds).count(),
          db.events.where('id').anyOf(saved.eventIds).toArray(),
        ]),
      );
      if (rows === saved.eventIds.length && stored.length === saved.eventIds.length) {
        const byId = new Map(stored.map((e) => [e.id, envelopeOf(e)]));
        const events = saved.eventIds.map((id) => byId.get(id)).filter((e) => e !== undefined);
        return { key: saved.idempotencyKey, events };
      }
      // Acknowledged already (or partly): the key has done its work.
      await db.settings.delete(BATCH_KEY);
    }
    const events = fitBody(await store.pendingOutbox(MAX_SYNC_BATCH));
    if (events.length === 0) return null;
    const key = globalThis.crypto.randomUUID();
    await db.settings.put({
      key: BATCH_KEY,
      value: { idempotencyKey: key, eventIds: events.map((e) => e.id) } satisfies PendingBatch,
    });
    return { key, events };
  }

  private async send(enrolment: Enrolment, key: string, events: EventEnvelope[]): Promise<SendResult> {
    const at = isoWithOffset(this.deps.now());
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    let response: Response;
    let body: unknown;
    try {
      response = await this.deps.fetch(apiUrl(enrolment.serverUrl, '/api/v1/sync'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          authorization: `Bearer ${enrolment.deviceToken}`,
          'idempotency-key': key,
        },
        body: JSON.stringify({
          protocolVersion: PROTOCOL_VERSION,
          deviceId: enrolment.serverDeviceId,
          events,
        }),
        signal: controller.signal,
      });
      body = await response.json().catch(() => undefined);
    } catch (error) {
      const isTimeout = controller.signal.aborted;
      return {
        ok: false,
        kind: 'transient',
        problem: {
          code: isTimeout ? 'timeout' : 'network',
          message: error instanceof Error ? error.message : String(error),
          at,
        },
      };
    } finally {
      clearTimeout(timer);
    }

    if (response.ok) {
      const parsed = syncResponseSchema.safeParse(body);
      if (!parsed.success) {
        return {
          ok: false,
          kind: 'transient',
          problem: { code: 'bad-response', message: 'The answer was not a sync response.', at },
        };
      }
      return { ok: true, acknowledged: parsed.data.acknowledged.map((a) => a.id) };
    }

    const status = response.status;
    const parsed = errorResponseSchema.safeParse(body);
    let problem: SyncProblem;
    if (parsed.success) {
      const { code, message, eventId, index } = parsed.data.error;
      const named = eventId ?? (index === undefined ? undefined : events[index]?.id);
      problem = { code, message, at, status, ...(named ? { eventId: named } : {}) };
    } else {
      problem = { code: `http-${status}`, message: response.statusText || `HTTP ${status}`, at, status };
    }
    if (status === 401) {
      return { ok: false, kind: problem.code === 'device-revoked' ? 'revoked' : 'unauthorised', problem };
    }
    if (status >= 500 || status === 408 || status === 429) return { ok: false, kind: 'transient', problem };
    return { ok: false, kind: 'blocked', problem };
  }
}

function phaseOfEnrolment(enrolment: Enrolment | null): SyncPhase {
  if (!enrolment) return 'not-enrolled';
  if (enrolment.stoppedBy === 'device-revoked') return 'revoked';
  if (enrolment.stoppedBy === 'unauthorised') return 'unauthorised';
  return 'idle';
}

function stoppedProblem(enrolment: Enrolment): SyncProblem {
  return {
    code: enrolment.stoppedBy ?? 'unauthorised',
    message: '',
    at: enrolment.stoppedAt ?? enrolment.enrolledAt,
    status: 401,
  };
}

function withMeeting(problem: SyncProblem, events: readonly EventEnvelope[]): SyncProblem {
  if (!problem.eventId) return problem;
  const event = events.find((e) => e.id === problem.eventId);
  return event ? { ...problem, meetingId: event.meetingId } : problem;
}

/** Trims a batch from the end until its body fits the service's limit (signatures make events large). */
function fitBody(events: EventEnvelope[]): EventEnvelope[] {
  const encoder = new TextEncoder();
  const sizeOf = (e: EventEnvelope) => encoder.encode(JSON.stringify(e)).length + 1;
  const budget = MAX_BODY_BYTES - 256;
  let total = 0;
  let count = 0;
  for (const event of events) {
    total += sizeOf(event);
    if (total > budget && count > 0) break;
    count += 1;
  }
  return events.slice(0, count);
}

function envelopeOf(stored: StoredEvent): EventEnvelope {
  const { syncedAt: _syncedAt, ...envelope } = stored;
  return envelope as EventEnvelope;
}

async function readDeviceId(db: KioskDb): Promise<string | null> {
  const row = await db.settings.get('deviceId');
  return typeof row?.value === 'string' ? row.value : null;
}
