/**
 * Meetings prepared on the records service (issue 19): the tablet pulls them when it is enrolled and online,
 * keeps only those whose log's chain verifies, for offline use, and claims one when the chair opens it.
 *
 *   GET  /api/v1/prepared                     -> preparedListResponse (src/domain/prepared.ts)
 *   POST /api/v1/prepared/:meetingId/claim    { protocolVersion, deviceId, event } -> claimResponse
 *
 * A log that does not verify is not kept, and the chair is told which meeting and why (settings
 * 'sync.prepared'). Nothing here runs inside a Dexie transaction across a fetch.
 */
import { v4 as uuidv4 } from 'uuid';
import { z } from 'zod/mini';
import { isoWithOffset } from '../domain/chain';
import type { EventEnvelope } from '../domain/events';
import {
  claimResponseSchema,
  PREPARED_PROTOCOL_VERSION,
  type PreparedMeeting,
  preparedListResponseSchema,
  preparedMeetingSchema,
} from '../domain/prepared';
import { replay } from '../domain/replay';
import { i18n } from '../shared/i18n';
import type { KioskDb, PreparedRow } from '../storage/db';
import type { AdoptDecision } from '../storage/meetingStore';
import { apiUrl, type Enrolment, readEnrolment } from './enrolment';
import { type PreparedStatus, preparedSetting, type RejectedPrepared } from './settings';
import { REQUEST_TIMEOUT_MS, serviceError } from './transport';

/** A pull sooner than this after the last one is skipped (each sync cycle ends with one; taps make cycles). */
export const PULL_MIN_INTERVAL_MS = 50_000;

export interface PreparedDeps {
  db: KioskDb;
  fetch: typeof fetch;
  now: () => Date;
  /** False when the browser surely has no network: nothing is asked. */
  isOnline: () => boolean;
}

export type PullResult =
  | { kind: 'pulled'; kept: number; rejected: RejectedPrepared[] }
  | { kind: 'skipped'; reason: 'offline' | 'not-enrolled' | 'too-soon' }
  | { kind: 'failed'; code: string; status?: number };

export type { PreparedStatus, RejectedPrepared };

async function request(deps: PreparedDeps, enrolment: Enrolment, path: string, init: RequestInit = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await deps.fetch(apiUrl(enrolment.serverUrl, path), {
      ...init,
      headers: {
        accept: 'application/json',
        authorization: `Bearer ${enrolment.deviceToken}`,
        ...init.headers,
      },
      signal: controller.signal,
    });
    const body: unknown = await response.json().catch(() => undefined);
    return { response, body };
  } finally {
    clearTimeout(timer);
  }
}

/** The shared list schema with its meetings left unread (each is read with preparedMeetingSchema). */
const listOnlySchema = z.extend(preparedListResponseSchema, { meetings: z.array(z.unknown()) });

let lastPullAt = Number.NEGATIVE_INFINITY;

/** Forgets when the last pull was (tests; a new enrolment). */
export function resetPullClock(): void {
  lastPullAt = Number.NEGATIVE_INFINITY;
}

/**
 * Pulls the meetings prepared for this tablet, verifies each log, and keeps the good ones in `prepared`
 * (replacing what was there: a meeting no longer listed was claimed elsewhere, closed or is past).
 * `force`: even if the last pull was moments ago (the chair's "Sync now").
 */
