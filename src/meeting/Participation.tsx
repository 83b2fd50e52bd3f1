/**
 * Issue 18, interpreters and people not in the room: how each attendee takes part (set-up and changes, the
 * chair's screens), and the choice, on an attendee's answer screen, of the interpreter present and the
 * language interpreted. Which
 * answers must be relayed, who may interpret and who may sign are the domain's (rules.ts); these only ask.
 */
import './messages';
import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { isEnglish } from '../domain/languages';
import { PARTICIPATION, type Participation, participationOf, type TakesPart } from '../domain/participation';
import { attendeeById, interpretersFor } from '../domain/rules';
import { CheckboxField, SelectField } from '../shared/components';
import { useT } from '../shared/i18n';
import { type AttendeeWords, beside, English } from './attendeeLanguage';
import { type MeetingSession, useMeetingSnapshot } from './session';

/** "by phone", "by video" or "in the room", in the chair's words, for how someone takes part. */
export function wayShort(t: TFunction, attendee: TakesPart | undefined): string {
  return t(`relay.wayShort.${participationOf(attendee)}`);
}

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

/**
 * Languages offered for an interpreter: those most often interpreted for families in England. Each is a
 * BCP-47 tag in its canonical spelling, named in the screen's language by Intl.DisplayNames; the list is a
 * convenience, not a rule (the domain takes any canonical tag other than English, and the minute names it
 * from the language registry, src/domain/languages.ts).
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

/** A language's name in the language the screen is shown in ("Polish", "Polski", "پولش"). */
function languageName(tag: string, inLanguage: string): string {
  try {
    return new Intl.DisplayNames([inLanguage], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/**
 * The language first offered: the language of the attendee's own screens when it is not English (someone
 * reading Polish screens most likely needs a Polish interpreter), else the first of the list.
 */
function firstLanguageFor(screenLanguage: string | undefined): string {
  return screenLanguage && !isEnglish(screenLanguage) ? screenLanguage : INTERPRETED_LANGUAGES[0];
}

export interface InterpreterChoiceValue {
  attendeeId: string;
  language: string;
}

/**
 * "The answer is given through an interpreter", on the attendee's own answer screen and in its language:
 * ticked, the interpreter present and the language are chosen. `onChange` receives the choice, or null when
 * the answer is not interpreted.
 */
export function InterpreterChoice({
  session,
  attendeeId,
  words,
  onChange,
}: {
  session: MeetingSession;
  attendeeId: string;
  words: AttendeeWords;
  onChange: (value: InterpreterChoiceValue | null) => void;
}) {
  const ctx = useMeetingSnapshot(session).context;
  const interpreters = interpretersFor(ctx, attendeeId);
  const first = firstLanguageFor(attendeeById(ctx, attendeeId)?.language);
  const languages = [first, ...INTERPRETED_LANGUAGES.filter((tag) => tag !== first)];
  const [isOn, setOn] = useState(false);
  const [who, setWho] = useState(interpreters[0]?.id ?? '');
  const [language, setLanguage] = useState<string>(first);
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
        label={beside(words, 'interpreterChoice.through')}
        isChecked={isOn}
        onChange={(on) => update(on, who || (interpreters[0]?.id ?? ''), language)}
      />
      {isOn && interpreters.length === 0 && (
        <p id={id} className="notice">
          {words.t('interpreterChoice.none')}
          <English text={words.en?.('interpreterChoice.none')} />
        </p>
      )}
      {isOn && interpreters.length > 0 && (
        <>
          <SelectField
            label={beside(words, 'interpreterChoice.interpreter')}
            value={who}
            options={interpreters.map((a) => ({ value: a.id, label: a.name }))}
            onChange={(next) => update(true, next, language)}
          />
          <SelectField
            label={beside(words, 'interpreterChoice.language')}
            value={language}
            options={languages.map((tag) => ({ value: tag, label: languageName(tag, words.lang) }))}
            onChange={(next) => update(true, who, next)}
          />
        </>
      )}
    </div>
  );
}
