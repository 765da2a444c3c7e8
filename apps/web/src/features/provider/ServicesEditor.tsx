import type { Listing, Service, ServiceInput } from '@carebook/contracts';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../../api/endpoints';
import { fieldErrors, plainMessage } from '../../api/problem';
import { Field } from '../../ui/Field';
import { money } from '../../ui/format';
import { useFocusFirstError } from '../../ui/use-focus-first-error';
import './provider.css';

interface Values {
  name: string;
  durationMinutes: string;
  price: string;
  currency: string;
  visitType: 'in-person' | 'video';
  bufferBeforeMinutes: string;
  bufferAfterMinutes: string;
  active: boolean;
}

const visitTypeWords: Record<Values['visitType'], string> = { 'in-person': 'in person', video: 'video' };

const blank = (currency: string): Values => ({
  name: '',
  durationMinutes: '30',
  price: '0',
  currency,
  visitType: 'in-person',
  bufferBeforeMinutes: '0',
  bufferAfterMinutes: '0',
  active: true,
});

const fromService = (s: Service): Values => ({
  name: s.name,
  durationMinutes: String(s.durationMinutes),
  price: (s.priceCents / 100).toFixed(2),
  currency: s.currency,
  visitType: s.visitType,
  bufferBeforeMinutes: String(s.bufferBeforeMinutes),
  bufferAfterMinutes: String(s.bufferAfterMinutes),
  active: s.active,
});

function validate(v: Values): Record<string, string> {
  const e: Record<string, string> = {};
  const five = (x: string) => Number.isInteger(Number(x)) && Number(x) % 5 === 0;
  if (v.name.trim().length < 2) e.name = 'Name the service (at least 2 characters).';
  const d = Number(v.durationMinutes);
  if (!five(v.durationMinutes) || d < 5 || d > 480)
    e.durationMinutes = 'A multiple of 5 minutes, from 5 to 480.';
  if (!/^\d+(\.\d{1,2})?$/.test(v.price)) e.price = 'A price like 45 or 45.50 (0 for free).';
  if (!/^[A-Z]{3}$/.test(v.currency)) e.currency = 'A three-letter currency code, e.g. USD.';
  for (const k of ['bufferBeforeMinutes', 'bufferAfterMinutes'] as const) {
    const n = Number(v[k]);
    if (!five(v[k]) || n < 0 || n > 120) e[k] = 'A multiple of 5 minutes, 0 to 120.';
  }
  return e;
}

const toInput = (v: Values): ServiceInput => ({
  name: v.name.trim(),
  durationMinutes: Number(v.durationMinutes),
  priceCents: Math.round(Number(v.price) * 100),
  currency: v.currency,
  visitType: v.visitType,
  bufferBeforeMinutes: Number(v.bufferBeforeMinutes),
  bufferAfterMinutes: Number(v.bufferAfterMinutes),
  active: v.active,
});

function ServiceForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  focusOnOpen = false,
}: {
  initial: Values;
  submitLabel: string;
  onSubmit: (v: Values) => Promise<void>;
  onCancel?: () => void;
  /** Opened by a button that is now gone: focus starts on the name. */
  focusOnOpen?: boolean;
}) {
  const [v, setV] = useState(initial);
  const { ref: formRef, focusFirstError } = useFocusFirstError();
  const nameInput = useRef<HTMLInputElement>(null);
  const opened = useRef(focusOnOpen);
  useEffect(() => {
    if (opened.current) nameInput.current?.focus();
    opened.current = false;
  }, []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Values>(k: K, x: Values[K]) => setV((o) => ({ ...o, [k]: x }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = validate(v);
    setErrors(found);
    if (Object.keys(found).length) return focusFirstError();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(v);
    } catch (err) {
      setError(err);
      setErrors(fieldErrors(err));
      focusFirstError();
    } finally {
      setBusy(false);
    }
  };
  return (
    <form ref={formRef} className="service-form" onSubmit={submit} noValidate>
      <div className="form-grid">
        <Field label="Service name" error={errors.name}>
          <input ref={nameInput} value={v.name} onChange={(e) => set('name', e.target.value)} />
        </Field>
        <Field label="Visit type">
          <select
            value={v.visitType}
            onChange={(e) => set('visitType', e.target.value as Values['visitType'])}
          >
            <option value="in-person">In person</option>
            <option value="video">Video</option>
          </select>
        </Field>
      </div>
      <div className="form-grid form-grid-4">
        <Field label="Duration (minutes)" error={errors.durationMinutes}>
          <input
            inputMode="numeric"
            value={v.durationMinutes}
            onChange={(e) => set('durationMinutes', e.target.value)}
          />
        </Field>
        <Field label="Price" hint="0 = free" error={errors.price}>
          <input inputMode="decimal" value={v.price} onChange={(e) => set('price', e.target.value)} />
        </Field>
        <Field label="Currency" error={errors.currency}>
          <input
            maxLength={3}
            value={v.currency}
            onChange={(e) => set('currency', e.target.value.toUpperCase())}
          />
        </Field>
        <Field label="Buffer after (minutes)" error={errors.bufferAfterMinutes}>
          <input
            inputMode="numeric"
            value={v.bufferAfterMinutes}
            onChange={(e) => set('bufferAfterMinutes', e.target.value)}
          />
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={v.active} onChange={(e) => set('active', e.target.checked)} />
        Bookable online
      </label>
      {error !== null && (
        <p className="notice notice-error" role="alert">
          {plainMessage(error)}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="btn" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn btn-secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

export function ServicesEditor({ listing, onChanged }: { listing: Listing; onChanged: () => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(listing.services.length === 0);
  // A closed form's button takes focus back: that service's "Edit", or "Add a service".
  const list = useRef<HTMLDivElement>(null);
  const [returnTo, setReturnTo] = useState<string | null>(null);
  useEffect(() => {
    if (!returnTo) return;
    list.current?.querySelector<HTMLElement>(`[data-return="${returnTo}"]`)?.focus();
    setReturnTo(null);
  }, [returnTo]);
  const closeEdit = (id: string) => {
    setEditing(null);
    setReturnTo(id);
  };
  const closeAdd = () => {
    setAdding(false);
    setReturnTo('add');
  };
  const currency = listing.services[0]?.currency ?? (listing.address.country === 'US' ? 'USD' : 'EUR');
  return (
    <div ref={list}>
      <h2>Services</h2>
      {listing.services.length === 0 && <p className="muted">Add at least one service before you publish.</p>}
      <ul className="plain-list">
        {listing.services.map((s) =>
          editing === s.id ? (
            <li key={s.id}>
              <ServiceForm
                initial={fromService(s)}
                submitLabel="Save service"
                focusOnOpen
                onCancel={() => closeEdit(s.id)}
                onSubmit={async (v) => {
                  await api.updateService(listing.id, s.id, listing.version, toInput(v));
                  closeEdit(s.id);
                  onChanged();
                }}
              />
            </li>
          ) : (
            <li key={s.id} className="listing-row">
              <span>
                <strong>{s.name}</strong>
                <span className="muted small">
                  {' '}
                  · {s.durationMinutes} min · {money(s.priceCents, s.currency)} ·{' '}
                  {visitTypeWords[s.visitType]}
                  {s.active ? '' : ' · not bookable'}
                </span>
              </span>
              <button
                type="button"
                className="btn btn-secondary btn-small"
                onClick={() => setEditing(s.id)}
                aria-label={`Edit ${s.name}`}
                data-return={s.id}
              >
                Edit
              </button>
            </li>
          ),
        )}
      </ul>
      {adding ? (
        <section aria-labelledby="add-service-title">
          <h3 id="add-service-title">Add a service</h3>
          <ServiceForm
            initial={blank(currency)}
            submitLabel="Add service"
            focusOnOpen={listing.services.length > 0}
            {...(listing.services.length ? { onCancel: closeAdd } : {})}
            onSubmit={async (v) => {
              await api.addService(listing.id, listing.version, toInput(v));
              closeAdd();
              onChanged();
            }}
          />
        </section>
      ) : (
        <button type="button" className="btn btn-secondary" onClick={() => setAdding(true)} data-return="add">
          Add a service
        </button>
      )}
    </div>
  );
}
