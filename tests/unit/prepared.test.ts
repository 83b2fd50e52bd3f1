/**
 * Issue 19: a meeting prepared on the records service and taken over by a tablet with `custody.claimed`.
 * The claim is legal once, only on a prepared log, only before the discussion begins; the service writes
 * nothing after it and no tablet writes before it.
 */
import { describe, expect, it } from 'vitest';
import { sealEvent } from '../../src/domain/chain';
import { phaseOf } from '../../src/domain/engine';
import type { DomainEvent, EventEnvelope } from '../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import {
  checkWriter,
  claimRequestSchema,
  PREPARED_PROTOCOL_VERSION,
  preparedListResponseSchema,
  RECORDS_SERVICE_DEVICE_ID,
  writersOf,
} from '../../src/domain/prepared';
import { errorResponseSchema, syncRequestSchema } from '../../src/domain/protocol';
import { replay } from '../../src/domain/replay';
import { verifyRecord } from '../../src/domain/verify';
import * as s from '../support/scenario';

const SERVICE = RECORDS_SERVICE_DEVICE_ID;
const TABLET = 'tablet-1';
const OTHER = 'tablet-2';
const claim: DomainEvent = { type: 'custody.claimed', payload: {} };

type Step = { event: DomainEvent; by: string; at: string };

async function sealed(steps: readonly Step[]): Promise<EventEnvelope[]> {
  const log: EventEnvelope[] = [];
  for (const [i, { event, by, at }] of steps.entries()) {
    const id = `0193a1b2-0000-7000-8000-${String(i + 1).padStart(12, '0')}`;
    log.push(await sealEvent(log.at(-1) ?? null, event, { meetingId: s.MEETING_ID, deviceId: by, at, id }));
  }
  return log;
}

const absent = (a: (typeof s.people)[keyof typeof s.people]): DomainEvent => ({
  type: 'attendee.added',
  payload: { attendee: a, isAbsent: true },
});

/** Prepared the day before: the meeting, its invited attendees, an advance request and its notice. */
const office: Step[] = [
  { event: s.opened('meeting'), by: SERVICE, at: '2026-11-22T14:00:00+00:00' },
  { event: absent(s.people.chair), by: SERVICE, at: '2026-11-22T14:00:00+00:00' },
  { event: absent(s.people.father), by: SERVICE, at: '2026-11-22T14:00:00+00:00' },
  { event: absent(s.people.socialWorker), by: SERVICE, at: '2026-11-22T14:00:00+00:00' },
  {
    event: s.requested('father', 'in-advance', '2026-11-22T11:15:00+00:00'),
    by: SERVICE,
    at: '2026-11-22T14:05:00+00:00',
  },
  {
    event: { type: 'request.attendees-notified', payload: { via: 'email' } },
    by: SERVICE,
    at: '2026-11-22T15:30:00+00:00',
  },
];
const claimed: Step = { event: claim, by: TABLET, at: '2026-11-23T09:50:00+00:00' };
const day = (event: DomainEvent, at: string): Step => ({ event, by: TABLET, at });

