/**
 * Meetings prepared in the office (issue 19): the records service writes the start of a meeting's log
 * (meeting.opened, the invited attendees, an advance request and what followed it) under its own device id,
 * through the same machine and rules as the tablet; a tablet then takes the log over with `custody.claimed`
 * and is its only writer from then on.
 *
 *   GET  /api/v1/prepared                  Authorization: Bearer <token>        -> 200 PreparedListResponse
 *   POST /api/v1/prepared/:meetingId/claim Authorization, Idempotency-Key
 *                                          ClaimRequest                          -> 200 ClaimResponse
 * Errors as sync (errorResponseSchema): 'not-prepared' (404), 'not-for-this-device' (403), 'meeting-claimed'
 * (409, with `claimedBy`, the label of the tablet that has it).
 */
import { z } from 'zod/mini';
import { type EventEnvelope, envelopeSchema } from './events';
import { idSchema, isoDateTimeSchema, meetingKindSchema, uuidSchema } from './model';

/** The protocol version of the prepared meetings' endpoints; sync accepts it beside version 1. */
export const PREPARED_PROTOCOL_VERSION = 2;

/**
 * The records service's own device id: the writer of a prepared meeting's events until a tablet claims it.
 * Not a UUID, so that no tablet's id (crypto.randomUUID) can ever be it; the service never enrols it.
 */
export const RECORDS_SERVICE_DEVICE_ID = 'records-service';

export const preparedMeetingSchema = z.strictObject({
  meetingId: uuidSchema,
  title: z.string(),
  kind: meetingKindSchema,
  /** The meeting's date and time (isoWithOffset). */
  startsAt: isoDateTimeSchema,
  place: z.optional(z.string()),
  /** The tablet it was prepared for; null: any tablet of the council. */
  forDeviceId: z.nullable(idSchema),
  claimedByDeviceId: z.nullable(idSchema),
  claimedByLabel: z.nullable(z.string()),
  /** The whole chain from event 1, each event checked as sync checks it. */
  events: z.array(envelopeSchema).check(z.minLength(1)),
});
export type PreparedMeeting = Omit<z.infer<typeof preparedMeetingSchema>, 'events'> & {
  events: EventEnvelope[];
};

export const preparedListResponseSchema = z.strictObject({
  protocolVersion: z.literal(PREPARED_PROTOCOL_VERSION),
  serverTime: z.string(),
  meetings: z.array(preparedMeetingSchema),
});
export type PreparedListResponse = Omit<z.infer<typeof preparedListResponseSchema>, 'meetings'> & {
  meetings: PreparedMeeting[];
};

export const claimRequestSchema = z
  .strictObject({
    protocolVersion: z.literal(PREPARED_PROTOCOL_VERSION),
    deviceId: idSchema,
    event: envelopeSchema,
  })
  .check(
    z.refine((r) => r.event.type === 'custody.claimed', {
      message: 'the event of a claim is custody.claimed',
      path: ['event', 'type'],
    }),
    z.refine((r) => r.event.deviceId === r.deviceId, {
      message: 'the claim is written by the claiming device',
      path: ['event', 'deviceId'],
    }),
  );
export type ClaimRequest = Omit<z.infer<typeof claimRequestSchema>, 'event'> & { event: EventEnvelope };

export const claimResponseSchema = z.strictObject({
  meetingId: uuidSchema,
  acknowledged: z.strictObject({ id: z.string(), seq: z.number().check(z.int()) }),
  serverTime: z.string(),
});
export type ClaimResponse = z.infer<typeof claimResponseSchema>;

// ---------------------------------------------------------------- who may write a log

/** What replay knows of a log's writers so far. */
export interface LogWriters {
  /** Event 1 was written by the records service: a meeting prepared in the office. */
  isPrepared: boolean;
  /** The tablet that claimed it (custody.claimed), or null. */
  claimedBy: string | null;
}

export const NO_WRITERS: LogWriters = { isPrepared: false, claimedBy: null };

/**
 * Whether `event` may be written by its envelope's device, given the log before it (null: it is event 1).
 * A prepared log is written by the records service alone until a tablet claims it; the claim itself is the
 * claiming tablet's, and the service writes nothing after it. Any other log never holds the service's events.
 * Returns a plain reason when it may not (the machine says whether a claim is legal now: once, before the
 * discussion begins).
 */
export function checkWriter(
  before: LogWriters | null,
  event: Pick<EventEnvelope, 'type' | 'deviceId'>,
): string | null {
  const byService = event.deviceId === RECORDS_SERVICE_DEVICE_ID;
  if (event.type === 'custody.claimed') {
    if (byService) return 'The records service cannot take over a meeting: a tablet claims it.';
    if (!before?.isPrepared) return 'Only a meeting prepared by the records service can be taken over.';
    return null;
  }
  if (before === null) return null;
  if (before.isPrepared && before.claimedBy === null && !byService)
    return 'This meeting was prepared by the records service: a tablet takes it over before writing to it.';
  if (byService && (!before.isPrepared || before.claimedBy !== null))
    return 'The records service writes only a prepared meeting, and only until a tablet takes it over.';
  return null;
}

/** The writers after `event` (which checkWriter accepted). */
export function writersAfter(
  before: LogWriters | null,
  event: Pick<EventEnvelope, 'type' | 'deviceId'>,
): LogWriters {
  if (before === null) return { isPrepared: event.deviceId === RECORDS_SERVICE_DEVICE_ID, claimedBy: null };
  return event.type === 'custody.claimed' ? { ...before, claimedBy: event.deviceId } : before;
}

/** The writers of a whole log (its events in order). */
export function writersOf(events: readonly Pick<EventEnvelope, 'type' | 'deviceId'>[]): LogWriters | null {
  let writers: LogWriters | null = null;
  for (const event of events) writers = writersAfter(writers, event);
  return writers;
}
