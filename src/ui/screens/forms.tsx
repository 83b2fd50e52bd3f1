/** Forms the chair fills in: an attendee, a request to record, a reason. Each sends one domain event. */
import { useState } from 'react';
import { isoWithOffset } from '../../domain/chain';
import type { DomainEvent } from '../../domain/events';
import { PURPOSE_REASONS, type PurposeReason, type ReceivedVia, ROLES, type Role } from '../../domain/model';
import { isLateAdvanceRequest, profileOf } from '../../domain/rules';
import {
  CheckboxField,
  Disclosure,
  ErrorText,
  RadioGroup,
  SelectField,
  TextArea,
  TextField,
} from '../components/common';
import { useT } from '../i18n';
import type { MeetingSession } from '../session';
import { useMeetingSnapshot } from '../session';
import { newId, useSend } from './useSend';

export function AttendeeForm({
  session,
  kind,
  onDone,
}: {
  session: MeetingSession;
  kind: 'attendee.added' | 'attendee.joined';
  onDone?: () => void;
}) {
  const t = useT();
  const snapshot = useMeetingSnapshot(session);
  const children = snapshot.context.children;
  const { send, error, setError, isBusy } = useSend(session);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('social-worker');
  const [agency, setAgency] = useState('');
  const [pr, setPr] = useState<Record<string, boolean>>({});
  const [childId, setChildId] = useState(children[0]?.id ?? '');

  const submit = async () => {
    if (!name.trim()) return setError(t('attendees.needName'));
    const attendee = {
      id: newId(),
      name: name.trim(),
      role,
      ...(agency.trim() ? { agency: agency.trim() } : {}),
      ...(role === 'parent-carer'
        ? { parentalResponsibility: Object.fromEntries(children.map((c) => [c.id, pr[c.id] === true])) }
        : {}),
      ...(role === 'young-person' && childId ? { subjectChildId: childId } : {}),
    };
    if (await send({ type: kind, payload: { attendee } })) {
      setName('');
      setAgency('');
      setPr({});
      onDone?.();
    }
  };

  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
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
  const candidates = ctx.attendees.filter((a) => a.isPresent);
  const preferred = candidates.find((a) => a.role === 'parent-carer' || a.role === 'young-person');
  const [requesterId, setRequesterId] = useState(preferred?.id ?? candidates[0]?.id ?? '');
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
