/**
 * Red team of issue 18's relay work (interpreters and people not in the room), after it met the languages
 * work: attempts to make the minute say something false about who was where and how an answer was given.
 * Each test names the false sentence it stops.
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import { minuteExport } from '../../src/export/json';
import * as s from '../support/scenario';
import { itemLines, rejectionOf, relayToRound, stepped } from '../support/steps';

const { people } = s;

const toRound = relayToRound;
const { given } = s;
const chose = (attendeeId: string, language: string): DomainEvent => ({
  type: 'attendee.language-chosen',
  payload: { attendeeId, language },
});

async function textOf(events: readonly DomainEvent[]) {
  return renderMinuteText(minuteEntry(await s.sealAll(events)));
}

describe('"relayed by the chair" only when the chair, in the room, took it', () => {
  it('refuses a relayed answer while the chair has left: nobody in the room can relay it', () => {
    const snapshot = stepped([...toRound, s.asked('police'), s.left('chair')]);
    expect(rejectionOf(snapshot, given('police', s.relayed))).not.toBeNull();
    expect(rejectionOf(snapshot, given('police'))?.code).toBe('relay-required');
  });

  it('refuses an answer from someone by phone who hung up while being asked', () => {
    const snapshot = stepped([...toRound, s.asked('police'), s.left('police')]);
    expect(rejectionOf(snapshot, given('police', s.relayed))?.code).toBe('not-being-asked');
  });
});

describe('"through the interpreter ..." only with an interpreter there, interpreting another language', () => {
  it('refuses an interpreter who left between the hand-over and the answer', () => {
    const snapshot = stepped([...toRound, s.asked('father'), s.left('interp')]);
    expect(rejectionOf(snapshot, given('father', s.through('pl')))?.code).toBe('interpreter-not-present');
  });

  it('refuses English as the language interpreted: the meeting is held in it ("through the interpreter Maria Silva (British English)")', () => {
    const snapshot = stepped([...toRound, s.asked('father')]);
    for (const english of ['en', 'en-GB', 'en-US'])
      expect(rejectionOf(snapshot, given('father', s.through(english)))?.code).toBe('field-invalid');
  });

  it('names a language the tablet has no screens in by its English name, a shipped one by the registry', async () => {
    const text = await textOf([...toRound, ...s.agreesHow('father', s.through('ti'))]);
    expect(itemLines(text)).toContain(
      'Mark Doe (parent or carer) agreed, through the interpreter Maria Silva (Tigrinya).',
    );
    const polish = await textOf([...toRound, ...s.agreesHow('father', s.through('pl'))]);
    expect(itemLines(polish)).toContain(
      'Mark Doe (parent or carer) agreed, through the interpreter Maria Silva (Polish).',
    );
  });
});

describe('someone not in the room did nothing on the tablet', () => {
  it('refuses a language chosen "on their own screen" by someone taking part by phone, even while asked', () => {
    // Being asked by phone, the answer screen is the chair's, held in the room: not hers to choose on.
    const byPhone = stepped([...toRound, s.asked('police')]);
    expect(rejectionOf(byPhone, chose('police', 'pl'))?.code).toBe('attendee-not-in-room');
    // In the room and holding the tablet, the same choice is hers to make.
    const inRoom = stepped([...toRound, s.takesPartBy('police', 'in-room'), s.asked('police')]);
    expect(rejectionOf(inRoom, chose('police', 'pl'))).toBeNull();
  });

  it('does not say that someone by phone asked to record "in person"', async () => {
    const events = [
      s.opened('meeting'),
      s.added(people.chair),
      s.addedBy(people.mother, 'video'),
      s.requested('mother'),
    ];
    const text = await textOf(events);
    expect(text).not.toContain('asked to record the meeting in person');
    expect(text).toContain('Sarah Doe (parent or carer) asked to record the meeting by video, before');
  });
});

describe('the attendee list says how someone took part only if they took part', () => {
  it('someone expected by phone who never called in is not said to have taken part by phone', async () => {
    const text = await textOf([
      s.opened('meeting'),
      s.added(people.chair),
      { type: 'attendee.added', payload: { attendee: people.police, isAbsent: true, takesPartBy: 'phone' } },
      ...s.confirmedAndClosed,
    ]);
    const line = text.split('\n').find((l) => l.startsWith('- DC Anna Webb')) ?? '';
    expect(line).toContain('expected, did not attend');
    expect(line).not.toContain('took part');
  });

  it('someone expected by phone who calls in is said to have joined by phone, not to have "arrived"', async () => {
    const text = await textOf([
      s.opened('meeting'),
      s.added(people.chair),
      s.added(people.mother),
      { type: 'attendee.added', payload: { attendee: people.police, isAbsent: true, takesPartBy: 'phone' } },
      s.requested('mother'),
      s.returned('police'),
    ]);
    const lines = itemLines(text);
    expect(lines.some((l) => l.startsWith('DC Anna Webb (police) joined by phone'))).toBe(true);
    expect(lines.some((l) => l.startsWith('DC Anna Webb (police) arrived'))).toBe(false);
  });
});

describe('"Confirmed by ..." only by someone at the tablet in the room', () => {
  it('in a conversation, the professional holding it cannot confirm the minute while taking part by phone', () => {
    const byPhone = stepped([
      s.opened('conversation'),
      s.addedBy(people.socialWorker, 'phone'),
      s.added(people.mother),
    ]);
    expect(rejectionOf(byPhone, s.confirmed('sw'))?.code).toBe('attendee-not-in-room');
    const inRoom = stepped([s.takesPartBy('sw', 'in-room')], byPhone);
    expect(rejectionOf(inRoom, s.confirmed('sw'))).toBeNull();
  });
});

/** Someone expected, or gone for a while, who comes a different way from the one last recorded. */
const expectedBy = (attendee: (typeof people)[keyof typeof people], takesPartBy: string): DomainEvent =>
  ({ type: 'attendee.added', payload: { attendee, isAbsent: true, takesPartBy } }) as DomainEvent;

