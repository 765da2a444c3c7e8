import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/endpoints';
import { fieldErrors, plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { localZone } from '../../ui/format';
import { ListingForm } from './ListingForm';
import { emptyListing, toListingInput } from './listing-form';

export function NewListingPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <div className="narrow-wide">
      <p className="breadcrumb">
        <Link to="/provider">‹ Dashboard</Link>
      </p>
      <h1>New listing</h1>
      <p className="lead">
        Start with the basics. You add services, opening hours and photos next, then publish.
      </p>
      {error !== null && (
        <p className="notice notice-error" role="alert">
          {plainMessage(error)}
        </p>
      )}
      <div className="card">
        <ListingForm
          initial={emptyListing(localZone())}
          submitLabel="Create listing"
          busy={busy}
          serverErrors={fieldErrors(error)}
          onSubmit={async (v) => {
            setBusy(true);
            setError(null);
            try {
              const listing = await api.createListing(toListingInput(v));
              queryClient.setQueryData(keys.listing(listing.id), listing);
              queryClient.invalidateQueries({ queryKey: keys.myListings });
              navigate(`/provider/listings/${listing.id}?tab=services`);
            } catch (err) {
              setError(err);
            } finally {
              setBusy(false);
            }
          }}
        />
      </div>
    </div>
  );
}
