import type { Listing } from '@carebook/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/endpoints';
import { ApiError, fieldErrors, plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { ErrorNotice, LoadError, Skeleton, StatusBadge } from '../../ui/feedback';
import { ListingForm } from './ListingForm';
import { changedFields, fromListing, type ListingFormValues, toListingInput } from './listing-form';
import { PhotosEditor } from './PhotosEditor';
import { ScheduleEditor } from './ScheduleEditor';
import { ServicesEditor } from './ServicesEditor';
import './provider.css';

const tabs = [
  ['details', 'Details'],
  ['services', 'Services'],
  ['hours', 'Hours'],
  ['photos', 'Photos'],
] as const;
type Tab = (typeof tabs)[number][0];

/** Details with optimistic locking: a 409 shows what changed elsewhere and lets you choose. */
function DetailsTab({ listing, onSaved }: { listing: Listing; onSaved: (l: Listing) => void }) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<{ mine: ListingFormValues; theirs: Listing } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [saved, setSaved] = useState(false);

  const save = async (v: ListingFormValues, version: number) => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const updated = await api.updateListing(listing.id, version, toListingInput(v));
      setConflict(null);
      onSaved(updated);
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') {
        const theirs = await api.listing(listing.id);
        queryClient.setQueryData(keys.listing(listing.id), theirs);
        setConflict({ mine: v, theirs });
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {conflict && (
        <div className="notice notice-warn" role="alert">
          <h2 className="h3">Changed elsewhere — review</h2>
          <p>Someone saved this listing while you were editing. These fields differ from your version:</p>
          <ul>
            {changedFields(conflict.mine, fromListing(conflict.theirs)).map((f) => (
              <li key={f}>
                <strong>{f}</strong>: now “{String(fromListing(conflict.theirs)[f])}”, yours “
                {String(conflict.mine[f])}”
              </li>
            ))}
          </ul>
          <div className="actions">
            <button
              type="button"
              className="btn"
              onClick={() => save(conflict.mine, conflict.theirs.version)}
            >
              Keep my changes
            </button>
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => {
                onSaved(conflict.theirs);
                setConflict(null);
                setFormKey(formKey + 1);
              }}
            >
              Use the latest version
            </button>
          </div>
        </div>
      )}
      {error !== null && (
        <p className="notice notice-error" role="alert">
          {plainMessage(error)}
        </p>
      )}
      {saved && (
        <p className="notice notice-ok" role="status">
          Saved.
        </p>
      )}
      <ListingForm
        key={`${listing.id}-${formKey}`}
        initial={fromListing(listing)}
        submitLabel="Save details"
        busy={busy}
        serverErrors={fieldErrors(error)}
        onSubmit={(v) => save(v, listing.version)}
      />
    </>
  );
}

export function ListingEditorPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tab = (params.get('tab') as Tab) || 'details';
  const queryClient = useQueryClient();
  const q = useQuery({ queryKey: keys.listing(id), queryFn: () => api.listing(id) });
  const [publishError, setPublishError] = useState<unknown>(null);
  if (q.isPending) return <Skeleton lines={8} label="Loading listing" />;
  if (q.isError)
    return (
      <LoadError error={q.error} onRetry={() => q.refetch()} notFound="Listing not found">
        <p>
          There is no such listing. <Link to="/provider">Back to your dashboard</Link>.
        </p>
      </LoadError>
    );
  const listing = q.data;
  const onSaved = (l: Listing) => {
    queryClient.setQueryData(keys.listing(id), l);
    queryClient.invalidateQueries({ queryKey: keys.myListings });
  };
  const refresh = () => q.refetch();

  const togglePublish = async () => {
    setPublishError(null);
    try {
      onSaved(
        await api.publish(id, listing.version, listing.status === 'published' ? 'unpublish' : 'publish'),
      );
    } catch (err) {
      setPublishError(err);
      refresh();
    }
  };

  return (
    <div className="editor">
      <p className="breadcrumb">
        <Link to="/provider">‹ Dashboard</Link>
      </p>
      <div className="page-head editor-head">
        <div>
          <h1>{listing.name}</h1>
          <p className="muted">
            <StatusBadge status={listing.status} /> · version {listing.version}
            {listing.status === 'published' && (
              <>
                {' · '}
                <Link to={`/providers/${listing.id}`}>View public page</Link>
              </>
            )}
          </p>
        </div>
        {listing.status !== 'suspended' && (
          <button
            type="button"
            className={`btn${listing.status === 'published' ? ' btn-secondary' : ''}`}
            onClick={togglePublish}
          >
            {listing.status === 'published' ? 'Unpublish' : 'Publish'}
          </button>
        )}
      </div>
      {publishError !== null && <ErrorNotice error={publishError} />}
      <div className="tab-bar" role="tablist" aria-label="Listing sections">
        {tabs.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            id={`tab-${key}`}
            aria-selected={tab === key}
            aria-controls={`panel-${key}`}
            tabIndex={tab === key ? 0 : -1}
            onClick={() => setParams({ tab: key }, { replace: true })}
            onKeyDown={(e) => {
              // ARIA tabs: arrow keys move between tabs, Tab moves into the panel.
              const i = tabs.findIndex(([k]) => k === key);
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              const next = tabs[(i + step + tabs.length) % tabs.length]?.[0] ?? key;
              setParams({ tab: next }, { replace: true });
              document.getElementById(`tab-${next}`)?.focus();
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div className="card" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'details' && <DetailsTab listing={listing} onSaved={onSaved} />}
        {tab === 'services' && <ServicesEditor listing={listing} onChanged={refresh} />}
        {tab === 'hours' && <ScheduleEditor listing={listing} onSaved={onSaved} onConflict={refresh} />}
        {tab === 'photos' && <PhotosEditor listing={listing} onChanged={refresh} />}
      </div>
    </div>
  );
}
