import { specialties } from '@carebook/contracts';
import { type FormEvent, lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Field } from '../../ui/Field';
import { Skeleton } from '../../ui/feedback';
import { viewerLocale } from '../../ui/locale';
import { ChoiceList } from './ChoiceList';
import {
  coordinatesOf,
  type ListingFormValues,
  languageOptions,
  placePatch,
  remainingErrors,
  validateListing,
} from './listing-form';
import { PlaceFinder } from './PlaceFinder';
import './listing-form.css';

const PinMap = lazy(() => import('../../ui/PinMap'));

const zones = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();

export function ListingForm({
  initial,
  submitLabel,
  busy,
  serverErrors,
  onSubmit,
}: {
  initial: ListingFormValues;
  submitLabel: string;
  busy: boolean;
  serverErrors?: Record<string, string>;
  onSubmit: (v: ListingFormValues) => void;
}) {
  const [v, setV] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Server messages for fields edited since: the server has not seen the new value yet.
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  const setMany = (patch: Partial<ListingFormValues>) => {
    const next = { ...v, ...patch };
    setV(next);
    setErrors((old) => remainingErrors(old, next));
    setEdited((old) => new Set([...old, ...Object.keys(patch)]));
  };
  const set = <K extends keyof ListingFormValues>(k: K, value: ListingFormValues[K]) =>
    setMany({ [k]: value } as Partial<ListingFormValues>);
  const specialtyOptions = useMemo(() => specialties.map((s) => ({ value: s.code, label: s.name })), []);
  // Names in the viewer's language, in that language's alphabetical order.
  const languages = useMemo(() => languageOptions(viewerLocale()), []);
  const form = useRef<HTMLFormElement>(null);
  // After a submit with errors, focus goes to the first field in error (once it is rendered).
  const [submits, setSubmits] = useState(0);
  useEffect(() => {
    if (submits === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"], .field-invalid input')?.focus();
  }, [submits]);
  const pin = coordinatesOf(v);
  const server = Object.fromEntries(Object.entries(serverErrors ?? {}).filter(([k]) => !edited.has(k)));
  const all = { ...server, ...errors };
  const zoneOptions = zones.includes(v.timeZone) ? zones : [v.timeZone, ...zones];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = validateListing(v);
    setErrors(found);
    setEdited(new Set());
    if (Object.keys(found).length) {
      setSubmits((n) => n + 1);
      return;
    }
    onSubmit(v);
  };

  return (
    <form ref={form} className="listing-form" onSubmit={submit} noValidate>
      <div className="form-grid">
        <Field label="Name patients will see" error={all.name}>
          <input value={v.name} onChange={(e) => set('name', e.target.value)} />
        </Field>
        <Field label="Kind">
          <select value={v.kind} onChange={(e) => set('kind', e.target.value as ListingFormValues['kind'])}>
            <option value="practitioner">Practitioner</option>
            <option value="clinic">Clinic</option>
          </select>
        </Field>
      </div>
      <div className="form-grid">
        <ChoiceList
          legend="Specialties"
          options={specialtyOptions}
          value={v.specialties}
          onChange={(x) => set('specialties', x)}
          error={all.specialties}
        />
        <ChoiceList
          legend="Languages"
          options={languages}
          value={v.languages}
          onChange={(x) => set('languages', x)}
          error={all.languages}
        />
      </div>
      <fieldset className={all.visitTypes ? 'field-invalid' : undefined}>
        <legend>Visit types</legend>
        {(['in-person', 'video'] as const).map((t) => (
          <label key={t} className="check">
            <input
              type="checkbox"
              checked={v.visitTypes.includes(t)}
              onChange={(e) =>
                set(
                  'visitTypes',
                  e.target.checked ? [...v.visitTypes, t] : v.visitTypes.filter((x) => x !== t),
                )
              }
            />
            {t === 'in-person' ? 'In person' : 'Video'}
          </label>
        ))}
        {all.visitTypes && <p className="field-error">{all.visitTypes}</p>}
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={v.acceptingNewPatients}
          onChange={(e) => set('acceptingNewPatients', e.target.checked)}
        />
        Accepting new patients
      </label>
      {v.kind === 'practitioner' && (
        <Field label="Gender (optional)">
          <select
            value={v.gender}
            onChange={(e) => set('gender', e.target.value as ListingFormValues['gender'])}
          >
            <option value="">Not stated</option>
            <option value="female">Female</option>
            <option value="male">Male</option>
            <option value="non-binary">Non-binary</option>
          </select>
        </Field>
      )}
      <Field label="Conditions treated" hint="Separate with commas.">
        <input value={v.conditions} onChange={(e) => set('conditions', e.target.value)} />
      </Field>
      <Field label="Insurance accepted" hint="Separate with commas, e.g. Aetna, Cigna.">
        <input value={v.insurance} onChange={(e) => set('insurance', e.target.value)} />
      </Field>
      <Field label="About" hint="What patients should know; up to 4,000 characters.">
        <textarea rows={5} maxLength={4000} value={v.bio} onChange={(e) => set('bio', e.target.value)} />
      </Field>
      <h3>Address</h3>
      <Field label="Phone for patients (optional)" hint="Shown on your profile." error={all.phone}>
        <input type="tel" autoComplete="tel" value={v.phone} onChange={(e) => set('phone', e.target.value)} />
      </Field>
      <Field label="Street address" error={all.line1}>
        <input autoComplete="address-line1" value={v.line1} onChange={(e) => set('line1', e.target.value)} />
      </Field>
      <div className="form-grid form-grid-4">
        <Field label="City" error={all.city}>
          <input value={v.city} onChange={(e) => set('city', e.target.value)} />
        </Field>
        <Field label="Region (optional)">
          <input value={v.region} onChange={(e) => set('region', e.target.value)} />
        </Field>
        <Field label="Postcode" error={all.postcode}>
          <input value={v.postcode} onChange={(e) => set('postcode', e.target.value)} />
        </Field>
        <Field label="Country code" error={all.country}>
          <input
            maxLength={2}
            value={v.country}
            onChange={(e) => set('country', e.target.value.toUpperCase())}
          />
        </Field>
      </div>
      <PlaceFinder
        address={{ postcode: v.postcode, city: v.city }}
        onCoordinates={(p) => setMany({ lat: String(p.lat), lon: String(p.lon) })}
        onPlace={(p, typed) => setMany(placePatch(v, p, typed))}
      />
      <div className="form-grid form-grid-3">
        <Field label="Latitude" error={all.lat}>
          <input inputMode="decimal" value={v.lat} onChange={(e) => set('lat', e.target.value)} />
        </Field>
        <Field label="Longitude" error={all.lon}>
          <input inputMode="decimal" value={v.lon} onChange={(e) => set('lon', e.target.value)} />
        </Field>
        <Field label="Time zone of your hours" error={all.timeZone}>
          <select value={v.timeZone} onChange={(e) => set('timeZone', e.target.value)}>
            {zoneOptions.map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {pin && (
        <Suspense fallback={<Skeleton lines={3} label="Loading map" />}>
          <PinMap
            lat={pin.lat}
            lon={pin.lon}
            name={v.name.trim() || 'Your practice'}
            label="Map: the coordinates of your practice"
            caption={`The pin marks ${pin.lat.toFixed(4)}, ${pin.lon.toFixed(4)}${v.city.trim() ? ` (${v.city.trim()})` : ''}: where patients searching nearby will find you. Move it by editing the coordinates.`}
          />
        </Suspense>
      )}
      <button type="submit" className="btn" disabled={busy} aria-busy={busy}>
        {busy ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
