import type { Listing, Schedule } from '@carebook/contracts';
import { useId, useState } from 'react';
import { api } from '../../api/endpoints';
import { ApiError, plainMessage } from '../../api/problem';
import { Field } from '../../ui/Field';
import { localZone, zoneName } from '../../ui/format';
import { useFocusFirstError } from '../../ui/use-focus-first-error';
import { standardWeek, validateSchedule, type Weekday, weekdays } from './schedule-form';
import './schedule-editor.css';

type Interval = { start: string; end: string };

function Intervals({
  label,
  value,
  onChange,
  errorFor,
}: {
  label: string;
  value: Interval[];
  onChange: (v: Interval[]) => void;
  errorFor: (n: number) => string | undefined;
}) {
  const id = useId();
  // An opening in error is marked on both its times, which are described by the message.
  const invalid = (n: number) =>
    errorFor(n) ? { 'aria-invalid': true, 'aria-describedby': `${id}-${n}-error` } : {};
  return (
    <div className="intervals">
      {value.length === 0 && <span className="muted small">Closed</span>}
      {value.map((iv, n) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: intervals have no identity besides position
        <div key={n} className="interval">
          <label>
            <span className="visually-hidden">
              {label} opening {n + 1} from
            </span>
            <input
              type="time"
              step={300}
              {...invalid(n)}
              value={iv.start}
              onChange={(e) => onChange(value.map((x, i) => (i === n ? { ...x, start: e.target.value } : x)))}
            />
          </label>
          <span aria-hidden="true">–</span>
          <label>
            <span className="visually-hidden">
              {label} opening {n + 1} until
            </span>
            <input
              type="time"
              step={300}
              {...invalid(n)}
              value={iv.end === '24:00' ? '23:59' : iv.end}
              // Midnight at the end of the day is 24:00 to the API; a time input stops at 23:59.
              onChange={(e) =>
                onChange(
                  value.map((x, i) =>
                    i === n ? { ...x, end: e.target.value === '23:59' ? '24:00' : e.target.value } : x,
                  ),
                )
              }
            />
          </label>
          <button
            type="button"
            className="link-button small"
            onClick={() => onChange(value.filter((_, i) => i !== n))}
            aria-label={`Remove ${label} opening ${n + 1}`}
          >
            Remove
          </button>
          {errorFor(n) && (
            <span className="field-error" id={`${id}-${n}-error`}>
              {errorFor(n)}
            </span>
          )}
        </div>
      ))}
      <button
        type="button"
        className="link-button small"
        onClick={() => onChange([...value, { start: '09:00', end: '17:00' }])}
        aria-label={`Add opening hours on ${label}`}
      >
        + Add hours
      </button>
    </div>
  );
}

const toLocalInput = (iso: string) => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : '');