describe('a meeting prepared on the records service and taken over by a tablet', () => {
  it('the tablet claims it once before the discussion, then writes the rest of the meeting', async () => {
    const log = await sealed([
      ...office,
      claimed,
      day(s.returned('chair'), '2026-11-23T09:55:00+00:00'),
      day(s.returned('father'), '2026-11-23T09:56:00+00:00'),
      day(s.returned('sw'), '2026-11-23T09:57:00+00:00'),
    ]);
    const result = await replay(log);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.writers).toEqual({ isPrepared: true, claimedBy: TABLET });
    expect(result.snapshot.context.isCustodyClaimed).toBe(true);
    expect((await verifyRecord(log, result.headHash)).status).toBe('matches');
  });

  it('a second claim is refused, by the same tablet or another', async () => {
    for (const by of [TABLET, OTHER]) {
      const result = await replay(await sealed([...office, claimed, { ...claimed, by }]));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatchObject({ code: 'illegal-transition', index: 7 });
    }
  });

  it('a tablet cannot write into a prepared meeting without claiming it first', async () => {
    const result = await replay(
      await sealed([...office, day(s.returned('chair'), '2026-11-23T09:55:00+00:00')]),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'not-custodian', index: 6 });
  });

  it('the records service writes nothing after the claim (a forged service event is refused)', async () => {
    const forged: Step = { event: s.returned('chair'), by: SERVICE, at: '2026-11-23T09:55:00+00:00' };
    const result = await replay(await sealed([...office, claimed, forged]));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'not-custodian', index: 7 });
  });

  it('a meeting opened on a tablet cannot be claimed, nor written by the service', async () => {
    const own = office.map((step) => ({ ...step, by: TABLET }));
    const claimedOwn = await replay(await sealed([...own, { ...claimed, by: OTHER }]));
    expect(claimedOwn.ok).toBe(false);
    if (!claimedOwn.ok) expect(claimedOwn.error.code).toBe('not-custodian');
    const serviceWrites = await replay(
      await sealed([...own, { event: s.returned('chair'), by: SERVICE, at: '2026-11-23T09:55:00+00:00' }]),
    );
    expect(serviceWrites.ok).toBe(false);
    if (!serviceWrites.ok) expect(serviceWrites.error.code).toBe('not-custodian');
  });

  it('the service cannot claim a meeting itself', () => {
    expect(
      checkWriter({ isPrepared: true, claimedBy: null }, { type: 'custody.claimed', deviceId: SERVICE }),
    ).toMatch(/tablet claims/);
  });

  it('a started or closed meeting cannot be claimed', async () => {
    const started = await sealed([
      ...office.slice(0, 4),
      { event: s.started, by: SERVICE, at: '2026-11-22T14:10:00+00:00' },
      { ...claimed },
    ]);
    const result = await replay(started);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'illegal-transition', index: 5 });

    const discarded = await sealed([
      ...office.slice(0, 4),
      {
        event: { type: 'meeting.discarded', payload: { reason: 'Set up in error.' } },
        by: SERVICE,
        at: '2026-11-22T14:10:00+00:00',
      },
      { ...claimed },
    ]);
    const afterDiscard = await replay(discarded);
    expect(afterDiscard.ok).toBe(false);
    if (!afterDiscard.ok) expect(afterDiscard.error.code).toBe('illegal-transition');
  });

  it('a claim in the middle of the advance review keeps the review where it was', async () => {
    const log = await sealed([...office, claimed]);
    const before = await replay(log.slice(0, -1));
    const after = await replay(log);
    expect(before.ok && after.ok).toBe(true);
    if (before.ok && after.ok) expect(phaseOf(after.snapshot)).toBe(phaseOf(before.snapshot));
  });

  it('continuing a log from a stored head checks the writers it is given', async () => {
    const log = await sealed([...office, claimed]);
    const head = await replay(log.slice(0, 6));
    if (!head.ok) throw new Error('office part should replay');
    const from = {
      snapshot: head.snapshot,
      seq: 6,
      hash: head.headHash,
      meetingId: s.MEETING_ID,
      at: office[5]?.at ?? null,
      writers: writersOf(log.slice(0, 6)) ?? undefined,
    };
    expect((await replay(log.slice(6), { from, hashesVerified: true })).ok).toBe(true);
  });

  it('the minute shows the office part with its dates and the take-over with the day’s time', async () => {
    const log = await sealed([...office, claimed, day(s.returned('chair'), '2026-11-23T09:55:00+00:00')]);
    const text = renderMinuteText(minuteEntry(log));
    expect(text).toContain('Sunday 22 November 2026 14:00');
    expect(text).toContain('prepared on the records service');
    expect(text).toMatch(/09:50\s+A tablet took the meeting record over from the records service\./);
  });
});

describe('the prepared meetings protocol', () => {
  it('sync accepts protocol version 1 and 2, nothing else', () => {
    const body = (v: number) => ({ protocolVersion: v, deviceId: TABLET, events: [{}] });
    expect(syncRequestSchema.safeParse(body(1)).success).toBe(true);
    expect(syncRequestSchema.safeParse(body(PREPARED_PROTOCOL_VERSION)).success).toBe(true);
    expect(syncRequestSchema.safeParse(body(3)).success).toBe(false);
  });

  it('a claim carries a custody.claimed event written by the claiming device', async () => {
    const log = await sealed([...office, claimed]);
    const event = log.at(-1);
    expect(claimRequestSchema.safeParse({ protocolVersion: 2, deviceId: TABLET, event }).success).toBe(true);
    expect(claimRequestSchema.safeParse({ protocolVersion: 2, deviceId: OTHER, event }).success).toBe(false);
    expect(
      claimRequestSchema.safeParse({ protocolVersion: 2, deviceId: SERVICE, event: log[1] }).success,
    ).toBe(false);
    expect(claimRequestSchema.safeParse({ protocolVersion: 1, deviceId: TABLET, event }).success).toBe(false);
  });

  it('a list of prepared meetings carries whole chains; a refusal may name the tablet that has it', async () => {
    const events = await sealed(office);
    const list = {
      protocolVersion: 2,
      serverTime: '2026-11-22T16:00:00.000Z',
      meetings: [
        {
          meetingId: s.MEETING_ID,
          title: 'Review meeting for Jamie',
          kind: 'meeting',
          startsAt: s.scheduledAt,
          place: 'Room 2, Civic Centre',
          forDeviceId: null,
          claimedByDeviceId: null,
          claimedByLabel: null,
          events,
        },
      ],
    };
    expect(preparedListResponseSchema.safeParse(list).success).toBe(true);
    const refusal = {
      error: { code: 'meeting-claimed', message: 'Tablet "Room 2" has this meeting.', claimedBy: 'Room 2' },
    };
    expect(errorResponseSchema.safeParse(refusal).success).toBe(true);
  });
});
