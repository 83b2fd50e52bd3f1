/**
 * The chair's PIN: chosen on first run, asked for to leave an attendee's screen and after inactivity. Every
 * check of it, on any screen, goes through usePinGuard (waits after wrong PINs, shown as they count down),
 * and a forgotten PIN is reset here with a one-time code from an administrator, offline.
 */
import { lazy, Suspense, useState } from 'react';
import { ErrorText } from '../shared/components';
import { useT } from '../shared/i18n';

export type LockReason = 'start' | 'handback' | 'idle' | 'chair';

/** The reset flow is rarely needed: it loads (with the code check) only when asked for, not with the shell. */
const ResetPin = lazy(() => import('./ResetPin'));

import { NewPinForm, PinField, PinWaitNotice, usePinGuard } from './PinGuard';

export function SetPinScreen({ onSave }: { onSave: (pin: string) => Promise<void> }) {
  const t = useT();
  return (
    <main className="centre" aria-labelledby="pin-title">
      <h1 id="pin-title">{t('pin.setTitle')}</h1>
      <p>{t('pin.setBody')}</p>
      <NewPinForm
        submit={t('pin.setButton')}
        onSave={async (pin) => {
          await onSave(pin);
          return null;
        }}
      />
    </main>
  );
}

export function LockScreen({
  reason,
  onUnlock,
  onCancel,
}: {
  reason: LockReason;
  onUnlock: () => void;
  /** Where someone else held the tablet: back to their screen as they left it, with no PIN. */
  onCancel?: () => void;
}) {
  const t = useT();
  const guard = usePinGuard();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const [isResetting, setResetting] = useState(false);
  if (isResetting)
    return (
      <Suspense fallback={null}>
        <ResetPin guard={guard} onDone={onUnlock} onBack={() => setResetting(false)} />
      </Suspense>
    );
  const isWaiting = guard.waitMs !== 0;
  return (
    <main className="centre" aria-labelledby="lock-title">
      {reason === 'handback' && (
        <div className="handback" role="status">
          <h1>{t('pin.handBackTitle')}</h1>
          <p className="big-text">{t('pin.handBackBody')}</p>
        </div>
      )}
      {reason === 'idle' && <p role="status">{t('pin.idleBody')}</p>}
      <form
        className="form narrow"
        onSubmit={async (e) => {
          e.preventDefault();
          if (isWaiting) return;
          setBusy(true);
          const isRight = await guard.check(pin);
          setBusy(false);
          setPin('');
          if (isRight) onUnlock();
          else setError(t('pin.wrong'));
        }}
      >
        {reason === 'handback' ? (
          <h2 id="lock-title">{t('pin.lockedTitle')}</h2>
        ) : (
          <h1 id="lock-title">{t('pin.lockedTitle')}</h1>
        )}
        <PinField label={t('pin.pinLabel')} value={pin} onChange={setPin} autoComplete="current-password" />
        <ErrorText message={error} />
        <PinWaitNotice waitMs={guard.waitMs} />
        <button type="submit" className="primary big" disabled={isBusy || isWaiting}>
          {t('pin.unlock')}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('pin.cancelBack')}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => setResetting(true)}>
          {t('pin.forgotten')}
        </button>
      </form>
    </main>
  );
}
