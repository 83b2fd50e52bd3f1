/**
 * The sync protocol between the tablet and the records service, validated by both with these schemas.
 * Synced formats only grow: new optional fields and new error codes may be added; nothing is removed.
 *
 *   POST /api/v1/devices/enrol   { protocolVersion, code, label, deviceId? } -> 201 EnrolResponse
 *   POST /api/v1/sync            Authorization: Bearer <token>
 *                                Idempotency-Key: <uuid>                    -> 200 SyncResponse
 *                                { protocolVersion, deviceId, events[], sealed?[], sentAt? }
 * Every error is { error: { code, message, index?, eventId?, expectedSeq? } } with a 4xx status (429 with
 * Retry-After when rate limited).
 */
import { z } from 'zod/mini';
import { idSchema, isoDateTimeSchema, nameSchema } from './model';

export const PROTOCOL_VERSION = 1;
/**
 * The versions sync accepts: 1, and 2 (issue 19, prepared meetings: PREPARED_PROTOCOL_VERSION). Sync itself
 * is the same in both; an older tablet keeps sending 1.
 */
export const SYNC_PROTOCOL_VERSIONS = [1, 2] as const;
/** Events in one sync request; the tablet sends its outbox in batches of at most this many. */
export const MAX_SYNC_BATCH = 200;
/** The largest request body the service accepts, in bytes (a batch with signatures fits well within). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export const enrolRequestSchema = z.strictObject({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  code: z.string().check(z.trim(), z.minLength(6), z.maxLength(64)),
  label: nameSchema.check(z.maxLength(100)),
  /** The tablet's own id (ensureDeviceId), which it writes into every event envelope. Optional for old tablets. */
  deviceId: z.optional(idSchema),
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

/** The records service's public key (a JWK, RSA), given at enrolment; the tablet seals closed meetings to it. */
export const servicePublicKeySchema = z.strictObject({
  keyId: z.string().check(z.minLength(16), z.maxLength(128)),
  jwk: z.looseObject({ kty: z.literal('RSA'), n: z.string(), e: z.string() }),
});

/**
 * Fields a later service adds are ignored (not refused), so that the response can grow without breaking
 * tablets already in use.
 */
export const enrolResponseSchema = z.object({
  deviceId: idSchema,
  token: z.string().check(z.minLength(32), z.maxLength(256)),
  /** Optional: a service older than issue 16 sends none, and the tablet keeps closed meetings readable. */
  serviceKey: z.optional(servicePublicKeySchema),
  /**
   * The secret the tablet checks an admin's PIN reset codes with, offline (base64url, 32 bytes). Optional:
   * a service without PIN reset sends none, and the tablet says a reset is not available.
   */
  pinResetSecret: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/))),
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

const b64url = z.string().check(z.regex(/^[A-Za-z0-9_-]*$/), z.maxLength(MAX_BODY_BYTES));

/**
 * A closed meeting's events sealed to the service's public key (JWE, flattened JSON; see src/sealing). The
 * stated meeting, device and numbers are authenticated with the ciphertext, so the service can check the
 * count before opening and refuse a batch whose facts were changed.
 */
export const sealedBatchSchema = z.strictObject({
  meetingId: idSchema,
  deviceId: idSchema,
  firstSeq: z.number().check(z.int(), z.minimum(1)),
  lastSeq: z.number().check(z.int(), z.minimum(1)),
  count: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_SYNC_BATCH)),
  jwe: z.strictObject({
    protected: b64url,
    encrypted_key: b64url,
    iv: b64url,
    ciphertext: b64url,
    tag: b64url,
    /** Carried by the JWE, never trusted: the service authenticates against the stated facts instead. */
    aad: z.optional(b64url),
  }),
});
export type SealedBatchWire = z.infer<typeof sealedBatchSchema>;
/** Sealed batches in one sync request: their events together are still at most MAX_SYNC_BATCH. */
export const MAX_SEALED_PER_REQUEST = 8;

/**
 * Events are checked one by one on the server (envelopeSchema), so that an error can name the bad one.
 * A closed meeting's events come sealed instead (`sealed`); `events` may then be empty. The service opens
 * the sealed batches and checks what they hold exactly like plain events.
 */
export const syncRequestSchema = z
  .strictObject({
    protocolVersion: z.literal(SYNC_PROTOCOL_VERSIONS),
    deviceId: idSchema,
    events: z.array(z.unknown()).check(z.maxLength(MAX_SYNC_BATCH)),
    sealed: z.optional(z.array(sealedBatchSchema).check(z.maxLength(MAX_SEALED_PER_REQUEST))),
    /**
     * The tablet's clock when it sent the request (isoWithOffset). The service keeps it beside its own time
     * of receipt, so the admin can tell a tablet whose clock is wrong from one that synced late.
     */
    sentAt: z.optional(isoDateTimeSchema),
  })
  .check(
    z.refine(
      (r) =>
        r.events.length + (r.sealed ?? []).reduce((n, b) => n + b.count, 0) >= 1 &&
        r.events.length + (r.sealed ?? []).reduce((n, b) => n + b.count, 0) <= MAX_SYNC_BATCH,
      'between 1 and MAX_SYNC_BATCH events, plain and sealed together',
    ),
  );
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export const syncResponseSchema = z.strictObject({
  acknowledged: z.array(
    z.strictObject({ id: z.string(), meetingId: z.string(), seq: z.number().check(z.int()) }),
  ),
  serverTime: z.string(),
});
export type SyncResponse = z.infer<typeof syncResponseSchema>;

export const SYNC_ERROR_CODES = [
  'bad-request',
  'unsupported-version',
  'payload-too-large',
  'unauthorised',
  'device-revoked',
  'wrong-device',
  'bad-envelope',
  'conflict',
  'bad-seq',
  'gap',
  'bad-prev-hash',
  'bad-hash',
  'illegal-transition',
  'wrong-meeting',
  'invalid-code',
  /** A text of the event holds a control character or a lone surrogate (422, naming the event). */
  'bad-text',
  /** The event is dated earlier than the one before it in its meeting (422). */
  'time-backwards',
  /** The meeting's log is written by another device: the one that opened it, or the one an admin handed it to (403). */
  'not-custodian',
  /** Enrolment named a device id that is already enrolled: a new code enrols a new device only (409). */
  'device-exists',
  /** Too many failed attempts from this client (429, with a Retry-After header in seconds). */
  'rate-limited',
  /** A sealed batch cannot be opened, was altered, or does not hold the events it states (422). */
  'bad-seal',
  /** A sealed batch names a key this service does not hold (422): sealed to another service. */
  'unknown-key',
  /** The service is starting and not yet ready (503, with Retry-After): try again shortly. */
  'starting',
  /** The service is stopping and takes no new work (503, with Retry-After): try again shortly. */
  'shutting-down',
  /** Issue 19: no such meeting prepared by the records service (404). */
  'not-prepared',
  /** Issue 19: the meeting was prepared for a named tablet that is not this one (403). */
  'not-for-this-device',
  /** Issue 19: another tablet has taken the meeting over (409); `claimedBy` is that tablet's label. */
  'meeting-claimed',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export const errorResponseSchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(SYNC_ERROR_CODES),
    message: z.string(),
    index: z.optional(z.number().check(z.int())),
    eventId: z.optional(z.string()),
    expectedSeq: z.optional(z.number().check(z.int())),
    /** With 'meeting-claimed': the label of the tablet that has the meeting. */
    claimedBy: z.optional(z.string()),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
