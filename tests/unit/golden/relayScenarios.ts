/**
 * Golden scenarios of issue 18, "Interpreters and people not in the room": answers given through an
 * interpreter, by phone or video and relayed by the chair, both together, and changes of how someone takes
 * part (the person recording leaving the room for the phone stops the recording, as their leaving does).
 */
import type { DomainEvent } from '../../../src/domain/events';
import * as s from '../../support/scenario';

const { people } = s;

/** Sarah Doe asked, signed, the chair and Tom Reid agreed, and the meeting is being recorded. */
const recording: DomainEvent[] = [
  s.opened('meeting'),
  ...[people.chair, people.mother, people.socialWorker].map(s.added),
  s.requested('mother'),
  s.eligible(),
  s.signed('mother'),
  ...s.agrees('chair'),
  ...s.agrees('sw'),
  ...s.screened(),
  s.started,
  s.recordingStarted,
];

export const relayScenarios: Record<string, DomainEvent[]> = {
  'answers-through-an-interpreter-and-by-phone': [
    s.opened('child-protection-conference'),
    s.added(people.chair),
    s.added(people.mother),
    s.addedBy(people.father, 'video'),
    s.added(people.interpreter),
    s.addedBy(people.police, 'phone'),
    s.requested('mother'),
    s.eligible(),
    s.signed('mother'),
    ...s.agrees('chair'),
    ...s.agreesHow('father', { ...s.relayed, ...s.through('pl') }),
    ...s.agrees('interp'),
    ...s.agreesHow('police', s.relayed),
    ...s.screened(),
    s.started,
    s.recordingStarted,
    // Mark Doe arrives in the room; DC Anna Webb hangs up. Neither change stops the recording.
    s.takesPartBy('father', 'in-room'),
    s.left('police'),
    ...s.confirmedAndClosed,
  ],
  'a-no-by-phone-and-a-need-for-advice-through-an-interpreter': [
    s.opened('meeting'),
    ...[people.chair, people.mother, people.interpreter, people.father].map(s.added),
    s.addedBy(people.police, 'phone'),
    s.requested('mother'),
    s.eligible(),
    s.signed('mother'),
    ...s.agrees('chair'),
    ...s.agrees('interp'),
    ...s.needsAuthorisationHow('father', 'I want to ask my solicitor.', s.through('pl')),
    ...s.declinesHow('police', 'Details of an ongoing investigation will be shared.', s.relayed),
    ...s.screened(),
    s.alternativesOffered(),
    s.started,
    ...s.confirmedAndClosed,
  ],
  'requester-moves-to-the-phone-while-recording': [
    ...recording,
    s.takesPartBy('mother', 'phone'),
    s.takesPartBy('mother', 'in-room'),
    s.recordingResumed,
    ...s.confirmedAndClosed,
  ],
  'newcomer-joins-by-video-mid-recording': [
    ...recording,
    s.joinedBy(people.health, 'video'),
    ...s.agreesHow('health', s.relayed),
    s.recordingResumed,
    s.takesPartBy('health', 'phone'),
    ...s.confirmedAndClosed,
  ],
};