/** In the round, someone leaves, is then to take part another way, and comes back. */
const awayAndBack = (attendeeId: string, by: 'in-room' | 'phone'): DomainEvent[] => [
  ...toRound,
  s.left(attendeeId),
  s.takesPartBy(attendeeId, by),
  s.returned(attendeeId),
];

describe('someone who comes a different way from the one expected is never said to have come the other way', () => {
  it('someone expected by phone who arrives in the room is not said to have joined by phone or taken part by phone', async () => {
    const text = await textOf([
      s.opened('meeting'),
      s.added(people.chair),
      s.added(people.mother),
      expectedBy(people.police, 'phone'),
      s.requested('mother'),
      s.takesPartBy('police', 'in-room'),
      s.returned('police'),
    ]);
    const lines = itemLines(text);
    expect(lines).toContain('DC Anna Webb (police) arrived.');
    expect(text).not.toMatch(/DC Anna Webb[^\n]*joined by phone/);
    expect(text).not.toMatch(/DC Anna Webb[^\n]*until then they took part by phone/);
    const listed = text.split('\n').find((l) => l.startsWith('- DC Anna Webb')) ?? '';
    expect(listed).not.toContain('phone');
  });

  it('someone who left the room and calls back is said to have come back by phone, not to have returned and then left the room', async () => {
    const text = await textOf([...awayAndBack('father', 'phone'), ...s.agreesHow('father', s.relayed)]);
    const lines = itemLines(text);
    expect(lines).toContain('Mark Doe (parent or carer) returned by phone.');
    expect(text).not.toMatch(/Mark Doe[^\n]*left the room/);
    expect(lines).toContain('Mark Doe (parent or carer) agreed, by phone, relayed by the chair.');
  });
});

