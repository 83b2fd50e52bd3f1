/** Forms the chair fills in: an attendee, a request to record, a reason. Each sends one domain event. */
import { LANGUAGES, type ShippedLanguage, SOURCE_LANGUAGE } from '../domain/languages';
import './messages';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { isoWithOffset } from '../domain/chain';
import type { DomainEvent } from '../domain/events';
import { PURPOSE_REASONS, type PurposeReason, type ReceivedVia, ROLES, type Role } from '../domain/model';
import type { Participation } from '../domain/participation';
import { eligibilityBasis, isLateAdvanceRequest, profileOf } from '../domain/rules';
import {
  CheckboxField,
  Disclosure,
  ErrorText,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../shared/components';
import { useT } from '../shared/i18n';
import { ParticipationField } from './Participation';
import { type RoleAndAgency, readRemembered, remember } from './remembered';
import type { MeetingSession } from './session';
import { useMeetingSnapshot } from './session';
import { newId, useSend } from './useSend';

/** Roles and agencies used on this tablet before, most recent first (empty until read, or without a database). */
function useRemembered(session: MeetingSession): RoleAndAgency[] {
  const [list, setList] = useState<RoleAndAgency[]>([]);
  useEffect(() => {
    let isCurrent = true;
    if (session.db)
      void readRemembered(session.db)
        .then((l) => isCurrent && setList(l))
        .catch(() => undefined);
    return () => {
      isCurrent = false;
    };
  }, [session]);
  return list;
}

export function AttendeeForm({
  session,
  kind,
  onDone,
  isRepeating = false,
}: {
  session: MeetingSession;
  kind: 'attendee.added' | 'attendee.joined';
  onDone?: () => void;
  /** Stays open after each attendee, emptied and ready for the next, with the cursor in the name. */
  isRepeating?: boolean;
}) {
  const t = useT();
  const snapshot = useMeetingSnapshot(session);
  const children = snapshot.context.children;
  const { send, error, setError, isBusy } = useSend(session);
  const formRef = useRef<HTMLFormElement>(null);
  const remembered = useRemembered(session);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [agency, setAgency] = useState('');
  // The language of their own screens (issue 18); they can change it on their screen.
  const [language, setLanguage] = useState<ShippedLanguage>(SOURCE_LANGUAGE);
  const [pr, setPr] = useState<Record<string, boolean>>({});
  const [childId, setChildId] = useState(children[0]?.id ?? '');
  const [isAbsent, setAbsent] = useState(false);
  const [takesPartBy, setTakesPartBy] = useState<Participation>('in-room');
  const [added, setAdded] = useState('');
  const labelOf = (r: RoleAndAgency) =>
    r.agency
      ? t('attendees.rememberedChoice', { role: t(`attendees.roles.${r.role}`), agency: r.agency })
      : t(`attendees.roles.${r.role}`);
  // A role chosen from the list brings the agency last used with it, unless one has been typed.
  const chooseRole = (next: Role | '') => {
    setRole(next);
    if (!agency.trim()) setAgency(remembered.find((r) => r.role === next)?.agency ?? '');
  };

  const submit = async () => {
    if (!name.trim()) return setError(t('attendees.needName'));
    if (!role) return setError(t('attendees.needRole'));
    const attendee = {
      id: newId(),
      name: name.trim(),
      role,
      ...(agency.trim() ? { agency: agency.trim() } : {}),
      ...(role === 'parent-carer'
        ? { parentalResponsibility: Object.fromEntries(children.map((c) => [c.id, pr[c.id] === true])) }
        : {}),
      ...(role === 'young-person' && childId ? { subjectChildId: childId } : {}),
      ...(language !== SOURCE_LANGUAGE ? { language } : {}),
    };
    const how = takesPartBy !== 'in-room' ? { takesPartBy } : {};
    const event: DomainEvent =
      kind === 'attendee.added'
        ? { type: kind, payload: { attendee, ...(isAbsent ? { isAbsent: true } : {}), ...how } }
        : { type: kind, payload: { attendee, ...how } };
    if (await send(event)) {
      if (session.db) void remember(session.db, { role, agency: agency.trim() });
      setName('');
      setRole('');
      setAgency('');
      setPr({});
      setAbsent(false);
      setLanguage(SOURCE_LANGUAGE);
      setTakesPartBy('in-room');
      setAdded(attendee.name);
      if (isRepeating) formRef.current?.querySelector('input')?.focus();
      onDone?.();
    }
  };

  return (
    <form
      ref={formRef}
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {isRepeating && added && (
        <p role="status" className="small">
          {t('attendees.added', { name: added })}
        </p>
      )}
      <TextField label={t('attendees.name')} value={name} onChange={setName} isRequired />
      {remembered.length > 0 && (
        <fieldset className="checks">
          <legend>{t('attendees.remembered')}</legend>
          <div className="row">
            {remembered.map((r) => (
              <button
                key={`${r.role} ${r.agency ?? ''}`}
                type="button"
                className="secondary"
                aria-pressed={role === r.role && agency === (r.agency ?? '')}
                onClick={() => {
                  setRole(r.role);
                  setAgency(r.agency ?? '');
                }}
              >
                {labelOf(r)}
              </button>
            ))}
          </div>
        </fieldset>
      )}
      <SelectField
        label={t('attendees.role')}
        value={role}
        options={[
          { value: '' as const, label: t('attendees.chooseRole') },
          ...ROLES.map((r) => ({ value: r, label: t(`attendees.roles.${r}`) })),
        ]}
        onChange={chooseRole}
      />
      <TextField
        label={`${t('attendees.agency')} (${t('common.optional')})`}
        value={agency}
        onChange={setAgency}
      />
      {role === 'parent-carer' &&
        children.map((c) => (
          <CheckboxField
            key={c.id}
            label={t('attendees.pr', { child: c.name })}
            isChecked={pr[c.id] === true}
            onChange={(v) => setPr({ ...pr, [c.id]: v })}
          />
        ))}
      {role === 'young-person' && children.length > 0 && (
        <SelectField
          label={t('attendees.subjectChild')}
          value={childId}
          options={children.map((c) => ({ value: c.id, label: c.name }))}
          onChange={setChildId}
        />
      )}
      <SelectField
        label={t('attendees.language')}
        value={language}
        options={LANGUAGES.map((l) => ({
          value: l.code,
          label: l.code === SOURCE_LANGUAGE ? l.englishName : `${l.englishName} (${l.ownName})`,
        }))}
        onChange={setLanguage}
      />
      <ParticipationField value={takesPartBy} onChange={setTakesPartBy} />
      {kind === 'attendee.added' && (
        <CheckboxField label={t('attendees.notHereYet')} isChecked={isAbsent} onChange={setAbsent} />
      )}
      <ErrorText message={error} />
      <button type="submit" className="primary" disabled={isBusy}>
        {kind === 'attendee.joined'
          ? t('attendees.joinSubmit')
          : name.trim()
            ? t('attendees.addSubmit', { name: name.trim() })
            : t('attendees.addSubmitEmpty')}
      </button>
    </form>
  );
}

export function LeftForm({ session, onDone }: { session: MeetingSession; onDone?: () => void }) {
  const t = useT();
  const snapshot = useMeetingSnapshot(session);
  const present = snapshot.context.attendees.filter((a) => a.isPresent);
  const [who, setWho] = useState(present[0]?.id ?? '');
  const { send, error, isBusy } = useSend(session);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await send({ type: 'attendee.left', payload: { attendeeId: who } })) onDone?.();
      }}
    >
      <SelectField
        label={t('attendees.leftWho')}
        value={who}
        options={present.map((a) => ({ value: a.id, label: a.name }))}
        onChange={setWho}
      />
      <ErrorText message={error} />
      <button type="submit" className="primary" disabled={isBusy || !who}>
        {t('attendees.leftSubmit')}
      </button>
    </form>
  );
}

