/**
 * The chair's most frequent path, scripted through the page model: a child protection conference of seven
 * set up, the mother's request recorded, the round run, to recording. Shared by the browser test that counts
 * its taps and characters (tests/e2e/screens.e2e.ts) and the interaction-latency benchmark (bench/interaction.ts).
 */
import type { AttendeeInput, KioskPage } from './kiosk';

export const CHILD = 'Jamie Doe';
export const chair: AttendeeInput = { name: 'Priya Shah', role: 'chair', agency: "Children's Services" };
export const mother: AttendeeInput = { name: 'Sarah Doe', role: 'parent-carer', prFor: [CHILD] };
export const father: AttendeeInput = { name: 'Mark Doe', role: 'parent-carer', prFor: [CHILD] };

export const CONFERENCE: readonly AttendeeInput[] = [
  chair,
  mother,
  father,
  { name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" },
  { name: 'Anna Webb', role: 'police', agency: 'Constabulary' },
  { name: 'Ola Bello', role: 'health', agency: 'NHS' },
  { name: 'Ben Cole', role: 'education', agency: 'Oak Primary School' },
];

/** Sets up the conference, records the mother's request and runs the round to the start of recording. */
export async function runConference(kiosk: KioskPage) {
  // The title is left to the screen: the child's name is typed once.
  await kiosk.setUpMeeting({ kind: 'child-protection-conference', children: [CHILD] });
  for (const person of CONFERENCE) await kiosk.addAttendee(person);
  await kiosk.recordRequest({ requester: mother.name, reasons: ['memory'] });
  await kiosk.requesterSigns(mother.name);
  for (const person of CONFERENCE.filter((p) => p !== mother)) await kiosk.askAndAnswer(person.name, 'yes');
  await kiosk.finishScreening();
  await kiosk.beginDiscussion();
  await kiosk.startRecording();
}
