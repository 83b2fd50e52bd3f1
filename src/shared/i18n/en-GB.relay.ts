/**
 * Issue 18, interpreters and people not in the room: the chair's words (merged into the meeting's), in the
 * chair's language only. The interpreter choice is on the attendee's own answer screen: its words are in the
 * attendee set (attendee/en-GB.ts, shipped in every language).
 */
import { enGBAttendee } from './attendee/en-GB';

export const enGBRelay = {
  interpreterChoice: enGBAttendee.interpreterChoice,
  relay: {
    takesPartBy: 'How they take part',
    ways: { 'in-room': 'In the room', phone: 'By phone', video: 'By video' },
    wayShort: { 'in-room': 'in the room', phone: 'by phone', video: 'by video' },
    change: 'Someone moved to or from the phone or video',
    changeWho: 'Who?',
    changeSubmit: 'Record how they take part now',
    askBy: 'Ask {{name}} ({{way}})',
    title: 'Ask {{name}} {{way}}',
    body: 'You hold the tablet: read the question to {{name}} and record their answer. The minute says it was given {{way}}, relayed by the chair.',
    signInRoom:
      '{{name}} takes part {{way}}. The undertaking is signed on this tablet in the room: record that they came into the room, or that they chose not to sign.',
  },
  reject: {
    'relay-required': 'They are not in the room: the chair records their answer.',
    'relay-in-room': 'They are in the room: they answer on the tablet themselves.',
    'not-the-relayer': 'Only the chair, in the room, records an answer given by phone or video.',
    'not-an-interpreter': 'That person is not an interpreter at this meeting.',
    'interpreter-not-present': 'That interpreter is not present.',
    'chair-in-room': 'The chair is always in the room.',
    'attendee-not-in-room': 'They take part by phone or video: this is done on the tablet, in the room.',
    'requester-not-in-room':
      'The person asking signs on the tablet in the room. Record that they came into the room first, or that they chose not to sign.',
  },
};
