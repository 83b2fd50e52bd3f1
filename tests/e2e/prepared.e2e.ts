/**
 * Issue 19, prepared in the office and finished in the room: an organiser prepares a child protection
 * conference with an advance request the day before; the tablet pulls it while online, opens it offline with
 * nobody typed (the invited attendees come with it), runs the meeting, and once back online the records
 * service's minute entry is the tablet's, the advance lines dated the day before. A second tablet that tries the
 * same meeting is told, in plain words, which tablet has it.
 *
 * The day before: the tablets' clocks are set a day ahead (page.clock), so the office's events, written by the
 * records service now, are the day before the meeting the tablets hold.
 */
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { KioskPage } from './pages/kiosk';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import { assertNoPageErrors, launchBrowser, newTabletPage, pageErrors } from './support/browser';
import {
  enrolmentCode,
  type RecordsService,
  signedInAdmin,
  startRecordsService,
} from './support/recordsService';

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

const DAY = 24 * 60 * 60_000;
const CHILD = 'Jamie Doe';
const TITLE = 'Child protection conference for Jamie';

let browser: Browser;
let service: RecordsService;
let admin: APIRequestContext;

beforeAll(async () => {
  browser = await launchBrowser();
  service = await startRecordsService('prepared-e2e-admin-password');
  admin = await signedInAdmin(browser, service);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

/** 10:00 tomorrow, local time: the meeting's start, a day after the office prepares it. */
function meetingStart(): Date {
  const start = new Date(Date.now() + DAY);
  start.setHours(10, 0, 0, 0);
  return start;
}

/** A tablet whose clock is at `at` and runs on from there, enrolled with the records service under `name`. */
async function enrolledTablet(at: Date, name: string): Promise<{ page: Page; kiosk: KioskPage }> {
  const page = await newTabletPage(browser);
  await page.clock.install({ time: at });
  await page.goto(service.base);
  const kiosk = new KioskPage(page);
  await kiosk.heading(enGB.pin.setTitle).waitFor();
  await kiosk.choosePin();
  await kiosk.openSettings();
  await kiosk.enrol(await enrolmentCode(admin, service), name);
  await kiosk.button(enGB.common.back).click();
  await kiosk.heading(enGB.home.title).waitFor();
  return { page, kiosk };
}

/** The events the records service holds for a meeting. */
async function eventsHeld(meetingId: string): Promise<{ id: string; type: string }[]> {
  const response = await admin.get(`${service.base}/admin/meetings/${meetingId}/events.json`);
  return response.ok() ? ((await response.json()) as { id: string; type: string }[]) : [];
}

/** The tablet's events of a meeting, in order (ids only). */
function tabletEventIds(page: Page, meetingId: string): Promise<string[]> {
  return page.evaluate(async (id) => {
    const request = indexedDB.open('consent-kiosk');
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      request.onsuccess = () => ok(request.result);
      request.onerror = () => fail(request.error);
    });
    const rows = await new Promise<{ id: string; meetingId: string; seq: number }[]>((ok, fail) => {
      const all = db.transaction('events').objectStore('events').getAll();
      all.onsuccess = () => ok(all.result);
      all.onerror = () => fail(all.error);
    });
    db.close();
    return rows
      .filter((r) => r.meetingId === id)
      .sort((a, b) => a.seq - b.seq)
      .map((r) => r.id);
  }, meetingId);
}

describe('a meeting prepared in the office and finished on the tablet', () => {
  it('is pulled online, opened offline with no typing, and its minute entry is the same on both sides', async () => {
    const startsAt = meetingStart();
    const meetingId = await prepareConference(admin, service, startsAt);

    // The tablet, on the morning of the meeting, pulls what was prepared for it.
    const morning = new Date(startsAt.getTime() - 30 * 60_000);
    const { page, kiosk } = await enrolledTablet(morning, 'Room 2 tablet');
    await kiosk.openPreparedButton(TITLE).waitFor();
    const today = kiosk.meetingsToday();
    // Its kind in words, its time and place.
    const details = fill(enGB.prepared.detailsAt, {
      kind: enGB.setup.kinds['child-protection-conference'],
      time: '10:00',
      place: 'Room 4, Civic Centre',
    });
    await today.getByText(details, { exact: true }).waitFor();
    await expectNoAxeViolations(page, 'home, meetings today');
    await expectTouchTargets(page);

    // A second tablet pulls it too, while nobody has it yet; it pulls nothing more afterwards (its list is the
    // one it had: a tablet that has not pulled since).
    const second = await enrolledTablet(morning, 'Room 5 tablet');
    await second.kiosk.openPreparedButton(TITLE).waitFor();
    await second.page.route('**/api/v1/prepared', (route) => route.abort());

    // Offline, the chair opens it: the invited attendees are there, nobody is typed.
    await page.context().setOffline(true);
    kiosk.resetEffort();
    await kiosk.openPrepared(TITLE);
    await kiosk.statusPanel().getByText('Priya Shah').waitFor();
    // Invited, not yet here: expected, never "left" (issue 19).
    expect(await kiosk.statusOf('Tom Reid')).toContain(enGB.status.expected);
    expect(await kiosk.statusOf('Tom Reid')).not.toContain(enGB.status.left);
    await kiosk.markPresent('Priya Shah', 'chair');
    await kiosk.markPresent('Mark Doe', 'parent-carer');
    await kiosk.markPresent('Tom Reid', 'social-worker');
    await expectNoAxeViolations(page, 'prepared meeting, everyone marked present');
    await expectTouchTargets(page);
    expect(kiosk.effort.characters).toBe(0);

    await runTheMeeting(kiosk);
    const tabletMinute = await kiosk.minuteText();

    // Back online: the tablet's claim and the meeting reach the records service by themselves.
    await page.context().setOffline(false);
    const ids = await tabletEventIds(page, meetingId);
    await vi.waitFor(async () => expect((await eventsHeld(meetingId)).map((e) => e.id)).toEqual(ids), {
      timeout: 20_000,
      interval: 250,
    });

    // The admin's minute entry says what the tablet's says, the advance lines dated the day before.
    const minute = await admin.get(`${service.base}/admin/meetings/${meetingId}/minute.txt`);
    expect(minute.ok()).toBe(true);
    const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
    const adminMinute = normalise(await minute.text());
    expect(adminMinute).toBe(normalise(tabletMinute));
    // The office's lines carry their own date, the day before; the day's lines their times alone.
    const before = new Date(startsAt.getTime() - DAY);
    const part = (options: Intl.DateTimeFormatOptions) => before.toLocaleDateString('en-GB', options);
    const dayBefore = `${part({ weekday: 'long' })} ${part({ day: 'numeric' })} ${part({ month: 'long' })} ${part({ year: 'numeric' })}`;
    expect(adminMinute).toMatch(
      new RegExp(`${dayBefore} \\d\\d:\\d\\d Mark Doe \\(parent or carer\\) asked to record`),
    );
    expect(adminMinute).toMatch(
      new RegExp(
        `${dayBefore} \\d\\d:\\d\\d Priya Shah \\(chair\\) and Tom Reid \\(social worker\\) were told by email`,
      ),
    );
    expect(adminMinute).toMatch(/\] \d\d:\d\d A tablet took the meeting record over/);
    assertNoPageErrors(page);

    // The second tablet tries the same meeting: it is told, in plain words, which tablet has it.
    await second.kiosk.openPrepared(TITLE);
    await second.kiosk
      .meetingsToday()
      .getByRole('alert')
      .getByText(fill(enGB.prepared.claimedBy, { label: 'Room 2 tablet' }))
      .waitFor();
    await second.kiosk.heading(enGB.home.title).waitFor();
    await expectNoAxeViolations(second.page, 'home, meeting claimed by another tablet');
    // Its only console errors are the pulls this test stopped, and the refused claim.
    const isExpected = (line: string) => /api\/v1\/prepared|status of 409|net::ERR_FAILED/.test(line);
    expect(pageErrors(second.page).filter((line) => !isExpected(line))).toEqual([]);
    await page.context().close();
    await second.page.context().close();
  }, 240_000);
});

