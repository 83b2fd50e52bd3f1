/**
 * Who held the tablet during the open meeting, kept in settings so that a reload gives it back to them
 * (written by the custody statechart, src/meeting/custodyMachine.ts). Apart from the machine so that the
 * app shell can read it at boot without loading the meeting's code.
 */
import { isRecord, setting } from './settings';

/** Who holds the tablet: the chair (or their PIN screen), an attendee answering, or the requester signing. */
export type Holder = 'chair' | 'attendee' | 'signer';

export interface SavedCustody {
  meetingId: string;
  holder: Holder;
  /** The attendee whose turn the chair took back with the PIN (their turn is not shown again). */
  tookBackFrom: string | null;
}

const HOLDERS: readonly string[] = ['chair', 'attendee', 'signer'] satisfies Holder[];

export const custodySetting = setting(
  'custody',
  (value): value is SavedCustody =>
    isRecord(value) &&
    typeof value.meetingId === 'string' &&
    typeof value.holder === 'string' &&
    HOLDERS.includes(value.holder) &&
    (value.tookBackFrom === null || typeof value.tookBackFrom === 'string'),
);