export function RequestForm({ session, onDone }: { session: MeetingSession; onDone?: () => void }) {
  const t = useT();
  const snapshot = useMeetingSnapshot(session);
  const ctx = snapshot.context;
  const isAfterStart = ctx.hasDiscussionStarted;
  // The people who may ask (HCS 1.3) come first; anyone present can still be chosen, and is then refused.
  const present = ctx.attendees.filter((a) => a.isPresent);
  const candidates = [
    ...present.filter((a) => eligibilityBasis(ctx, a.id) !== null),
    ...present.filter((a) => eligibilityBasis(ctx, a.id) === null),
  ];
  const [requesterId, setRequesterId] = useState(candidates[0]?.id ?? '');
  const [secondId, setSecondId] = useState('');
  const [reasons, setReasons] = useState<PurposeReason[]>([]);
  const [purpose, setPurpose] = useState('');
  const [timing, setTiming] = useState<'on-the-day' | 'in-advance'>('on-the-day');
  const [via, setVia] = useState<ReceivedVia>('in-person');
  const [receivedAt, setReceivedAt] = useState('');
  const { send, error, setError, isBusy } = useSend(session);
  const profile = profileOf(ctx);

  const receivedIso = timing === 'in-advance' && receivedAt ? isoWithOffset(new Date(receivedAt)) : null;
  const request = {
    requesterId,
    ...(secondId && secondId !== requesterId ? { additionalRequesterIds: [secondId] } : {}),
    reasons,
    purpose: purpose.trim(),
    timing: isAfterStart ? ('after-start' as const) : timing,
    receivedVia: via,
    receivedAt: receivedIso ?? isoWithOffset(new Date()),
  };
  const isLate =
    ctx.meeting && receivedIso
      ? isLateAdvanceRequest(ctx.meeting, request, profile.advanceNotice.hours)
      : false;

  const submit = async () => {
    if (!requesterId) return setError(t('request.needRequester'));
    const event: DomainEvent = { type: 'request.made', payload: { request } };
    if (await send(event)) onDone?.();
  };

  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <SelectField
        label={t('request.requester')}
        value={requesterId}
        options={candidates.map((a) => ({
          value: a.id,
          label: `${a.name} (${t(`attendees.roles.${a.role}`)})`,
        }))}
        onChange={setRequesterId}
      />
      <SelectField
        label={t('request.second')}
        value={secondId}
        options={[
          { value: '', label: t('request.nobodyElse') },
          ...candidates
            .filter((a) => a.id !== requesterId && eligibilityBasis(ctx, a.id) !== null)
            .map((a) => ({ value: a.id, label: `${a.name} (${t(`attendees.roles.${a.role}`)})` })),
        ]}
        onChange={setSecondId}
      />
      <fieldset className="checks">
        <legend>{t('request.reasons')}</legend>
        {PURPOSE_REASONS.map((r) => (
          <CheckboxField
            key={r}
            label={t(`request.reasonLabels.${r}`)}
            isChecked={reasons.includes(r)}
            onChange={(v) => setReasons(v ? [...reasons, r] : reasons.filter((x) => x !== r))}
          />
        ))}
      </fieldset>
      <TextArea
        label={`${t('request.purpose')} (${t('common.optional')})`}
        value={purpose}
        onChange={setPurpose}
      />
      {!isAfterStart && (
        <RadioGroup
          legend={t('request.timing')}
          value={timing}
          options={[
            { value: 'on-the-day', label: t('request.timings.on-the-day') },
            { value: 'in-advance', label: t('request.timings.in-advance') },
          ]}
          onChange={(v) => {
            setTiming(v);
            if (v === 'in-advance' && via === 'in-person') setVia('email');
          }}
        />
      )}
      <SelectField
        label={t('request.receivedVia')}
        value={via}
        options={(['in-person', 'email', 'telephone', 'letter'] as const).map((v) => ({
          value: v,
          label: t(`request.via.${v}`),
        }))}
        onChange={setVia}
      />
      {timing === 'in-advance' && !isAfterStart && (
        <TextField
          label={t('request.receivedAt')}
          type="datetime-local"
          value={receivedAt}
          onChange={setReceivedAt}
        />
      )}
      {isLate && <p className="notice">{t('request.late', { hours: profile.advanceNotice.hours })}</p>}
      <ErrorText message={error} />
      <button type="submit" className="primary" disabled={isBusy}>
        {isAfterStart ? t('request.afterStartSubmit') : t('request.submit')}
      </button>
    </form>
  );
}

