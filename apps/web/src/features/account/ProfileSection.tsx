import { languageNames, type PatientProfile, type PatientProfileUpdate } from '@carebook/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { api } from '../../api/endpoints';
import { fieldErrors, plainMessage } from '../../api/problem';
import { Field } from '../../ui/Field';
import { ErrorNotice, Skeleton } from '../../ui/feedback';
import { useFocusFirstError } from '../../ui/use-focus-first-error';

export const profileKey = ['me', 'profile'] as const;

/** Checks what the browser can check before sending; the API checks the same again. */
function validate(phone: string, dateOfBirth: string, requireAll: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  const p = phone.replace(/[\s().-]/g, '');
  if (p && !/^\+[1-9][0-9]{6,14}$/.test(p))
    errors.phone = 'Enter the number with its country code, like +1 415 555 0123.';
  if (requireAll && !p) errors.phone = 'Enter a phone number the practice can reach you on.';
  if (dateOfBirth && dateOfBirth > new Date().toISOString().slice(0, 10))
    errors.dateOfBirth = 'The date of birth cannot be in the future.';
  if (requireAll && !dateOfBirth) errors.dateOfBirth = 'Enter your date of birth.';
  return errors;
}

function ProfileForm({
  profile,
  requireAll,
  onSaved,
}: {
  profile: PatientProfile;
  requireAll: boolean;
  onSaved?: (saved: PatientProfile) => void;
}) {
  const queryClient = useQueryClient();
  const [phone, setPhone] = useState(profile.phone ?? '');
  const [dateOfBirth, setDateOfBirth] = useState(profile.dateOfBirth ?? '');
  const [language, setLanguage] = useState<string>(profile.preferredLanguage ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const { ref: formRef, focusFirstError } = useFocusFirstError();
  const languages = useMemo(
    () =>
      Object.entries(languageNames)
        .map(([code, name]) => ({ code, name: String(name) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [],
  );
  const save = useMutation({
    mutationFn: (body: PatientProfileUpdate) => api.updateProfile(body),
    onSuccess: (next) => {
      queryClient.setQueryData(profileKey, next);
      setSaved(true);
      onSaved?.(next);
    },
    onError: (err) => {
      setErrors(fieldErrors(err));
      focusFirstError();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const local = validate(phone, dateOfBirth, requireAll);
    setErrors(local);
    if (Object.keys(local).length) return focusFirstError();
    save.mutate({
      phone: phone.replace(/[\s().-]/g, '') || null,
      dateOfBirth: dateOfBirth || null,
      preferredLanguage: (language || null) as PatientProfileUpdate['preferredLanguage'],
    });
  };
  return (
    <form ref={formRef} onSubmit={submit} noValidate aria-label="Your details for clinics">
      <Field label="Phone number" hint="With the country code, e.g. +1 415 555 0123." error={errors.phone}>
        <input type="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
      </Field>
      <Field label="Date of birth" error={errors.dateOfBirth}>
        <input
          type="date"
          autoComplete="bday"
          value={dateOfBirth}
          onChange={(e) => setDateOfBirth(e.target.value)}
        />
      </Field>
      <Field label="Preferred language" error={errors.preferredLanguage}>
        <select value={language} onChange={(e) => setLanguage(e.target.value)}>
          <option value="">No preference</option>
          {languages.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
            </option>
          ))}
        </select>
      </Field>
      {save.isError && Object.keys(fieldErrors(save.error)).length === 0 && (
        <p className="notice notice-error" role="alert">
          {plainMessage(save.error)}
        </p>
      )}
      {saved && (
        <p className="notice notice-ok" role="status">
          Your details are saved.
        </p>
      )}
      <button type="submit" className="btn" disabled={save.isPending} aria-busy={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save details'}
      </button>
    </form>
  );
}

/**
 * A patient's phone, date of birth and preferred language: on the Account page, and (with
 * `requireAll`) where a first booking asks for phone and date of birth. Stored encrypted.
 */
export function ProfileSection({
  requireAll = false,
  onSaved,
}: {
  requireAll?: boolean;
  onSaved?: (saved: PatientProfile) => void;
}) {
  const q = useQuery({ queryKey: profileKey, queryFn: api.profile });
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Your details for clinics</h2>
      <p className="muted small">
        A practice may need these to reach you about an appointment. They are stored encrypted.
      </p>
      {q.isPending ? (
        <Skeleton lines={3} label="Loading your details" />
      ) : q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => q.refetch()} />
      ) : (
        <ProfileForm profile={q.data} requireAll={requireAll} {...(onSaved ? { onSaved } : {})} />
      )}
    </section>
  );
}

/**
 * At a booking: asks once for the phone and date of birth a practice needs, when the profile
 * lacks them; shows nothing when they are there (or cannot be read — booking goes on).
 */
export function FirstBookingDetails() {
  const q = useQuery({ queryKey: profileKey, queryFn: api.profile });
  // Once asked, the form stays (with its "saved" confirmation) after the details are complete.
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (q.data && !q.data.complete) setOpen(true);
  }, [q.data]);
  if (!open) return null;
  return (
    <div className="first-booking-details">
      <p>
        Practices need a way to reach you and your date of birth. Add them once; you can change them on your
        Account page.
      </p>
      <ProfileSection requireAll />
    </div>
  );
}
