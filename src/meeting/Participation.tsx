/**
 * Issue 18, interpreters and people not in the room: how each attendee takes part (set-up and changes), and
 * the chair's choice, on an answer screen, of the interpreter present and the language interpreted. Which
 * answers must be relayed, who may interpret and who may sign are the domain's (rules.ts); these only ask.
 */
import './messages';
import { useId, useState } from 'react';
import { PARTICIPATION, type Participation } from '../domain/participation';
import { interpretersFor } from '../domain/rules';
import { CheckboxField, ErrorText, SelectField } from '../shared/components';
import { i18n, useT } from '../shared/i18n';
import { type MeetingSession, useMeetingSnapshot } from './session';
import { useSend } from './useSend';

/** In the room, by phone or by video. */
export function ParticipationField({
  value,
  onChange,
}: {
  value: Participation;
  onChange: (value: Participation) => void;
}) {
  const t = useT();
  return (
    <SelectField
      label={t('relay.takesPartBy')}
      value={value}
      options={PARTICIPATION.map((p) => ({ value: p, label: t(`relay.ways.${p}`) }))}
      onChange={onChange}
    />
  );
}

/** Someone present moved between the room and the phone or video. */
export function ParticipationChangeForm({
  session,
  onDone,
}: {
  session: MeetingSession;
  onDone?: () => void;
}) {
  const t = useT();
  const present = useMeetingSnapshot(session).context.attendees.filter((a) => a.isPresent);
  const [who, setWho] = useState(present[0]?.id ?? '');
  const [way, setWay] = useState<Participation>('phone');
  const { send, error, isBusy } = useSend(session);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const event = {
          type: 'attendee.participation-changed',
          payload: { attendeeId: who, takesPartBy: way },
        } as const;
        if (await send(event)) onDone?.();
      }}
    >
      <SelectField
        label={t('relay.changeWho')}
        value={who}
        options={present.map((a) => ({ value: a.id, label: a.name }))}
        onChange={setWho}
      />
      <ParticipationField value={way} onChange={setWay} />
      <ErrorText message={error} />
      <button type="submit" className="primary" disabled={isBusy || !who}>
        {t('relay.changeSubmit')}
      </button>
    </form>
  );
}

/**
 * Languages offered first for an interpreter: those most often interpreted for families in England. Each
 * is a BCP-47 tag, named in the chair's language by Intl.DisplayNames; the list is a convenience, not a
 * registry (the domain takes any canonical tag).
 */
const INTERPRETED_LANGUAGES = [
  'pl',
  'ro',
  'ur',
  'pa',
  'bn',
  'gu',
  'ar',
  'so',
  'ti',
  'ku',
  'fa',
  'ps',
  'lt',
  'pt',
  'es',
  'fr',
  'tr',
  'uk',
  'ru',
  'zh',
] as const;

function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames([i18n.language], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export interface InterpreterChoiceValue {
  attendeeId: string;
  language: string;
}

/**
 * "The answer is given through an interpreter": the chair ticks it, chooses the interpreter present and
 * the language. `onChange` receives the choice, or null when the answer is not interpreted.
 */
export function InterpreterChoice({
  session,
  attendeeId,
  onChange,
}: {
  session: MeetingSession;
  attendeeId: string;
  onChange: (value: InterpreterChoiceValue | null) => void;
}) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const interpreters = interpretersFor(ctx, attendeeId);
  const [isOn, setOn] = useState(false);
  const [who, setWho] = useState(interpreters[0]?.id ?? '');
  const [language, setLanguage] = useState<string>(INTERPRETED_LANGUAGES[0]);
  const id = useId();
  const update = (on: boolean, nextWho: string, nextLanguage: string) => {
    setOn(on);
    setWho(nextWho);
    setLanguage(nextLanguage);
    onChange(on && nextWho ? { attendeeId: nextWho, language: nextLanguage } : null);
  };
  return (
    <div className="checks interpreter" aria-describedby={isOn && !interpreters.length ? id : undefined}>
      <CheckboxField
        label={t('relay.throughInterpreter')}
        isChecked={isOn}
        onChange={(on) => update(on, who || (interpreters[0]?.id ?? ''), language)}
      />
      {isOn && interpreters.length === 0 && (
        <p id={id} className="notice">
          {t('relay.noInterpreter')}
        </p>
      )}
      {isOn && interpreters.length > 0 && (
        <>
          <SelectField
            label={t('relay.interpreter')}
            value={who}
            options={interpreters.map((a) => ({ value: a.id, label: a.name }))}
            onChange={(next) => update(true, next, language)}
          />
          <SelectField
            label={t('relay.language')}
            value={language}
            options={INTERPRETED_LANGUAGES.map((tag) => ({ value: tag, label: languageName(tag) }))}
            onChange={(next) => update(true, who, next)}
          />
        </>
      )}
    </div>
  );
}
