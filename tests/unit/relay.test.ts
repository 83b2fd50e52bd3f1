/**
 * Issue 18, "Interpreters and people not in the room": the rules (HCS 2.6-2.11 for everyone present, however
 * they take part), and red-team attempts to make the minute say something false about how an answer was
 * given: an interpreter who had left, a relayed answer from someone in the room, a remote requester signing.
 */
import { describe, expect, it } from 'vitest';
import { allowedKinds, phaseOf } from '../../src/domain/engine';
import type { DomainEvent } from '../../src/domain/events';
import { isCanonicalLanguageTag } from '../../src/domain/languages';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import { interpretersFor, relayedByFor } from '../../src/domain/rules';
import { minuteExport } from '../../src/export/json';
import { minuteExportSchema } from '../../src/export/minuteExportSchema';
import * as s from '../support/scenario';
import { itemLines, rejectionOf, relaySetUp, relayToRound, stepped } from '../support/steps';
import { relayScenarios } from './golden/relayScenarios';

const { people } = s;

const setUp = relaySetUp;
const toRound = relayToRound;
const { given } = s;

async function minuteOf(events: readonly DomainEvent[]) {
  const entry = minuteEntry(await s.sealAll(events));
  expect(entry.isComplete).toBe(true);
  return { entry, text: renderMinuteText(entry) };
}

describe('issue 18: an answer through an interpreter present at the meeting', () => {
  it('records the interpreter and the language, and the minute names both', async () => {
    const events = [...toRound, ...s.agreesHow('father', s.through('pl'))];
    const { entry, text } = await minuteOf(events);
    expect(itemLines(text)).toContain(
      'Mark Doe (parent or carer) agreed, through the interpreter Maria Silva (Polish).',
    );
    expect(entry.answers.at(-1)?.how).toEqual({
      interpreter: { attendeeId: 'interp', name: 'Maria Silva', language: 'pl', languageName: 'Polish' },
    });
  });

  it('refuses an interpreter who has left: the minute cannot name someone who was not there', () => {
    const snapshot = stepped([...toRound, s.left('interp'), s.asked('father')]);
    expect(rejectionOf(snapshot, given('father', s.through('pl')))?.code).toBe('interpreter-not-present');
  });

  it('refuses an interpreter who is not an interpreter, and an interpreter interpreting their own answer', () => {
    const snapshot = stepped([...toRound, s.asked('father')]);
    expect(rejectionOf(snapshot, given('father', s.through('pl', 'chair')))?.code).toBe('not-an-interpreter');
    expect(rejectionOf(snapshot, given('father', s.through('pl', 'nobody')))?.code).toBe('unknown-attendee');
    const own = stepped([...toRound, s.asked('interp')]);
    expect(rejectionOf(own, given('interp', s.through('pl')))?.code).toBe('not-an-interpreter');
  });

  it('takes a language only as a BCP-47 tag in its one canonical spelling', () => {
    const snapshot = stepped([...toRound, s.asked('father')]);
    for (const bad of ['pl_PL', 'PL', 'pa-arab', 'x', '']) {
      expect(isCanonicalLanguageTag(bad)).toBe(false);
      expect(rejectionOf(snapshot, given('father', s.through(bad)))?.code).toMatch(/^field-/);
    }
    expect(rejectionOf(snapshot, given('father', s.through('pa-Arab')))).toBeNull();
  });

  it('offers as interpreters only the interpreters present, never the person answering', () => {
    const ctx = stepped([...toRound, s.asked('father')]).context;
    expect(interpretersFor(ctx, 'father').map((a) => a.id)).toEqual(['interp']);
    expect(interpretersFor(ctx, 'interp')).toEqual([]);
    expect(interpretersFor(stepped([...toRound, s.left('interp')]).context, 'father')).toEqual([]);
  });
});

