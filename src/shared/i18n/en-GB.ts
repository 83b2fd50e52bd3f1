/** British English, every word: the shell's part and the meeting's part together (tests and types read it). */
import { enGBMeeting } from './en-GB.meeting';
import { enGBRelay } from './en-GB.relay';
import { enGBShell } from './en-GB.shell';

export const enGB = {
  ...enGBShell,
  ...enGBMeeting,
  ...enGBRelay,
  reject: { ...enGBMeeting.reject, ...enGBRelay.reject },
};

export type Messages = typeof enGB;
