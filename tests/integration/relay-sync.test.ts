/**
 * Issue 18 on the records service: a log with answers through an interpreter and relayed by the chair, and
 * changes of how someone takes part, is replayed through the same statechart and accepted; its minute says
 * how each answer was given. A log whose relayed answer came from someone in the room is refused (422), as
 * the tablet refuses it: the service never keeps a record the tablet could not have written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minuteOf } from '../../server/records';
import type { DomainEvent } from '../../src/domain/events';
import { syncResponseSchema } from '../../src/domain/protocol';
import * as s from '../support/scenario';
import { relayScenarios } from '../unit/golden/relayScenarios';
import {
  adminCookie,
  type Device,
  enrol,
  type Harness,
  makeHarness,
  newCode,
  sealLog,
  syncRequest,
  TARGETS,
} from './harness';

const PASSWORD = 'correct horse battery staple';

describe.each(TARGETS)('issue 18 sync against %s', (target) => {
  let h: Harness;
  let device: Device;

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD });
    device = await enrol(h, await newCode(h, await adminCookie(h, PASSWORD)));
  });
  afterAll(async () => h?.close());

  it('a meeting with interpreted and relayed answers is accepted and its minute says how each was given', async () => {
    const log = await sealLog(
      device.deviceId,
      relayScenarios['answers-through-an-interpreter-and-by-phone'] ?? [],
    );
    const res = await syncRequest(h, device, log);
    expect(res.status).toBe(200);
    expect(syncResponseSchema.parse(await res.json()).acknowledged).toHaveLength(log.length);
    const minute = await minuteOf(h.database.db, log[0]?.meetingId as string);
    expect(minute?.text).toContain(
      'Mark Doe (parent or carer) agreed, by video, relayed by the chair, through the interpreter Maria Silva (Polish).',
    );
    expect(minute?.text).toContain('DC Anna Webb (police) agreed, by phone, relayed by the chair.');
  });

  it('a relayed answer from someone in the room is refused with a reason, and nothing is kept', async () => {
    const events: DomainEvent[] = [
      s.opened('meeting'),
      ...[s.people.chair, s.people.mother, s.people.socialWorker].map(s.added),
      s.requested('mother'),
      s.eligible(),
      s.signed('mother'),
      ...s.agreesHow('chair', s.relayed),
    ];
    const log = await sealLog(device.deviceId, events);
    const res = await syncRequest(h, device, log);
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('they answer on the tablet themselves');
    const kept = await h.database.db
      .selectFrom('meetings')
      .select('id')
      .where('id', '=', log[0]?.meetingId as string)
      .executeTakeFirst();
    expect(kept).toBeUndefined();
  });
});
