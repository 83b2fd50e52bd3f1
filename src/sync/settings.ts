/**
 * The settings rows that sync owns, each with its type (src/storage/settings.ts): only this folder reads or
 * writes them, through these accessors. Kept apart (with no runtime import of the rest of sync) so that the
 * app shell can ask whether the tablet is enrolled without loading the sync code.
 */
import { isRecord, setting } from '../storage/settings';
import type { Enrolment } from './enrolment';
import { BATCH_KEY, ENROLMENT_KEY, LOG_KEY, PREPARED_KEY, QUARANTINE_KEY, SERVER_URL_KEY } from './keys';
import type { QuarantineMap, SyncLog } from './push';

const isString = (value: unknown): value is string => typeof value === 'string';

/** An enrolment as stored; written before `stoppedBy` existed, it may lack it (readEnrolment fills it in). */
export type StoredEnrolment = Omit<Enrolment, 'stoppedBy' | 'stoppedAt'> &
  Partial<Pick<Enrolment, 'stoppedBy' | 'stoppedAt'>>;

/** The enrolment: the service's address, the device token, and whether the service stopped it. */
export const enrolmentSetting = setting(
  ENROLMENT_KEY,
  (value): value is StoredEnrolment =>
    isRecord(value) &&
    isString(value.serverUrl) &&
    isString(value.serverDeviceId) &&
    isString(value.deviceToken) &&
    isString(value.deviceId) &&
    isString(value.enrolledAt),
);

/** The address the chair chose last, for the next enrolment. */
export const serverUrlSetting = setting(SERVER_URL_KEY, isString);

/** The batch waiting for an ack: its Idempotency-Key and event ids, written before the request. */
export interface PendingBatch {
  idempotencyKey: string;
  meetingId: string;
  eventIds: string[];
  /** A sealed batch's key ([meetingId, firstSeq]): a closed meeting is sent sealed. */
  sealed?: [string, number];
}

export const batchSetting = setting(
  BATCH_KEY,
  (value): value is PendingBatch =>
    isRecord(value) &&
    isString(value.idempotencyKey) &&
    isString(value.meetingId) &&
    Array.isArray(value.eventIds) &&
    value.eventIds.every(isString) &&
    (value.sealed === undefined ||
      (Array.isArray(value.sealed) && isString(value.sealed[0]) && typeof value.sealed[1] === 'number')),
);

/** When the tablet last tried and last succeeded, and the last problem, so a reload still shows them. */
export const logSetting = setting(LOG_KEY, (value): value is Partial<SyncLog> => isRecord(value));

/** Meetings the records service refused, with its code and message, by meeting id. */
export const quarantineSetting = setting(
  QUARANTINE_KEY,
  (value): value is QuarantineMap =>
    isRecord(value) && Object.values(value).every((q) => isRecord(q) && isString(q.meetingId)),
);

/** A prepared meeting whose log was not kept: it did not verify (the replay's error code). */
export interface RejectedPrepared {
  meetingId: string;
  title: string;
  code: string;
  at: string;
}

/** When prepared meetings were last pulled (src/sync/prepared.ts), and the logs that were not kept. */
export interface PreparedStatus {
  lastPulledAt: string;
  rejected: RejectedPrepared[];
}

export const preparedSetting = setting(
  PREPARED_KEY,
  (value): value is PreparedStatus =>
    isRecord(value) &&
    isString(value.lastPulledAt) &&
    Array.isArray(value.rejected) &&
    value.rejected.every(
      (r) => isRecord(r) && isString(r.meetingId) && isString(r.title) && isString(r.code),
    ),
);
