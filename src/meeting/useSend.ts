import { useCallback, useState } from 'react';
import type { DomainEvent } from '../domain/events';
import { useT } from '../shared/i18n';
import type { MeetingSession } from './session';

/** Sends one event; keeps a plain-language error on screen when it is refused, and loses nothing typed. */
export function useSend(session: MeetingSession) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  /** The code of the last refusal (null after a success), for an attendee's screen to say it in their words. */
  const [refusal, setRefusal] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const send = useCallback(
    async (event: DomainEvent): Promise<boolean> => {
      setBusy(true);
      try {
        const result = await session.send(event);
        if (result.ok) {
          setError(null);
          setRefusal(null);
          return true;
        }
        const { code, message } = result.rejection;
        setRefusal(code);
        const field = 'field' in result.rejection ? result.rejection.field : undefined;
        const what = field ? t(`fields.${field}`, { defaultValue: '' }) : '';
        setError(
          t('common.error', {
            message: what
              ? t(`reject.${code}-named`, {
                  field: what,
                  defaultValue: t(`reject.${code}`, { defaultValue: message }),
                })
              : t(`reject.${code}`, { defaultValue: message }),
          }),
        );
        return false;
      } catch (cause) {
        setRefusal('exception');
        setError(t('common.error', { message: cause instanceof Error ? cause.message : String(cause) }));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [session, t],
  );
  return { send, error, setError, refusal, isBusy };
}

export function newId(): string {
  return globalThis.crypto.randomUUID();
}