/**
 * The meeting on the day: the requester's eligibility and undertaking, the round (the social worker does not
 * agree), screening, the chair's decision (HCS 2.12), the discussion, and closing.
 */
async function runTheMeeting(kiosk: KioskPage) {
  await kiosk.requesterSigns('Mark Doe');
  await kiosk.askAndAnswer('Priya Shah', 'yes');
  await kiosk.askAndAnswer('Tom Reid', { no: 'A third party’s health will be discussed.' });
  await kiosk.finishScreening();
  await kiosk.heading(enGB.decision.title).waitFor();
  await kiosk.page.getByLabel(enGB.decision.permit).check();
  await kiosk.page.getByLabel(enGB.decision.reason).fill('Mark needs an exact record of the plan.');
  await kiosk.button(enGB.decision.submit).click();
  await kiosk.heading(enGB.ready.title).waitFor();
  await kiosk.beginDiscussion();
  await kiosk.closeMeeting();
}

/** "2026-12-03T14:05" in local time, as a datetime-local field holds it. */
function localField(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * The organiser prepares the conference in the admin area's forms (posted with the admin's session, see
 * signedInAdmin): the meeting and its invited attendees, then the father's request received by email an
 * hour ago, and the attendees told of it. Returns the meeting's id.
 */
async function prepareConference(
  admin: APIRequestContext,
  service: RecordsService,
  startsAt: Date,
): Promise<string> {
  const headers = { Origin: service.base };
  const [date, time] = localField(startsAt).split('T');
  const created = await admin.post(`${service.base}/admin/prepare`, {
    headers,
    maxRedirects: 0,
    form: {
      kind: 'child-protection-conference',
      title: TITLE,
      date: date ?? '',
      time: time ?? '',
      place: 'Room 4, Civic Centre',
      profile: 'hertfordshire',
      device: '',
      child0: CHILD,
      'a0-name': 'Priya Shah',
      'a0-role': 'chair',
      'a0-agency': 'Children’s Services',
      'a1-name': 'Mark Doe',
      'a1-role': 'parent-carer',
      'a1-pr0': 'yes',
      'a2-name': 'Tom Reid',
      'a2-role': 'social-worker',
      'a2-agency': 'Children’s Services',
    },
  });
  expect(created.status(), await created.text()).toBe(303);
  const meetingId = /\/admin\/prepare\/([0-9a-f-]{36})$/.exec(created.headers().location ?? '')?.[1] ?? '';
  expect(meetingId).not.toBe('');
  const step = async (name: string, form: Record<string, string | string[]>) => {
    // A field given more than once (the attendees told) is sent as a browser sends checkboxes.
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
    const done = await admin.post(`${service.base}/admin/prepare/${meetingId}/${name}`, {
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      maxRedirects: 0,
      data: body.toString(),
    });
    expect(done.status(), await done.text()).toBe(303);
  };
  const now = Date.now();
  await step('request', {
    requester: 'invited-2',
    reason: 'memory',
    purpose: 'So I can listen again to what is agreed.',
    via: 'email',
    at: localField(new Date(now - 60 * 60_000)),
  });
  // A minute on (the record never runs backwards; the form takes whole minutes).
  // HCS 2.5: who was told, how and when.
  await step('notified', {
    via: 'email',
    told: ['invited-1', 'invited-3'],
    at: localField(new Date(now + 60_000)),
  });
  return meetingId;
}