describe('"through the interpreter ..." stays true after the answer', () => {
  const interpreted = [...toRound, ...s.agreesHow('father', s.through('pl'))];

  it('refuses removing, as added in error, an interpreter an answer was given through', () => {
    expect(rejectionOf(stepped(interpreted), s.removed('interp', 'added by mistake'))?.code).toBe(
      'cannot-remove',
    );
  });

  it('refuses correcting the role of an interpreter an answer was given through', () => {
    expect(rejectionOf(stepped(interpreted), s.corrected('interp', { role: 'social-worker' }))?.code).toBe(
      'correction-too-late',
    );
  });
});

describe('someone by phone who hangs up and then comes in person', () => {
  it('is said to have returned in the room, never to have "come back" to a room they were not in', async () => {
    const text = await textOf([...awayAndBack('police', 'in-room'), ...s.agrees('police')]);
    const lines = itemLines(text);
    expect(lines).toContain('DC Anna Webb (police) returned, in the room this time.');
    expect(lines).toContain('DC Anna Webb (police) agreed.');
    expect(text).not.toMatch(/came back into the room|came into the room/);
  });
});

describe('an answer through an interpreter says how the interpreter took part', () => {
  it('says the interpreter interpreted by phone when they were on the phone, in the text and the JSON export', async () => {
    const log = await s.sealAll([
      ...toRound,
      s.takesPartBy('interp', 'phone'),
      ...s.agreesHow('father', s.through('pl')),
    ]);
    const entry = minuteEntry(log);
    expect(itemLines(renderMinuteText(entry))).toContain(
      'Mark Doe (parent or carer) agreed, through the interpreter Maria Silva (Polish), interpreting by phone.',
    );
    const exported = minuteExport(entry).answers.find((a) => a.attendeeId === 'father');
    expect(exported?.how?.interpreter?.takesPartBy).toBe('phone');
  });

  it('says nothing of the kind for an interpreter in the room', async () => {
    const text = await textOf([...toRound, ...s.agreesHow('father', s.through('pl'))]);
    expect(itemLines(text)).toContain(
      'Mark Doe (parent or carer) agreed, through the interpreter Maria Silva (Polish).',
    );
  });
});

describe('"chose not to sign" says how the choice was given', () => {
  it('a requester by video who chooses not to sign is minuted as choosing so by video, through the chair', async () => {
    const text = await textOf([
      s.opened('meeting'),
      s.added(people.chair),
      s.addedBy(people.mother, 'video'),
      s.added(people.father),
      s.requested('mother'),
      s.eligible(),
      s.declinedToSign('mother'),
    ]);
    expect(
      itemLines(text).some((l) =>
        l.startsWith(
          'Sarah Doe (parent or carer) chose not to sign the undertaking not to share the recording, by video, relayed by the chair',
        ),
      ),
    ).toBe(true);
  });
});

describe('a choice not to sign from someone not in the room is taken by the chair in the room', () => {
  it('refuses a video requester’s choice not to sign while no chair is in the room to relay it, and takes it once the chair is back', () => {
    const chairAway = stepped([
      s.opened('meeting'),
      s.added(people.chair),
      s.addedBy(people.mother, 'video'),
      s.added(people.father),
      s.requested('mother'),
      s.eligible(),
      s.left('chair'),
    ]);
    expect(rejectionOf(chairAway, s.declinedToSign('mother'))?.code).toBe('relay-required');
    expect(rejectionOf(stepped([s.returned('chair')], chairAway), s.declinedToSign('mother'))).toBeNull();
  });
});

describe('"relayed by the chair" stays true after the answer', () => {
  it('refuses correcting the role of the chair who relayed an answer, or removing them as added in error', () => {
    const relayedOnce = stepped([...toRound, ...s.agreesHow('police', s.relayed)]);
    expect(rejectionOf(relayedOnce, s.corrected('chair', { role: 'social-worker' }))?.code).toBe(
      'correction-too-late',
    );
    expect(rejectionOf(relayedOnce, s.removed('chair', 'added by mistake'))?.code).toBe('cannot-remove');
  });
});
