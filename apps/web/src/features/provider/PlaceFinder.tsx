import type { Place, PlacesResponse } from '@carebook/contracts';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { apiRequest } from '../../api/client';
import { useCombobox, useDebounced } from '../../ui/use-combobox';

const places = (q: string, signal?: AbortSignal) =>
  apiRequest<PlacesResponse>('/api/v1/search/places', { query: { q }, ...(signal ? { signal } : {}) });

const MAX_OPTIONS = 8;

const placeLabel = (p: Place) => [p.name, p.region, p.country].filter(Boolean).join(', ');

/**
 * Coordinates without an outside geocoder, from the bundled places (the demo cities and their
 * postcodes): found from the address's postcode or city, or from a place typed and chosen in a
 * combobox, which also fills city, region, country and time zone (and the postcode, when the
 * place was found by one).
 */
export function PlaceFinder({
  address,
  onCoordinates,
  onPlace,
}: {
  address: { postcode: string; city: string };
  onCoordinates: (p: Place) => void;
  onPlace: (p: Place, typed: string) => void;
}) {
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const find = async () => {
    const q = `${address.postcode} ${address.city}`.trim();
    if (!q) return setStatus('Enter the postcode or city first, or find the place below.');
    setBusy(true);
    try {
      const found = (await places(q)).places[0];
      if (!found) {
        setStatus(
          'No bundled place matches this postcode or city. Find the nearest city below, or type the coordinates.',
        );
        return;
      }
      onCoordinates(found);
      setStatus(
        `Coordinates of ${found.name} (found by ${found.match === 'postcode' ? 'postcode' : 'city'}): ${found.lat.toFixed(4)}, ${found.lon.toFixed(4)}. Adjust them if the practice is far from the centre.`,
      );
    } catch {
      setStatus('Looking up the address failed. Try again, or type the coordinates.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="place-finder">
      <button type="button" className="btn btn-secondary btn-small" onClick={find} disabled={busy}>
        Find coordinates from the address
      </button>
      <PlaceSearch
        onChoose={(p, typed) => {
          onPlace(p, typed);
          setStatus(
            `${p.name} chosen: city, region, country, time zone and coordinates filled in (${p.lat.toFixed(4)}, ${p.lon.toFixed(4)}).`,
          );
        }}
      />
      {status && (
        <p className="muted small" role="status">
          {status}
        </p>
      )}
    </div>
  );
}

/** A combobox over the bundled places: type a city or postcode, arrows to move, Enter to choose. */
function PlaceSearch({ onChoose }: { onChoose: (p: Place, typed: string) => void }) {
  const { text, setText, open, close, bind } = useCombobox();
  const inputId = useId();
  const hintId = useId();
  const typed = useDebounced(text.trim(), 150);
  const q = useQuery({
    queryKey: ['places', typed],
    queryFn: ({ signal }) => places(typed, signal),
    enabled: typed.length >= 2,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const options = open && typed.length >= 2 ? (q.data?.places ?? []).slice(0, MAX_OPTIONS) : [];
  const nothing = open && typed.length >= 2 && q.isSuccess && q.data.places.length === 0;

  const choose = (index: number) => {
    const p = options[index];
    if (!p) return;
    onChoose(p, typed);
    setText(placeLabel(p));
    close();
  };
  // Choosing a place with Enter never submits the listing form.
  const combo = bind(options.length, choose, { label: 'Places', chooseOnEnter: true });
  return (
    <div className="field place-search">
      <label htmlFor={inputId}>Or find the place</label>
      <p id={hintId} className="hint">
        Type a city or postcode and choose it: city, region, country, time zone and coordinates are filled in.
      </p>
      <div className="place-combo">
        <input
          id={inputId}
          type="text"
          {...combo.input}
          aria-describedby={hintId}
          placeholder="e.g. Frankfurt or 60311"
        />
        <div {...combo.listbox} className="place-options">
          {options.map((p, i) => (
            <div key={`${p.name}|${p.country}`} {...combo.option(i)}>
              <span>{placeLabel(p)}</span>
              <span className="muted small">{p.match === 'postcode' ? 'by postcode' : p.timeZone}</span>
            </div>
          ))}
        </div>
      </div>
      {nothing && (
        <p className="muted small" role="status">
          No bundled place matches “{typed}”. Try the nearest city, or type the coordinates.
        </p>
      )}
    </div>
  );
}
