/** How a rejected batch is told: a stable code, the HTTP status it maps to, and the event it names. */
import type { SyncErrorCode } from '../../src/domain';

export const STATUS_OF: Record<SyncErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503> = {
  'bad-request': 400,
  'unsupported-version': 400,
  'payload-too-large': 413,
  unauthorised: 401,
  'device-revoked': 401,
  'wrong-device': 403,
  'bad-envelope': 400,
  conflict: 409,
  'bad-seq': 422,
  gap: 422,
  'bad-prev-hash': 422,
  'bad-hash': 422,
  'illegal-transition': 422,
  'wrong-meeting': 422,
  'invalid-code': 400,
  'bad-text': 422,
  'time-backwards': 422,
  'not-custodian': 403,
  'device-exists': 409,
  'rate-limited': 429,
  'bad-seal': 422,
  'unknown-key': 422,
  starting: 503,
  'shutting-down': 503,
  'not-prepared': 404,
  'not-for-this-device': 403,
  'meeting-claimed': 409,
};

export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly detail: {
      index?: number;
      eventId?: string;
      expectedSeq?: number;
      meetingId?: string;
      receivedSeq?: number;
      /** With 'meeting-claimed': the label of the tablet that has the meeting. */
      claimedBy?: string;
    } = {},
  ) {
    super(message);
    this.name = 'SyncError';
  }
  get status() {
    return STATUS_OF[this.code];
  }
  toBody() {
    const { index, eventId, expectedSeq, claimedBy } = this.detail;
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(index !== undefined ? { index } : {}),
        ...(eventId !== undefined ? { eventId } : {}),
        ...(expectedSeq !== undefined ? { expectedSeq } : {}),
        ...(claimedBy !== undefined ? { claimedBy } : {}),
      },
    };
  }
}
