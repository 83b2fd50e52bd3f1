/**
 * Meetings for the admin lists' and dashboard's tests: seven meetings of every kind, outcome and sync state
 * on two tablets, whose attendees and child have names no page of figures may show.
 */
import { expect } from 'vitest';
import type { DomainEvent } from '../../src/domain/events';
import type { MeetingKind } from '../../src/domain/model';
import type { ProfileId } from '../../src/domain/profiles';
import * as s from '../support/scenario';
import { type Device, type Harness, sealLog, syncRequest } from './harness';

/** Names no page of figures may show: every attendee's and the child's. */
export const NAMES = {
  child: 'Barnaby Wexworth',
  chair: 'Ottoline Frumpington',
  mother: 'Zephyrine Quuxley',
  sw: 'Cornelius Plimsoll',
  health: 'Hyacinth Bramblewood',
};
const P = {
  chair: { id: 'chair', name: NAMES.chair, role: 'chair' },
  mother: {
    id: 'mother',
    name: NAMES.mother,
    role: 'parent-carer',
    parentalResponsibility: { 'child-1': true },
  },
  sw: { id: 'sw', name: NAMES.sw, role: 'social-worker' },
  health: { id: 'health', name: NAMES.health, role: 'health' },
} as const;

type End = 'permitted' | 'declined' | 'ground' | 'pending' | 'none' | 'discarded';

/** A meeting's events: opened, four attendees, then the request as `end` says. */
export function meetingEvents(o: {
  title: string;
  kind: MeetingKind;
  scheduledAt: string;
  end: End;
  close?: boolean;
  profile?: ProfileId;
}): DomainEvent[] {
  const opened: DomainEvent = {
    type: 'meeting.opened',
    payload: {
      meeting: { kind: o.kind, title: o.title, scheduledAt: o.scheduledAt, place: 'Room 1' },
      profileId: o.profile ?? 'hertfordshire',
      subjectChildren: [{ id: 'child-1', name: NAMES.child }],
    },
  };
  const people = [P.chair, P.mother, P.sw, P.health].map((p) => s.added(p));
  const asked = [
    s.requested('mother', 'in-advance', '2026-01-05T09:00:00+00:00'),
    s.eligible(),
    s.signed('mother'),
    ...s.agrees('chair'),
    ...s.agrees('sw'),
  ];
  const tail = o.close ? s.confirmedAndClosed : [];
  switch (o.end) {
    case 'permitted':
      return [opened, ...people, ...asked, ...s.agrees('health'), ...s.screened(), s.started, ...tail];
    case 'declined':
      return [
        opened,
        ...people,
        ...asked,
        ...s.declines('health', 'no'),
        ...s.screened(),
        s.alternativesOffered(),
        s.started,
        ...tail,
      ];
    case 'ground':
      return [
        opened,
        ...people,
        ...asked,
        ...s.agrees('health'),
        ...s.screened(['history-of-misuse', 'confirmed', 'Shared a recording before.']),
        s.alternativesOffered(),
        ...tail,
      ];
    case 'pending':
      return [opened, ...people, ...asked];
    case 'none':
      return [opened, ...people, s.started, ...tail];
    case 'discarded':
      return [opened, s.discarded('Opened in error.')];
  }
}

export const SEEDS = [
  {
    key: 'm1',
    title: 'Conference one',
    kind: 'child-protection-conference',
    scheduledAt: '2026-03-10T10:00:00+00:00',
    end: 'permitted',
    close: true,
    tablet: 'a',
  },
  {
    key: 'm2',
    title: 'Review two',
    kind: 'meeting',
    scheduledAt: '2026-05-20T14:00:00+01:00',
    end: 'declined',
    tablet: 'a',
  },
  // 00:30 in London on 1 June is 31 May in UTC: the date filters go by the council's days.
  {
    key: 'm3',
    title: 'Review three',
    kind: 'looked-after-child-review',
    scheduledAt: '2026-06-01T00:30:00+01:00',
    end: 'ground',
    tablet: 'b',
  },
  {
    key: 'm4',
    title: 'Chat four',
    kind: 'child-protection-conference',
    scheduledAt: '2026-06-15T11:00:00+01:00',
    end: 'pending',
    tablet: 'b',
  },
  {
    key: 'm5',
    title: 'Meeting 100% five',
    kind: 'meeting',
    scheduledAt: '2026-07-01T10:00:00+01:00',
    end: 'none',
    close: true,
    tablet: 'b',
    profile: 'staffordshire-stoke',
  },
  {
    key: 'm6',
    title: 'Opened in error six',
    kind: 'conversation',
    scheduledAt: '2026-07-02T10:00:00+01:00',
    end: 'discarded',
    tablet: 'a',
  },
  {
    key: 'm7',
    title: 'Gappy seven',
    kind: 'meeting',
    scheduledAt: '2026-08-01T10:00:00+01:00',
    end: 'none',
    tablet: 'a',
    gap: true,
  },
] as const;

/** Seeds SEEDS through the sync path on two tablets; returns each meeting's id by key. */
export async function seedMeetings(h: Harness, a: Device, b: Device): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const seed of SEEDS) {
    const device = seed.tablet === 'a' ? a : b;
    const log = await sealLog(device.deviceId, meetingEvents(seed as Parameters<typeof meetingEvents>[0]));
    ids[seed.key] = log[0]?.meetingId as string;
    if ('gap' in seed) {
      expect((await syncRequest(h, device, log.slice(0, 3))).status).toBe(200);
      expect((await syncRequest(h, device, log.slice(4))).status).toBe(422);
    } else {
      const res = await syncRequest(h, device, log);
      expect(res.status, `${seed.key} ${await res.clone().text()}`).toBe(200);
    }
  }
  return ids;
}
