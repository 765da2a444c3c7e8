import { SERIES_LIMITS } from '@carebook/contracts';
import { useId, useState } from 'react';
import { dayLabel, time, zoneLabel } from '../../ui/format';
import { previewDates, type RepeatChoiceValue } from './series-api';

const INTERVALS = [1, 2, 3, 4] as const;

/**
 * "Just this visit" or a weekly series (every 1–4 weeks, 2–N visits), with the dates listed
 * before anything is booked. Times are the practice's local time, said with its zone.
 */
export function RepeatChoice({
  value,
  onChange,
  start,
  timeZone,
}: {
  value: RepeatChoiceValue | null;
  onChange: (v: RepeatChoiceValue | null) => void;
  start: string;
  timeZone: string;
}) {
  const id = useId();
  const repeat = value ?? { intervalWeeks: 1, occurrences: 4 };
  // The field keeps what is typed (it may be empty for a moment); only a valid count is used.
  const [countText, setCountText] = useState(String(repeat.occurrences));
  const count = Number(countText);
  const countValid = Number.isInteger(count) && count >= 2 && count <= SERIES_LIMITS.occurrencesMax;
  const dates = value ? previewDates(start, value) : [];
  return (
    <fieldset className="repeat-choice">
      <legend>How often?</legend>
      <label className="check">
        <input type="radio" name={`${id}-repeat`} checked={value === null} onChange={() => onChange(null)} />
        Just this visit
      </label>
      <label className="check">
        <input
          type="radio"
          name={`${id}-repeat`}
          checked={value !== null}
          onChange={() => onChange(repeat)}
        />
        Repeat at the same time
      </label>
      {value && (
        <div className="repeat-fields">
          <label htmlFor={`${id}-interval`}>Every</label>
          <select
            id={`${id}-interval`}
            value={value.intervalWeeks}
            onChange={(e) => onChange({ ...value, intervalWeeks: Number(e.target.value) })}
          >
            {INTERVALS.map((n) => (
              <option key={n} value={n}>
                {n === 1 ? 'week' : `${n} weeks`}
              </option>
            ))}
          </select>
          <label htmlFor={`${id}-count`}>Number of visits</label>
          <input
            id={`${id}-count`}
            type="number"
            inputMode="numeric"
            min={2}
            max={SERIES_LIMITS.occurrencesMax}
            value={countText}
            aria-invalid={!countValid}
            aria-describedby={`${id}-count-hint`}
            onChange={(e) => {
              setCountText(e.target.value);
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 2 && n <= SERIES_LIMITS.occurrencesMax)
                onChange({ ...value, occurrences: n });
            }}
          />
          <p className={countValid ? 'muted small' : 'field-error small'} id={`${id}-count-hint`}>
            {countValid
              ? `Between 2 and ${SERIES_LIMITS.occurrencesMax} visits.`
              : `Enter a number of visits between 2 and ${SERIES_LIMITS.occurrencesMax}.`}
          </p>
          <p className="muted small" id={`${id}-dates-title`}>
            {value.occurrences} visits at {time(start, timeZone)} {zoneLabel(timeZone)}:
          </p>
          <ol className="repeat-dates" aria-labelledby={`${id}-dates-title`}>
            {dates.map((d) => (
              <li key={d}>{dayLabel(d, timeZone)}</li>
            ))}
          </ol>
          <p className="muted small">All dates are booked together, or none if one of them is taken.</p>
        </div>
      )}
    </fieldset>
  );
}
