// @vitest-environment jsdom
/**
 * The PIN screen with its guard: a wait stored before a reload is shown at once, in words, with Unlock
 * disabled; a tablet never enrolled says a reset needs an enrolled tablet.
 */
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { LockScreen } from '../../src/shell/Lock';
import { PinGuardProvider } from '../../src/shell/PinGuard';
import { createDb, type KioskDb } from '../../src/storage/db';
import { savePin } from '../../src/storage/pin';
import { FREE_ATTEMPTS } from '../../src/storage/pinAttempts';
import { checkPin } from '../../src/storage/pinGuard';

const openDbs: KioskDb[] = [];
afterEach(async () => {
  cleanup();
  for (const db of openDbs.splice(0)) await db.delete();
});

const T0 = Date.parse('2026-12-02T10:00:00Z');

async function tablet() {
  const db = createDb(`pin-lock-${crypto.randomUUID()}`);
  openDbs.push(db);
  await savePin(db, '2580');
  return db;
}

const show = (db: KioskDb, now: () => number) =>
  render(
    <PinGuardProvider db={db} now={now}>
      <LockScreen reason="start" onUnlock={() => undefined} />
    </PinGuardProvider>,
  );

describe('the PIN screen', () => {
  it('after a reload, a running wait is shown in words and Unlock stays disabled', async () => {
    const db = await tablet();
    for (let i = 0; i < FREE_ATTEMPTS + 1; i++) await checkPin(db, '1111', T0);
    // The sixth wrong PIN, once the first wait is over, doubles it to a minute.
    await checkPin(db, '1111', T0 + 30_000);
    show(db, () => T0 + 35_000);
    expect(
      await screen.findByText('Too many wrong tries. Please wait 1 minute, then try again.'),
    ).toBeInstanceOf(HTMLElement);
    const unlock = screen.getByRole('button', { name: enGB.pin.unlock }) as HTMLButtonElement;
    expect(unlock.disabled).toBe(true);
  });

  it('with no wait, Unlock is enabled and nothing is announced', async () => {
    const db = await tablet();
    show(db, () => T0);
    const unlock = screen.getByRole('button', { name: enGB.pin.unlock }) as HTMLButtonElement;
    await expect.poll(() => unlock.disabled).toBe(false);
    expect(screen.queryByText(/Please wait/)).toBeNull();
  });

  it('on a tablet never enrolled, "Forgotten your PIN?" says a reset needs an enrolled tablet', async () => {
    const db = await tablet();
    show(db, () => T0);
    fireEvent.click(screen.getByRole('button', { name: enGB.pin.forgotten }));
    expect(await screen.findByText(enGB.pin.resetNotEnrolled)).toBeInstanceOf(HTMLElement);
    expect(screen.queryByLabelText(enGB.pin.codeLabel)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: enGB.pin.backToPin }));
    expect(screen.getByRole('heading', { name: enGB.pin.lockedTitle })).toBeInstanceOf(HTMLElement);
  });
});
