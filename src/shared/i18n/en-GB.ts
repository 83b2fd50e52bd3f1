/** British English, every word: the shell's part and the meeting's part together (tests and types read it). */
import { enGBMeeting } from './en-GB.meeting';
import { enGBShell } from './en-GB.shell';

export const enGB = { ...enGBShell, ...enGBMeeting };

export type Messages = typeof enGB;
