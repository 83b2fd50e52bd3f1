/**
 * The settings rows that sync owns (the settings table is a key-value store shared with the rest of the
 * tablet; each key here has one writer, this folder). Kept apart so that the app shell can read the
 * enrolment's key without loading anything else of sync.
 */

/** The enrolment (enrolment.ts): the service's address, the device token, and whether the service stopped it. */
export const ENROLMENT_KEY = 'sync.enrolment';
/** The address the chair chose last, for the next enrolment. */
export const SERVER_URL_KEY = 'sync.serverUrl';
/** The batch waiting for an ack: its Idempotency-Key and event ids, written before the request. */
export const BATCH_KEY = 'sync.pendingBatch';
/** When the tablet last tried and last succeeded, and the last problem, so a reload still shows them. */
export const LOG_KEY = 'sync.log';
/** Meetings the records service refused, with its code and message, by meeting id. */
export const QUARANTINE_KEY = 'sync.quarantine';
/** When prepared meetings were last pulled, and the logs that were not kept because they did not verify. */
export const PREPARED_KEY = 'sync.prepared';
