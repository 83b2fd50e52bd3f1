/**
 * The chair's PIN guard and the forms both the lock and the reset flow use: every check of the PIN, on any
 * screen, goes through usePinGuard (waits after wrong PINs, shown as they count down). Its own module, so
 * that the lock screen and the lazily loaded reset flow both import it and neither imports the other.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { ErrorText, TextField } from '../shared/components';
import { useT } from '../shared/i18n';
import type { KioskDb } from '../storage/db';
import { isAcceptablePin } from '../storage/pin';
import {
  type CodeOutcome,
  canResetPin,
  checkPin,
  checkResetCode,
  pinWait,
  resetPinWithCode,
} from '../storage/pinGuard';

const GuardContext = createContext<{ db: KioskDb; now: () => number } | null>(null);

/** Gives every PIN check below it the tablet's database (where the count of wrong tries is kept). */
export function PinGuardProvider({
  db,
  now = Date.now,
  children,
}: {
  db: KioskDb;
  now?: () => number;
  children: ReactNode;
}) {
  const [value] = useState(() => ({ db, now }));
  return <GuardContext.Provider value={value}>{children}</GuardContext.Provider>;
}

/**
 * The one way a screen checks the chair's PIN: a try is refused while a wait runs; `waitMs` counts down
 * (null until the stored count has been read, so a reload cannot sneak a try in first).
 */
export function usePinGuard() {
  const guard = useContext(GuardContext);
  if (!guard) throw new Error('usePinGuard needs a PinGuardProvider above it.');
  const { db, now } = guard;
  const [until, setUntil] = useState<number | null>(null);
  const [clock, setClock] = useState(now);

  useEffect(() => {
    let isCurrent = true;
    const at = now();
    void pinWait(db, at).then((w) => {
      if (!isCurrent) return;
      setClock(at);
      setUntil(at + w);
    });
    return () => {
      isCurrent = false;
    };
  }, [db, now]);

  useEffect(() => {
    if (until === null || until <= clock) return;
    const timer = setInterval(() => setClock(now()), 1000);
    return () => clearInterval(timer);
  }, [until, clock, now]);

  const waitFor = useCallback(
    (waitMs: number) => {
      const at = now();
      setClock(at);
      setUntil(at + waitMs);
    },
    [now],
  );

  const check = useCallback(
    async (pin: string): Promise<boolean> => {
      const outcome = await checkPin(db, pin, now());
      waitFor(outcome.ok ? 0 : outcome.waitMs);
      return outcome.ok;
    },
    [db, now, waitFor],
  );

  const checkCode = useCallback(
    async (code: string): Promise<CodeOutcome> => {
      const outcome = await checkResetCode(db, code, now());
      if (!outcome.ok && 'waitMs' in outcome) waitFor(outcome.waitMs);
      return outcome;
    },
    [db, now, waitFor],
  );

  const reset = useCallback(
    async (code: string, pin: string) => {
      const outcome = await resetPinWithCode(db, code, pin);
      if (outcome.ok) waitFor(0);
      return outcome;
    },
    [db, waitFor],
  );

  const canReset = useCallback(() => canResetPin(db), [db]);

  return {
    /** Milliseconds before the next try; null while not yet known. */
    waitMs: until === null ? null : Math.max(0, until - clock),
    check,
    checkCode,
    reset,
    canReset,
  };
}

/**
 * How long to wait, in plain words, in a live region. Rounded up to 10 seconds, then to minutes, so that
 * a screen reader is told every few seconds rather than every second.
 */
export function PinWaitNotice({ waitMs }: { waitMs: number | null }) {
  const t = useT();
  const seconds = Math.ceil((waitMs ?? 0) / 1000);
  const tens = Math.ceil(seconds / 10) * 10;
  const text =
    seconds <= 0
      ? ''
      : tens < 60
        ? t('pin.waitSeconds', { count: tens })
        : t('pin.waitMinutes', { count: Math.ceil(seconds / 60) });
  return (
    <p className="pin-wait" role="status" aria-atomic="true">
      {text}
    </p>
  );
}

/** A PIN: digits, hidden as typed. */
export function PinField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'new-password' | 'current-password';
}) {
  return <TextField type="password" inputMode="numeric" {...props} />;
}

/** Two PIN fields and a save button: the first PIN, and a new one after a reset. */
export function NewPinForm({
  submit,
  onSave,
}: {
  submit: string;
  onSave: (pin: string) => Promise<string | null>;
}) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  return (
    <form
      className="form narrow"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!isAcceptablePin(pin)) return setError(t('pin.tooWeak'));
        if (pin !== again) return setError(t('pin.mismatch'));
        setBusy(true);
        const refusal = await onSave(pin);
        setBusy(false);
        setError(refusal);
      }}
    >
      <PinField label={t('pin.newPin')} value={pin} onChange={setPin} autoComplete="new-password" />
      <PinField label={t('pin.confirmPin')} value={again} onChange={setAgain} autoComplete="new-password" />
      <ErrorText message={error} />
      <button type="submit" className="primary big" disabled={isBusy}>
        {submit}
      </button>
    </form>
  );
}