describe('issue 18 and HCS 2.6: someone taking part by phone or video is asked like anyone present', () => {
  it('takes their answer only as relayed by the chair, and the minute says so', async () => {
    const asked = stepped([...toRound, s.asked('police')]);
    expect(relayedByFor(asked.context, 'police')).toBe('chair');
    expect(rejectionOf(asked, given('police'))?.code).toBe('relay-required');
    expect(rejectionOf(asked, given('police', { relayedBy: 'father' }))?.code).toBe('not-the-relayer');
    const { text, entry } = await minuteOf([...toRound, ...s.agreesHow('police', s.relayed)]);
    expect(itemLines(text)).toContain('DC Anna Webb (police) agreed, by phone, relayed by the chair.');
    expect(entry.answers.at(-1)?.how).toEqual({
      takesPartBy: 'phone',
      relayedBy: { attendeeId: 'chair', name: 'Priya Shah' },
    });
  });

  it('refuses a relayed answer from someone in the room: they answer on the tablet themselves', () => {
    const snapshot = stepped([...toRound, s.asked('father')]);
    expect(relayedByFor(snapshot.context, 'father')).toBeUndefined();
    expect(rejectionOf(snapshot, given('father', s.relayed))?.code).toBe('relay-in-room');
  });

  it('combines phone or video and an interpreter on one answer', async () => {
    const events = [
      s.opened('meeting'),
      s.added(people.chair),
      s.added(people.mother),
      s.addedBy(people.father, 'video'),
      s.added(people.interpreter),
      s.requested('mother'),
      s.eligible(),
      s.signed('mother'),
      ...s.declinesHow('father', 'Not today.', { ...s.relayed, ...s.through('pl') }),
    ];
    const { text } = await minuteOf(events);
    expect(itemLines(text)).toContain(
      'Mark Doe (parent or carer) did not agree, by video, relayed by the chair, through the interpreter Maria Silva (Polish). Reason: “Not today.”',
    );
  });

  it('HCS 2.11: someone joining by phone after the start stops the meeting and is asked', async () => {
    const { text } = await minuteOf(relayScenarios['newcomer-joins-by-video-mid-recording'] ?? []);
    const lines = itemLines(text);
    expect(lines).toContain(
      'Dr Ola Bello (health) joined by video. The meeting was stopped and recording was paused so that permission could be sought to continue.',
    );
    expect(lines).toContain('Dr Ola Bello (health) agreed, by video, relayed by the chair.');
  });

  it('HCS 2.11: someone by phone who hangs up has left, and is asked again when they call back', () => {
    const events = relayScenarios['answers-through-an-interpreter-and-by-phone'] ?? [];
    const beforeClose = events.slice(0, -2);
    const back = stepped([...beforeClose, s.returned('police')]);
    expect(phaseOf(back)).toBe('review.round');
    expect(back.context.answers.police).toBeUndefined();
  });
});

describe('issue 18: how each attendee takes part is set at set-up and changes by an event', () => {
  it('the chair is always in the room: set-up, joining, a change and a correction to chair are refused', () => {
    const opened = stepped([s.opened('meeting')]);
    expect(rejectionOf(opened, s.addedBy(people.chair, 'phone'))?.code).toBe('chair-in-room');
    const started = stepped([...setUp, s.started]);
    expect(rejectionOf(started, s.joinedBy({ ...people.chair, id: 'chair-2' }, 'video'))?.code).toBe(
      'chair-in-room',
    );
    expect(rejectionOf(started, s.takesPartBy('chair', 'phone'))?.code).toBe('chair-in-room');
    expect(rejectionOf(started, s.corrected('police', { role: 'chair' }))?.code).toBe('chair-in-room');
  });

  it('a change is minuted with its time; a change to the same way is refused, one of someone away says how they will come', async () => {
    const snapshot = stepped([...setUp, s.left('father')]);
    expect(rejectionOf(snapshot, s.takesPartBy('police', 'phone'))?.code).toBe('nothing-to-correct');
    // Away, he may call back instead (redteam-relay.test.ts): said before he does, his return is minuted truly.
    expect(rejectionOf(snapshot, s.takesPartBy('father', 'phone'))).toBeNull();
    const { text } = await minuteOf([
      ...toRound,
      s.timed('2026-11-23T10:20:00+00:00', s.takesPartBy('police', 'in-room')),
    ]);
    expect(text).toContain(
      '10:20  DC Anna Webb (police) came into the room; until then they took part by phone.',
    );
    expect(text).toContain(
      '- DC Anna Webb, police, Hertfordshire Constabulary (took part by phone, in the room from 10:20)',
    );
  });

  it('a change of how someone takes part keeps their answer: they are still present (HCS 2.11 asks again only on joining or leaving)', () => {
    const snapshot = stepped([...toRound, ...s.agrees('father'), s.takesPartBy('father', 'phone')]);
    expect(snapshot.context.answers.father).toBe('agreed');
  });
});

