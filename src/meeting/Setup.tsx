/** The chair sets up a new meeting: its kind, the policy, its title, time and place, and the children. */
import './messages';
import { useState } from 'react';
import { isoWithOffset } from '../domain/chain';
import { MEETING_KINDS, type MeetingKind } from '../domain/model';
import { DEFAULT_PROFILE_ID, PROFILES, type ProfileId } from '../domain/profiles';
import { LowStorageWarning } from '../pwa/LowStorageWarning';
import { ErrorText, SelectField, TextField } from '../shared/components';
import { useT } from '../shared/i18n';
import { newId } from './useSend';

export interface NewMeeting {
  kind: MeetingKind;
  profileId: ProfileId;
  title: string;
  scheduledAt: string;
  place: string;
  children: Array<{ id: string; name: string }>;
}

export function SetupScreen({
  onCreate,
  onCancel,
}: {
  onCreate: (meeting: NewMeeting) => Promise<string | null>;
  onCancel: () => void;
}) {
  const t = useT();
  const [kind, setKind] = useState<MeetingKind>('meeting');
  const [profileId, setProfileId] = useState<ProfileId>(DEFAULT_PROFILE_ID);
  const [title, setTitle] = useState('');
  const [when, setWhen] = useState(() => isoWithOffset(new Date()).slice(0, 16));
  const [place, setPlace] = useState('');
  const [children, setChildren] = useState([{ id: newId(), name: '' }]);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  const named = children.filter((c) => c.name.trim());
  // The children's names are typed once: a title left blank is made from the kind and their names.
  const proposedTitle = t('setup.proposedTitle', {
    kind: t(`setup.titleKinds.${kind}`),
    children: named.map((c) => c.name.trim()).join(', '),
  });

  const submit = async () => {
    if (!when) return setError(t('setup.needTime'));
    if (named.length === 0) return setError(t('setup.needChild'));
    setBusy(true);
    const problem = await onCreate({
      kind,
      profileId,
      title: title.trim() || proposedTitle,
      scheduledAt: isoWithOffset(new Date(when)),
      place: place.trim(),
      children: named.map((c) => ({ id: c.id, name: c.name.trim() })),
    });
    setBusy(false);
    if (problem) setError(t('common.error', { message: problem }));
  };

  return (
    <main aria-labelledby="setup-title">
      <h1 id="setup-title">{t('setup.title')}</h1>
      <LowStorageWarning />
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <SelectField
          label={t('setup.kind')}
          value={kind}
          options={MEETING_KINDS.map((k) => ({ value: k, label: t(`setup.kinds.${k}`) }))}
          onChange={setKind}
        />
        <SelectField
          label={t('setup.profile')}
          value={profileId}
          options={(Object.keys(PROFILES) as ProfileId[]).map((p) => ({
            value: p,
            label: t(`setup.profiles.${p}`),
          }))}
          onChange={setProfileId}
        />
        <fieldset className="checks">
          <legend>{t('setup.children')}</legend>
          {children.map((c, i) => (
            <div key={c.id} className="row">
              <TextField
                label={`${t('setup.childName')} ${children.length > 1 ? i + 1 : ''}`.trim()}
                value={c.name}
                onChange={(name) => setChildren(children.map((x) => (x.id === c.id ? { ...x, name } : x)))}
              />
              {children.length > 1 && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setChildren(children.filter((x) => x.id !== c.id))}
                >
                  {t('setup.removeChild', { name: c.name || `${i + 1}` })}
                </button>
              )}
            </div>
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() => setChildren([...children, { id: newId(), name: '' }])}
          >
            {t('setup.addChild')}
          </button>
        </fieldset>
        <TextField
          label={`${t('setup.meetingTitle')} (${t('common.optional')})`}
          value={title}
          onChange={setTitle}
        />
        {!title.trim() && named.length > 0 && (
          <p className="small">{t('setup.titleIfBlank', { title: proposedTitle })}</p>
        )}
        <TextField
          label={t('setup.scheduledAt')}
          type="datetime-local"
          value={when}
          onChange={setWhen}
          isRequired
        />
        <TextField
          label={`${t('setup.place')} (${t('common.optional')})`}
          value={place}
          onChange={setPlace}
        />
        <ErrorText message={error} />
        <div className="row">
          <button type="submit" className="primary big" disabled={isBusy}>
            {t('setup.create')}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </main>
  );
}