export function ScheduleEditor({
  listing,
  onSaved,
  onConflict,
}: {
  listing: Listing;
  onSaved: (l: Listing) => void;
  onConflict: () => void;
}) {
  const hasHours = Object.values(listing.schedule.weekly).some((d) => d.length > 0);
  const [s, setS] = useState<Schedule>(() =>
    hasHours ? listing.schedule : { ...listing.schedule, weekly: standardWeek() },
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const { ref: editor, focusFirstError } = useFocusFirstError<HTMLDivElement>();
  const setDay = (d: Weekday, v: Interval[]) => setS({ ...s, weekly: { ...s.weekly, [d]: v } });
  const num = (
    k: 'slotIntervalMinutes' | 'minimumNoticeMinutes' | 'bookingHorizonDays' | 'cancellationWindowHours',
    v: string,
  ) => setS({ ...s, [k]: Number(v) });

  const save = async () => {
    const found = validateSchedule(s);
    setErrors(found);
    setMessage(null);
    if (Object.keys(found).length) {
      setMessage({ ok: false, text: 'Some hours need fixing; see the marked fields.' });
      return focusFirstError();
    }
    setBusy(true);
    try {
      const clean: Schedule = {
        ...s,
        weekly: Object.fromEntries(
          weekdays.map(([d]) => [
            d,
            s.weekly[d].map((i) => ({ start: i.start, end: i.end === '23:59' ? '24:00' : i.end })),
          ]),
        ) as Schedule['weekly'],
      };
      onSaved(await api.saveSchedule(listing.id, listing.version, clean));
      setMessage({ ok: true, text: 'Hours saved. Patients see the new times right away.' });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') onConflict();
      setMessage({ ok: false, text: plainMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="schedule-editor" ref={editor}>
      <h2>Opening hours</h2>
      <p className="muted">Times are in {listing.timeZone.replace(/_/g, ' ')}.</p>
      <table className="hours-table">
        <tbody>
          {weekdays.map(([d, label]) => (
            <tr key={d}>
              <th scope="row">{label}</th>
              <td>
                <Intervals
                  label={label}
                  value={s.weekly[d]}
                  onChange={(v) => setDay(d, v)}
                  errorFor={(n) => errors[`${d}-${n}`] ?? (n === 0 ? errors[d] : undefined)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Date overrides</h3>
      <p className="muted small">
        Different hours on one date (holidays, extra clinics). No hours means closed.
      </p>
      {s.overrides.map((o, n) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: overrides are edited by position
        <div key={n} className="override">
          <Field label={`Override ${n + 1} date`} error={errors[`override-${n}`]}>
            <input
              type="date"
              value={o.date}
              onChange={(e) =>
                setS({
                  ...s,
                  overrides: s.overrides.map((x, i) => (i === n ? { ...x, date: e.target.value } : x)),
                })
              }
            />
          </Field>
          <Intervals
            label={`override ${n + 1}`}
            value={o.intervals}
            onChange={(v) =>
              setS({ ...s, overrides: s.overrides.map((x, i) => (i === n ? { ...x, intervals: v } : x)) })
            }
            errorFor={(k) => errors[`override-${n}-${k}`]}
          />
          <button
            type="button"
            className="link-button small"
            onClick={() => setS({ ...s, overrides: s.overrides.filter((_, i) => i !== n) })}
          >
            Remove override {n + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn btn-secondary btn-small"
        onClick={() => setS({ ...s, overrides: [...s.overrides, { date: '', intervals: [] }] })}
      >
        Add a date override
      </button>

      <h3>Time off</h3>
      <p className="muted small">
        {localZone() === listing.timeZone
          ? `Times in ${zoneName(listing.timeZone)}, the practice's zone.`
          : `Times in your own time zone, ${zoneName(localZone())}, not the practice's (${zoneName(listing.timeZone)}).`}
      </p>
      {s.timeOff.map((t, n) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: time off is edited by position
        <div key={n} className="form-grid form-grid-3 timeoff">
          <Field label={`Time off ${n + 1} from`} error={errors[`timeoff-${n}`]}>
            <input
              type="datetime-local"
              value={toLocalInput(t.start)}
              onChange={(e) =>
                setS({
                  ...s,
                  timeOff: s.timeOff.map((x, i) =>
                    i === n ? { ...x, start: fromLocalInput(e.target.value) } : x,
                  ),
                })
              }
            />
          </Field>
          <Field label={`Time off ${n + 1} until`}>
            <input
              type="datetime-local"
              value={toLocalInput(t.end)}
              onChange={(e) =>
                setS({
                  ...s,
                  timeOff: s.timeOff.map((x, i) =>
                    i === n ? { ...x, end: fromLocalInput(e.target.value) } : x,
                  ),
                })
              }
            />
          </Field>
          <button
            type="button"
            className="link-button small"
            onClick={() => setS({ ...s, timeOff: s.timeOff.filter((_, i) => i !== n) })}
          >
            Remove time off {n + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn btn-secondary btn-small"
        onClick={() => setS({ ...s, timeOff: [...s.timeOff, { start: '', end: '' }] })}
      >
        Add time off
      </button>

      <h3>Booking rules</h3>
      <div className="form-grid form-grid-4">
        <Field label="Slot every (minutes)" error={errors.slotIntervalMinutes}>
          <input
            inputMode="numeric"
            value={s.slotIntervalMinutes}
            onChange={(e) => num('slotIntervalMinutes', e.target.value)}
          />
        </Field>
        <Field label="Minimum notice (minutes)" error={errors.minimumNoticeMinutes}>
          <input
            inputMode="numeric"
            value={s.minimumNoticeMinutes}
            onChange={(e) => num('minimumNoticeMinutes', e.target.value)}
          />
        </Field>
        <Field label="Book up to (days ahead)" error={errors.bookingHorizonDays}>
          <input
            inputMode="numeric"
            value={s.bookingHorizonDays}
            onChange={(e) => num('bookingHorizonDays', e.target.value)}
          />
        </Field>
        <Field label="Free cancellation until (hours before)" error={errors.cancellationWindowHours}>
          <input
            inputMode="numeric"
            value={s.cancellationWindowHours}
            onChange={(e) => num('cancellationWindowHours', e.target.value)}
          />
        </Field>
      </div>
      {message && (
        <p
          className={`notice ${message.ok ? 'notice-ok' : 'notice-error'}`}
          role={message.ok ? 'status' : 'alert'}
        >
          {message.text}
        </p>
      )}
      <button type="button" className="btn" onClick={save} disabled={busy} aria-busy={busy}>
        {busy ? 'Saving…' : 'Save hours'}
      </button>
    </div>
  );
}
