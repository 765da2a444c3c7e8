import { useId, useState } from 'react';
import './listing-form.css';

/** A filterable list of checkboxes (specialties, languages): labelled, keyboard friendly. */
export function ChoiceList({
  legend,
  options,
  value,
  onChange,
  error,
}: {
  legend: string;
  options: { value: string; label: string }[];
  value: string[];
  onChange: (v: string[]) => void;
  error?: string | undefined;
}) {
  const [filter, setFilter] = useState('');
  const id = useId();
  const f = filter.trim().toLowerCase();
  const shown = options
    .filter((o) => value.includes(o.value) || !f || o.label.toLowerCase().includes(f))
    .slice(0, 60);
  return (
    <fieldset
      className={`choice-list${error ? ' field-invalid' : ''}`}
      aria-describedby={error ? `${id}-err` : undefined}
    >
      <legend>{legend}</legend>
      <label className="visually-hidden" htmlFor={`${id}-filter`}>
        Filter {legend.toLowerCase()}
      </label>
      <input
        id={`${id}-filter`}
        type="search"
        placeholder={`Filter ${legend.toLowerCase()}…`}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <div className="choice-scroll">
        {shown.map((o) => (
          <label key={o.value} className="check">
            <input
              type="checkbox"
              checked={value.includes(o.value)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, o.value] : value.filter((x) => x !== o.value))
              }
            />
            {o.label}
          </label>
        ))}
      </div>
      {error && (
        <p id={`${id}-err`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