/** One required text, then one event built from it. */
export function ReasonForm({
  session,
  label,
  submitLabel,
  build,
  onDone,
}: {
  session: MeetingSession;
  label: string;
  submitLabel: string;
  build: (text: string) => DomainEvent;
  onDone?: () => void;
}) {
  const t = useT();
  const [text, setText] = useState('');
  const { send, error, setError, isBusy } = useSend(session);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!text.trim()) return setError(`${label}: ${t('common.required')}`);
        if (await send(build(text.trim()))) onDone?.();
      }}
    >
      <TextArea label={label} value={text} onChange={setText} />
      <ErrorText message={error} />
      <button type="submit" className="primary" disabled={isBusy}>
        {submitLabel}
      </button>
    </form>
  );
}

/** A chair's action that needs a reason: a button that opens the reason form, and closes once it is sent. */
export function ReasonAction({
  session,
  label,
  reasonLabel,
  submitLabel,
  build,
}: {
  session: MeetingSession;
  label: string;
  reasonLabel: string;
  submitLabel: string;
  build: (text: string) => DomainEvent;
}) {
  return (
    <Disclosure label={label}>
      {(close) => (
        <ReasonForm
          session={session}
          label={reasonLabel}
          submitLabel={submitLabel}
          build={build}
          onDone={close}
        />
      )}
    </Disclosure>
  );
}

