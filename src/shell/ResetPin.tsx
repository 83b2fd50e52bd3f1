/** "Forgotten your PIN?" (issue 16): loaded only when a chair asks for it, so the shell stays small. */
import { useEffect, useState } from 'react';
import { ErrorText, TextField } from '../shared/components';
import { useT } from '../shared/i18n';
import { NewPinForm, PinWaitNotice, type usePinGuard } from './PinGuard';

/** "Forgotten your PIN?": the administrator's code, checked offline, then a new PIN. */
export default function ResetPin({
  guard,
  onDone,
  onBack,
}: {
  guard: ReturnType<typeof usePinGuard>;
  onDone: () => void;
  onBack: () => void;
}) {
  const t = useT();
  const [canReset, setCanReset] = useState<boolean | null>(null);
  const [code, setCode] = useState('');
  const [rightCode, setRightCode] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const { canReset: readCanReset } = guard;
  useEffect(() => {
    let isCurrent = true;
    void readCanReset().then((can) => isCurrent && setCanReset(can));
    return () => {
      isCurrent = false;
    };
  }, [readCanReset]);
  const isWaiting = guard.waitMs !== 0;
  const back = (
    <button type="button" className="secondary" onClick={onBack}>
      {t('pin.backToPin')}
    </button>
  );

  if (rightCode !== null)
    return (
      <main className="centre" aria-labelledby="reset-title">
        <h1 id="reset-title">{t('pin.newPinTitle')}</h1>
        <p>{t('pin.newPinBody')}</p>
        <NewPinForm
          submit={t('pin.saveNewPin')}
          onSave={async (pin) => {
            const outcome = await guard.reset(rightCode, pin);
            if (outcome.ok) {
              onDone();
              return null;
            }
            if (outcome.reason === 'weak-pin') return t('pin.tooWeak');
            setRightCode(null);
            setCode('');
            setError(t('pin.codeUsed'));
            return null;
          }}
        />
      </main>
    );

  return (
    <main className="centre" aria-labelledby="reset-title">
      <h1 id="reset-title">{t('pin.resetTitle')}</h1>
      {canReset === false ? (
        <>
          <p role="status">{t('pin.resetNotEnrolled')}</p>
          {back}
        </>
      ) : (
        <form
          className="form narrow"
          onSubmit={async (e) => {
            e.preventDefault();
            if (isWaiting) return;
            setBusy(true);
            const outcome = await guard.checkCode(code);
            setBusy(false);
            if (outcome.ok) {
              setError(null);
              return setRightCode(code);
            }
            setCode('');
            setError('notEnrolled' in outcome ? t('pin.resetNotEnrolled') : t('pin.codeWrong'));
          }}
        >
          <p>{t('pin.resetBody')}</p>
          <TextField
            label={t('pin.codeLabel')}
            value={code}
            onChange={setCode}
            autoComplete="one-time-code"
          />
          <ErrorText message={error} />
          <PinWaitNotice waitMs={guard.waitMs} />
          <button type="submit" className="primary big" disabled={isBusy || isWaiting || canReset === null}>
            {t('pin.checkCode')}
          </button>
          {back}
        </form>
      )}
    </main>
  );
}
