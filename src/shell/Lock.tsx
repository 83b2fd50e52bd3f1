/** The chair's PIN: chosen on first run, asked for to leave an attendee's screen and after inactivity. */
import { useState } from 'react';
import { ErrorText, TextField } from '../shared/components';
import { useT } from '../shared/i18n';
import { isAcceptablePin, type PinRecord, verifyPin } from '../storage/pin';

export type LockReason = 'start' | 'handback' | 'idle' | 'chair';

export function SetPinScreen({ onSave }: { onSave: (pin: string) => Promise<void> }) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  return (
    <main className="centre" aria-labelledby="pin-title">
      <h1 id="pin-title">{t('pin.setTitle')}</h1>
      <p>{t('pin.setBody')}</p>
      <form
        className="form narrow"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!isAcceptablePin(pin)) return setError(t('pin.tooWeak'));
          if (pin !== again) return setError(t('pin.mismatch'));
          setBusy(true);
          await onSave(pin);
          setBusy(false);
        }}
      >
        <TextField
          label={t('pin.newPin')}
          type="password"
          inputMode="numeric"
          value={pin}
          onChange={setPin}
          autoComplete="new-password"
        />
        <TextField
          label={t('pin.confirmPin')}
          type="password"
          inputMode="numeric"
          value={again}
          onChange={setAgain}
          autoComplete="new-password"
        />
        <ErrorText message={error} />
        <button type="submit" className="primary big" disabled={isBusy}>
          {t('pin.setButton')}
        </button>
      </form>
    </main>
  );
}

export function LockScreen({
  reason,
  record,
  onUnlock,
  onCancel,
}: {
  reason: LockReason;
  record: PinRecord;
  onUnlock: () => void;
  /** Where someone else held the tablet: back to their screen as they left it, with no PIN. */
  onCancel?: () => void;
}) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
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
          setBusy(true);
          const isRight = await verifyPin(pin, record);
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
        <TextField
          label={t('pin.pinLabel')}
          type="password"
          inputMode="numeric"
          value={pin}
          onChange={setPin}
          autoComplete="current-password"
        />
        <ErrorText message={error} />
        <button type="submit" className="primary big" disabled={isBusy}>
          {t('pin.unlock')}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('pin.cancelBack')}
          </button>
        )}
      </form>
    </main>
  );
}