/** Someone on the attendee list, chosen from those the action applies to, then one event (with a reason, if asked). */
export function PersonActionForm({
  session,
  people,
  whoLabel,
  reasonLabel,
  submitLabel,
  build,
  onDone,
  children,
}: {
  session: MeetingSession;
  people: ReadonlyArray<{ id: string; name: string }>;
  whoLabel: string;
  reasonLabel?: string;
  submitLabel: string;
  build: (attendeeId: string, reason: string) => DomainEvent;
  onDone?: () => void;
  /** Further fields of the action, after the person (their state is the caller's, read by `build`). */
  children?: ReactNode;
}) {
  const [who, setWho] = useState(people[0]?.id ?? '');
  const [reason, setReason] = useState('');
  const { send, error, isBusy } = useSend(session);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await send(build(who, reason.trim()))) onDone?.();
      }}
    >
      <SelectField
        label={whoLabel}
        value={who}
        options={people.map((a) => ({ value: a.id, label: a.name }))}
        onChange={setWho}
      />
      {children}
      {reasonLabel && <TextArea label={reasonLabel} value={reason} onChange={setReason} />}
      <ErrorText message={error} />
      <button type="submit" className="primary" disabled={isBusy || !who}>
        {submitLabel}
      </button>
    </form>
  );
}