describe('decisions: the person recording is in the room; the undertaking is signed on the tablet there', () => {
  const remoteRequester: DomainEvent[] = [
    s.opened('meeting'),
    s.added(people.chair),
    s.addedBy(people.mother, 'phone'),
    s.added(people.socialWorker),
    s.requested('mother'),
    s.eligible(),
  ];

  it('refuses a remote requester signing, or answering the check on the tablet; the request waits at the undertaking', () => {
    const snapshot = stepped(remoteRequester);
    expect(phaseOf(snapshot)).toBe('review.undertaking');
    expect(rejectionOf(snapshot, s.signed('mother'))?.code).toBe('requester-not-in-room');
    expect(rejectionOf(snapshot, s.answered('mother', 'not-online', 'no'))?.code).toBe(
      'requester-not-in-room',
    );
    // They may say by phone that they will not sign; or come into the room and sign there.
    expect(allowedKinds(snapshot).has('undertaking.declined')).toBe(true);
    const inRoom = stepped([s.takesPartBy('mother', 'in-room'), s.signed('mother')], snapshot);
    expect(phaseOf(inRoom)).toBe('review.round');
  });

  it('the requester leaving the room for the phone pauses the recording exactly as their leaving does', async () => {
    const events = relayScenarios['requester-moves-to-the-phone-while-recording'] ?? [];
    const change = events.findIndex((e) => e.type === 'attendee.participation-changed');
    const atPhone = stepped(events.slice(0, change + 1));
    expect(atPhone.context.recording).toBe('paused');
    expect(atPhone.context.pauseCause).toBe('requester-left');
    expect(phaseOf(atPhone)).toBe('discussing.paused');
    expect(rejectionOf(atPhone, s.recordingResumed)?.code).toBe('requester-not-present');
    const { entry } = await minuteOf(events);
    expect(entry.recordingPeriods.map((p) => [p.from.slice(11, 16), p.to?.slice(11, 16)])).toEqual([
      ['10:11', '10:12'],
      ['10:14', '10:16'],
    ]);
  });

  it('recording cannot begin while the only requester takes part by phone', () => {
    const snapshot = stepped([
      ...toRound,
      ...s.agrees('chair'),
      ...s.agrees('father'),
      ...s.agrees('interp'),
      ...s.agreesHow('police', s.relayed),
      ...s.screened(),
      s.started,
      s.takesPartBy('mother', 'video'),
    ]);
    expect(rejectionOf(snapshot, s.recordingStarted)?.code).toBe('requester-not-present');
  });
});

describe('the minute export carries how each answer was given (synced formats only grow)', () => {
  it('validates against the published schema for every relay scenario', async () => {
    for (const events of Object.values(relayScenarios)) {
      const entry = minuteEntry(await s.sealAll(events));
      const json = minuteExport(entry);
      expect(minuteExportSchema.safeParse(json).success).toBe(true);
    }
  });

  it('a log written before issue 18 reads as before: everyone in the room, no answer said to be relayed', async () => {
    const { entry } = await minuteOf([...toRound.slice(0, 5), s.requested('mother'), s.eligible()]);
    expect(entry.attendees.map((a) => a.takesPartBy)).toEqual(['in-room', 'in-room', 'in-room', 'in-room']);
  });
});
