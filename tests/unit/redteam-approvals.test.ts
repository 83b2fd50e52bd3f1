/**
 * Red team of translation approvals (issue 18's languages, after approvals came to name the undertaking
 * texts they cover). Each test failed on the code the red team attacked:
 * 1. a hash listed in a language's approval counted from the language's first day, so listing in June a
 *    text signed in March as "not yet approved" made the truthful March log fail to replay;
 * 2. a shipped translation changed in place (a "correction") would make every log signed with the old text
 *    fail to replay: shipped texts stay, and a correction ships as a new undertaking version;
 * 3. the signer's screen worked out "approved" with the tablet's clock, while the store seals at the previous
 *    event's time when the clock was set back: a truthful signature was refused until the clock caught up.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DomainEvent, EventOf } from '../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import {
  isUndertakingTranslationApproved,
  PROFILES,
  type ProfileId,
  undertakingTranslationOf,
} from '../../src/domain/profiles';
import { replay } from '../../src/domain/replay';
import { createDb } from '../../src/storage/db';
import { MeetingStore } from '../../src/storage/meetingStore';
import * as s from '../support/scenario';
import { itemLines, opening } from '../support/steps';

const { people } = s;
const polish = undertakingTranslationOf(PROFILES.hertfordshire, 'pl');

const UP_TO_SIGNING: DomainEvent[] = [
  ...opening([people.chair, { ...people.mother, language: 'pl' }, people.socialWorker]),
  s.requested('mother'),
  s.eligible(),
  ...s.understood('mother'),
];

/** Runs `body` with Hertfordshire's approvals set to `approval`, then puts them back. */
async function withApproval(approval: unknown, body: () => Promise<void>) {
  const profile = PROFILES.hertfordshire as { translationApproval?: unknown };
  const before = profile.translationApproval;
  profile.translationApproval = approval;
  try {
    await body();
  } finally {
    profile.translationApproval = before;
  }
}

const signedInPolish = (isApproved: boolean): DomainEvent => {
  const event = s.signedTodayIn('mother', 'pl');
  if (event.type !== 'undertaking.signed' || !event.payload.translation) throw new Error('not signed');
  return {
    ...event,
    payload: { ...event.payload, translation: { ...event.payload.translation, isApproved } },
  };
};

afterEach(() => {
  vi.useRealTimers();
});

describe('an approval of a translation does not rewrite the past', () => {
  it('a text listed in June is approved from June: a March signature of it as "not yet approved" still replays', async () => {
    if (!polish) throw new Error('no Polish translation');
    const earlier = 'e'.repeat(64);
    // January: Polish is approved, naming the Polish text the translator read then (an earlier one).
    await withApproval(
      { pl: { from: '2027-01-10', undertaking: { [earlier]: { from: '2027-01-10' } } } },
      async () => {
        const march = await s.sealAll([...UP_TO_SIGNING, signedInPolish(false)], '2027-03-01T09:58:00+00:00');
        expect((await replay(march)).ok).toBe(true);
        expect(itemLines(renderMinuteText(minuteEntry(march))).join('\n')).toContain(
          'The Polish translation had not been approved by the council.',
        );
      },
    );
    // June: the translator reviews today's text, and it is listed from that day.
    const june = {
      pl: {
        from: '2027-01-10',
        undertaking: { [earlier]: { from: '2027-01-10' }, [polish.sha256]: { from: '2027-06-01' } },
      },
    };
    await withApproval(june, async () => {
      const march = await s.sealAll([...UP_TO_SIGNING, signedInPolish(false)], '2027-03-01T09:58:00+00:00');
      const again = await replay(march);
      expect(again.ok ? null : again.error.message).toBeNull();
      // March cannot claim June's approval; July can, and must.
      const marchClaim = await s.sealAll(
        [...UP_TO_SIGNING, signedInPolish(true)],
        '2027-03-01T09:58:00+00:00',
      );
      expect((await replay(marchClaim)).ok).toBe(false);
      const july = await s.sealAll([...UP_TO_SIGNING, signedInPolish(true)], '2027-07-01T09:58:00+00:00');
      expect((await replay(july)).ok).toBe(true);
      expect(itemLines(renderMinuteText(minuteEntry(july))).join('\n')).not.toContain(
        'had not been approved',
      );
    });
  });
});

describe('a shipped translation is never changed in place', () => {
  // Every translation of the undertaking shipped so far, by profile, version and language, with its hash.
  // Logs signed with these texts must replay for ever: a corrected translation ships as a new undertaking
  // version (docs/operating.md), and this list only grows.
  const SHIPPED: ReadonlyArray<readonly [ProfileId, string, string, string]> = [
    ['hertfordshire', 'hcs-2026-3', 'pl', 'e6b8f05bb30406106d926361f02eaca99242db77a52ea3ca5bd6e011111fcdbb'],
    ['hertfordshire', 'hcs-2026-3', 'ur', 'dcfcf038da18b64da41199746bda47c842f6c904165ae4925a756590861b7493'],
    ['hertfordshire', 'hcs-2026-3', 'ro', '60cd9936beddbe6f67485cb0250bb5440c03038909daee661c1558c2616aa33a'],
  ];

  it.each(SHIPPED)('%s %s in %s is still the text it was', (profileId, version, language, sha256) => {
    expect(undertakingTranslationOf(PROFILES[profileId], language, version)?.sha256).toBe(sha256);
  });
});

describe('the signature the screen builds is the one the store accepts', () => {
  it('after the tablet clock is set back over the first midnight of an approval, the signature is sealed with the approval as it stood at its sealing', async () => {
    if (!polish) throw new Error('no Polish translation');
    const approval = { pl: { from: '2027-01-10', undertaking: { [polish.sha256]: { from: '2027-01-10' } } } };
    await withApproval(approval, async () => {
      const db = createDb(`redteam-approvals-${crypto.randomUUID()}`);
      try {
        vi.useFakeTimers({ toFake: ['Date'] });
        // The clock ran 20 minutes fast: the meeting so far was sealed just after midnight.
        vi.setSystemTime(new Date('2027-01-10T00:05:00Z'));
        const store = new MeetingStore(db, { deviceId: s.DEVICE_ID, now: () => new Date() });
        const [opened, ...rest] = UP_TO_SIGNING;
        const created = await store.createMeeting(opened as EventOf<'meeting.opened'>);
        if (!created.ok) throw new Error(created.rejection.message);
        for (const e of rest) {
          const r = await store.append(created.meetingId, e);
          if (!r.ok) throw new Error(`${e.type}: ${r.rejection.message}`);
        }
        // The clock is put right (23:50 on the 9th), and the screen works out "not approved" by it.
        vi.setSystemTime(new Date('2027-01-09T23:50:00Z'));
        const byTheScreen = isUndertakingTranslationApproved(
          PROFILES.hertfordshire,
          { language: 'pl', textSha256: polish.sha256 },
          new Date().toISOString(),
        );
        expect(byTheScreen).toBe(false);
        const result = await store.append(created.meetingId, signedInPolish(byTheScreen));
        expect(result.ok ? null : result.rejection.message).toBeNull();
        // Sealed at 00:05 on the 10th (time never runs backwards in a log): approved by then, and it says so.
        const log = await store.events(created.meetingId);
        const signature = log.at(-1);
        expect(signature?.at.startsWith('2027-01-10T00:05')).toBe(true);
        expect(signature?.type === 'undertaking.signed' && signature.payload.translation?.isApproved).toBe(
          true,
        );
        expect((await replay(log)).ok).toBe(true);
      } finally {
        vi.useRealTimers();
        await db.delete();
      }
    });
  });
});