/** A correction of an attendee's details: an event that the minute shows as a correction. */
export function CorrectAttendeeForm({ session, onDone }: { session: MeetingSession; onDone?: () => void }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const [who, setWho] = useState(ctx.attendees[0]?.id ?? '');
  const current = ctx.attendees.find((a) => a.id === who);
  const [name, setName] = useState(current?.name ?? '');
  const [role, setRole] = useState<Role>(current?.role ?? 'other');
  const [agency, setAgency] = useState(current?.agency ?? '');
  const [pr, setPr] = useState<Record<string, boolean>>(current?.parentalResponsibility ?? {});
  const { send, error, isBusy } = useSend(session);
  const choose = (id: string) => {
    const a = ctx.attendees.find((x) => x.id === id);
    setWho(id);
    setName(a?.name ?? '');
    setRole(a?.role ?? 'other');
    setAgency(a?.agency ?? '');
    setPr(a?.parentalResponsibility ?? {});
  };
  const submit = async () => {
    if (!current) return;
    const prNow = Object.fromEntries(ctx.children.map((c) => [c.id, pr[c.id] === true]));
    const payload = {
      attendeeId: who,
      ...(name.trim() !== current.name ? { name: name.trim() } : {}),
      ...(role !== current.role ? { role } : {}),
      ...(agency.trim() !== (current.agency ?? '') ? { agency: agency.trim() } : {}),
      ...(role === 'parent-carer' &&
      JSON.stringify(prNow) !==
        JSON.stringify(
          Object.fromEntries(
            ctx.children.map((c) => [c.id, current.parentalResponsibility?.[c.id] === true]),
          ),
        )
        ? { parentalResponsibility: prNow }
        : {}),
    };
    if (await send({ type: 'attendee.corrected', payload })) onDone?.();
  };
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <SelectField
        label={t('changes.correctWho')}
        value={who}
        options={ctx.attendees.map((a) => ({ value: a.id, label: a.name }))}
        onChange={choose}
      />
      <TextField label={t('attendees.name')} value={name} onChange={setName} isRequired />
      <SelectField
        label={t('attendees.role')}
        value={role}
        options={ROLES.map((r) => ({ value: r, label: t(`attendees.roles.${r}`) }))}
        onChange={setRole}
      />
      <TextField
        label={`${t('attendees.agency')} (${t('common.optional')})`}
        value={agency}
        onChange={setAgency}
      />
      {role === 'parent-carer' &&
        ctx.children.map((c) => (
          <CheckboxField
            key={c.id}
            label={t('attendees.pr', { child: c.name })}
            isChecked={pr[c.id] === true}
            onChange={(v) => setPr({ ...pr, [c.id]: v })}
          />
        ))}
      <ErrorText message={error} />
      <button type="submit" className="primary" disabled={isBusy || !current}>
        {t('changes.correctSubmit')}
      </button>
    </form>
  );
}

/** A correction of the request's stated purpose, in the requester's words. */
export function CorrectRequestForm({ session, onDone }: { session: MeetingSession; onDone?: () => void }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const [purpose, setPurpose] = useState(ctx.request?.purpose ?? '');
  const { send, error, isBusy } = useSend(session);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await send({ type: 'request.corrected', payload: { purpose: purpose.trim() } })) onDone?.();
      }}
    >
      <TextArea label={t('request.purpose')} value={purpose} onChange={setPurpose} />
      <ErrorText message={error} />
      <button type="submit" className="primary" disabled={isBusy}>
        {t('changes.correctRequestSubmit')}
      </button>
    </form>
  );
}

/** HCS 1.4 ground 2: an objection from someone with parental responsibility who is not at the meeting. */
export function AbsentObjectionForm({ session, onDone }: { session: MeetingSession; onDone?: () => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const { send, error, isBusy } = useSend(session);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await send({ type: 'pr-holder.objected', payload: { name: name.trim(), note: note.trim() } }))
          onDone?.();
      }}
    >
      <TextField label={t('screening.absentName')} value={name} onChange={setName} isRequired />
      <TextArea label={t('screening.absentNote')} value={note} onChange={setNote} />
      <ErrorText message={error} />
      <button type="submit" className="primary" disabled={isBusy}>
        {t('screening.absentSubmit')}
      </button>
    </form>
  );
}

/** Someone on the list moves between the room and the phone or video, or is expected to come another way. */
export function ParticipationChangeForm({
  session,
  onDone,
}: {
  session: MeetingSession;
  onDone?: () => void;
}) {
  const t = useT();
  // Everyone on the list: how someone away (expected, or gone out) will come is said before they come
  // (the rules count it from their arrival or return).
  const people = useMeetingSnapshot(session).context.attendees;
  const [way, setWay] = useState<Participation>('phone');
  return (
    <PersonActionForm
      session={session}
      people={people}
      whoLabel={t('relay.changeWho')}
      submitLabel={t('relay.changeSubmit')}
      build={(attendeeId) => ({
        type: 'attendee.participation-changed',
        payload: { attendeeId, takesPartBy: way },
      })}
      onDone={onDone}
    >
      <ParticipationField value={way} onChange={setWay} />
    </PersonActionForm>
  );
}
