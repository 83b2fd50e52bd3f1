/**
 * One sync request to the records service and what its answer means for the tablet: accepted, worth
 * retrying later (the network, a timeout, 408, 429, 5xx), refused (any other 4xx: retrying the same events
 * will get the same answer), or the device itself refused (401).
 */

import { z } from 'zod/mini';
import type { EventEnvelope } from '../domain/events';
import { PROTOCOL_VERSION, syncResponseSchema } from '../domain/protocol';
import type { SealedBatch } from '../sealing/seal';
import { apiUrl, type Enrolment } from './enrolment';

/** A request that takes longer than this is abandoned (and retried with the same key). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** A Retry-After further away than this is not waited for in full: the chair can still press "Sync now". */
export const RETRY_AFTER_CAP_MS = 60 * 60_000;

export interface SyncProblem {
  /** The service's error code, or 'network' | 'timeout' | 'bad-response' | 'tablet-storage' | 'http-<status>'. */
  code: string;
  /** The service's own words (for the detail line), or the browser's. */
  message: string;
  at: string;
  status?: number;
  /** The event the service named, when it named one. */
  eventId?: string;
  /** 'meeting-claimed': the name of the tablet that has the meeting, as the service gave it. */
  claimedBy?: string;
}

export type SendResult =
  | {
      kind: 'accepted';
      acknowledged: string[];
      /** The same, with each event's meeting and number (a sealed batch's events are known only by these). */
      acks?: { id: string; meetingId: string; seq: number }[];
    }
  | { kind: 'transient'; problem: SyncProblem; retryAfterMs: number | null }
  | { kind: 'refused'; problem: SyncProblem }
  | { kind: 'revoked' | 'unauthorised'; problem: SyncProblem };

/**
 * The service's error body, read leniently: a code this app does not know yet (a newer service) is kept
 * with its message rather than lost, so the chair and an administrator still see what was said.
 */
const errorBodySchema = z.object({
  error: z.object({
    code: z.string().check(z.minLength(1), z.maxLength(100)),
    message: z.string().check(z.maxLength(2_000)),
    index: z.optional(z.number().check(z.int())),
    eventId: z.optional(z.string().check(z.maxLength(100))),
    claimedBy: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  }),
});

/** The service's error object, or null when the body is not one. */
export function serviceError(body: unknown): z.infer<typeof errorBodySchema>['error'] | null {
  const parsed = errorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error : null;
}

export interface SendDeps {
  fetch: typeof fetch;
  now: () => Date;
  /** ISO-8601 with the tablet's offset. */
  iso: (date: Date) => string;
}

export async function sendBatch(
  deps: SendDeps,
  enrolment: Enrolment,
  key: string,
  events: readonly EventEnvelope[],
  sealed: readonly SealedBatch[] = [],
): Promise<SendResult> {
  const at = deps.iso(deps.now());
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  let response: Response;
  let body: unknown;
  try {
    response = await deps.fetch(apiUrl(enrolment.serverUrl, '/api/v1/sync'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${enrolment.deviceToken}`,
        'idempotency-key': key,
      },
      // The tablet's clock as it sends: the records service compares it with its own to warn of a skewed clock.
      body: JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        deviceId: enrolment.serverDeviceId,
        events,
        // Only the wire fields: the tablet's own notes on a sealed row (when sealed, when acked) stay here.
        ...(sealed.length > 0
          ? {
              sealed: sealed.map(({ meetingId, deviceId, firstSeq, lastSeq, count, jwe }) => ({
                meetingId,
                deviceId,
                firstSeq,
                lastSeq,
                count,
                jwe,
              })),
            }
          : {}),
        sentAt: at,
      }),
      signal: controller.signal,
    });
    body = await response.json().catch(() => undefined);
  } catch (error) {
    const isTimeout = controller.signal.aborted;
    return {
      kind: 'transient',
      retryAfterMs: null,
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
        kind: 'transient',
        retryAfterMs: null,
        problem: { code: 'bad-response', message: 'The answer was not a sync response.', at },
      };
    }
    return {
      kind: 'accepted',
      acknowledged: parsed.data.acknowledged.map((a) => a.id),
      acks: parsed.data.acknowledged,
    };
  }

  const status = response.status;
  const error = serviceError(body);
  let problem: SyncProblem;
  if (error) {
    const { code, message, eventId, index, claimedBy } = error;
    const named = eventId ?? (index === undefined ? undefined : events[index]?.id);
    problem = {
      code,
      message,
      at,
      status,
      ...(named ? { eventId: named } : {}),
      ...(claimedBy ? { claimedBy } : {}),
    };
  } else {
    problem = { code: `http-${status}`, message: response.statusText || `HTTP ${status}`, at, status };
  }
  if (status === 401) {
    return { kind: problem.code === 'device-revoked' ? 'revoked' : 'unauthorised', problem };
  }
  if (status >= 500 || status === 408 || status === 429) {
    return {
      kind: 'transient',
      problem,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), deps.now()),
    };
  }
  return { kind: 'refused', problem };
}

/** Retry-After as seconds or as an HTTP date (RFC 9110 10.2.3), in ms from now; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null;
  const text = header.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1_000;
  else {
    const when = Date.parse(text);
    if (Number.isNaN(when)) return null;
    ms = when - now.getTime();
  }
  return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, ms));
}