export async function pullPrepared(deps: PreparedDeps, { force = false } = {}): Promise<PullResult> {
  const started = deps.now().getTime();
  if (!force && started - lastPullAt < PULL_MIN_INTERVAL_MS) return { kind: 'skipped', reason: 'too-soon' };
  if (!deps.isOnline()) return { kind: 'skipped', reason: 'offline' };
  const enrolment = await readEnrolment(deps.db);
  if (!enrolment || enrolment.stoppedBy) return { kind: 'skipped', reason: 'not-enrolled' };
  lastPullAt = started;

  let answer: { response: Response; body: unknown };
  try {
    answer = await request(deps, enrolment, '/api/v1/prepared', { method: 'GET' });
  } catch {
    return { kind: 'failed', code: 'network' };
  }
  if (!answer.response.ok) return { kind: 'failed', code: 'refused', status: answer.response.status };
  // The list first, then each meeting on its own: one meeting that cannot be read does not hide the others.
  const parsed = listOnlySchema.safeParse(answer.body);
  if (!parsed.success) return { kind: 'failed', code: 'bad-response' };

  const at = isoWithOffset(deps.now());
  const known = new Map((await deps.db.prepared.toArray()).map((row) => [row.meetingId, row]));
  const kept: PreparedRow[] = [];
  const rejected: RejectedPrepared[] = [];
  for (const item of parsed.data.meetings) {
    const read = preparedMeetingSchema.safeParse(item);
    if (!read.success) {
      const named = z.object({ meetingId: z.string(), title: z.string() }).safeParse(item);
      if (named.success) rejected.push({ ...named.data, code: 'bad-envelope', at });
      continue;
    }
    const meeting = read.data as PreparedMeeting;
    const events = meeting.events;
    const previous = known.get(meeting.meetingId);
    // The same head as a log already verified: keep the verified copy (a chain fixes everything before it).
    const isSame =
      previous !== undefined &&
      previous.events.length === events.length &&
      previous.events.at(-1)?.hash === events.at(-1)?.hash;
    // Prepared for another named tablet: not this tablet's to keep, whatever the list says.
    const problem =
      meeting.forDeviceId !== null && meeting.forDeviceId !== enrolment.serverDeviceId
        ? 'not-for-this-device'
        : isSame
          ? null
          : await problemOf(meeting.meetingId, events);
    if (problem) {
      rejected.push({ meetingId: meeting.meetingId, title: meeting.title, code: problem, at });
      continue;
    }
    kept.push({
      meetingId: meeting.meetingId,
      title: meeting.title,
      kind: meeting.kind,
      startsAt: meeting.startsAt,
      place: meeting.place ?? null,
      forDeviceId: meeting.forDeviceId,
      claimedByDeviceId: meeting.claimedByDeviceId,
      claimedByLabel: meeting.claimedByLabel,
      events: isSame && previous ? previous.events : events,
      pulledAt: at,
    });
  }
  const status: PreparedStatus = { lastPulledAt: at, rejected };
  const { db } = deps;
  await db.transaction('rw', [db.prepared, db.settings], async () => {
    await db.prepared.clear();
    await db.prepared.bulkPut(kept);
    await preparedSetting.write(db, status);
  });
  return { kind: 'pulled', kept: kept.length, rejected };
}

/** Why this log may not be kept, or null: every event of this meeting, from seq 1, in an unbroken chain. */
async function problemOf(meetingId: string, events: readonly EventEnvelope[]): Promise<string | null> {
  if (events.length === 0) return 'bad-seq';
  if (events.some((e) => e.meetingId !== meetingId)) return 'wrong-meeting';
  const replayed = await replay(events);
  if (!replayed.ok) return replayed.error.code;
  // Begun by the records service, and not yet taken over by another tablet: only such a log can be claimed.
  return replayed.writers?.isPrepared === true ? null : 'not-prepared';
}

/**
 * Sends the claim of a prepared meeting (the sealed custody.claimed event) and says what becomes of it: the
 * service took it, refused it (another tablet has the meeting: said in plain words, with that tablet's name),
 * or could not be asked (offline, or the service did not answer): then it goes with the ordinary sync.
 */
export async function claimPrepared(deps: PreparedDeps, event: EventEnvelope): Promise<AdoptDecision> {
  if (!deps.isOnline()) return { kind: 'pending' };
  const enrolment = await readEnrolment(deps.db);
  if (!enrolment || enrolment.stoppedBy) return { kind: 'pending' };
  let answer: { response: Response; body: unknown };
  try {
    answer = await request(deps, enrolment, `/api/v1/prepared/${encodeURIComponent(event.meetingId)}/claim`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': uuidv4() },
      body: JSON.stringify({
        protocolVersion: PREPARED_PROTOCOL_VERSION,
        // The claim is the claiming tablet's own: the id it writes into every envelope.
        deviceId: event.deviceId,
        event,
      }),
    });
  } catch {
    return { kind: 'pending' };
  }
  const { response, body } = answer;
  if (response.ok) {
    const parsed = claimResponseSchema.safeParse(body);
    return parsed.success && parsed.data.acknowledged.id === event.id
      ? { kind: 'acknowledged', at: isoWithOffset(deps.now()) }
      : { kind: 'pending' };
  }
  const error = serviceError(body);
  if (response.status === 409 && error?.code === 'meeting-claimed') {
    return {
      kind: 'refused',
      message: error.claimedBy
        ? i18n.t('prepared.claimedBy', { label: error.claimedBy })
        : i18n.t('prepared.claimedByAnother'),
    };
  }
  if (response.status === 404 && error?.code === 'not-prepared') {
    return { kind: 'refused', message: i18n.t('prepared.notPrepared') };
  }
  if (response.status === 403 && error?.code === 'not-for-this-device') {
    return { kind: 'refused', message: i18n.t('prepared.notForThisDevice') };
  }
  // Anything else (a 5xx, a 401, an answer not understood): the ordinary sync sends it and shows its fate.
  return { kind: 'pending' };
}
