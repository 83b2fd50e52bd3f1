/** Small building blocks shared by the screens: labelled fields, guidance notes, errors. */
import { type ReactNode, useId, useState } from 'react';
import { useT } from './i18n';

export function GuidanceNote({ refText }: { refText: string }) {
  const t = useT();
  return <p className="guidance">{t('guidance.note', { ref: refText })}</p>;
}

export function ErrorText({ message }: { message: string | null }) {
  return (
    <p className="error" role="alert" hidden={!message}>
      {message}
    </p>
  );
}

export function TextField({
  label,
  value,
  onChange,
  type = 'text',
  isRequired = false,
  autoComplete = 'off',
  inputMode,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'password' | 'datetime-local';
  isRequired?: boolean;
  autoComplete?: string;
  inputMode?: 'numeric' | 'text';
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        required={isRequired}
        autoComplete={autoComplete}
        inputMode={inputMode}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

export function TextArea({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} value={value} rows={3} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

export function SelectField<V extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: V;
  options: ReadonlyArray<{ value: V; label: string }>;
  onChange: (value: V) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as V)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField({
  label,
  isChecked,
  onChange,
}: {
  label: string;
  isChecked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="check">
      <input type="checkbox" checked={isChecked} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}

export function RadioGroup<V extends string>({
  legend,
  value,
  options,
  onChange,
}: {
  legend: string;
  value: V;
  options: ReadonlyArray<{ value: V; label: string }>;
  onChange: (value: V) => void;
}) {
  const name = useId();
  return (
    <fieldset className="radios">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="check">
          <input type="radio" name={name} checked={value === o.value} onChange={() => onChange(o.value)} />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** A button that opens a small form in place; the form closes itself after a successful submit. */
export function Disclosure({
  label,
  children,
  className = 'secondary',
  closeLabel,
}: {
  label: string;
  children: (close: () => void) => ReactNode;
  className?: string;
  /** The words of the button that folds it away (Cancel unless given). */
  closeLabel?: string;
}) {
  const [isOpen, setOpen] = useState(false);
  const t = useT();
  if (!isOpen) {
    return (
      <button type="button" className={className} onClick={() => setOpen(true)}>
        {label}
      </button>
    );
  }
  return (
    <section className="panel" aria-label={label}>
      <h3>{label}</h3>
      {children(() => setOpen(false))}
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        {closeLabel ?? t('common.cancel')}
      </button>
    </section>
  );
}
