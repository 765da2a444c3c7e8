import type { Place, PlacesResponse } from '@carebook/contracts';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { apiRequest } from '../../api/client';

const places = (q: string) => apiRequest<PlacesResponse>('/api/v1/search/places', { query: q ? { q } : {} });

/**
 * Coordinates without an outside geocoder: from the address (its postcode or city, looked up in
 * the bundled place table) or picked from the bundled cities, which also fills city, region,
 * country and time zone.
 */
export function PlaceFinder({
  address,
  onCoordinates,
  onPlace,
}: {
  address: { postcode: string; city: string };
  onCoordinates: (p: Place) => void;
  onPlace: (p: Place) => void;
}) {
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pickId = useId();
  // The city list loads when the picker is first used.
  const [wanted, setWanted] = useState(false);
  const all = useQuery({
    queryKey: ['places'],
    queryFn: () => places(''),
    staleTime: Number.POSITIVE_INFINITY,
    enabled: wanted,
  });
  const find = async () => {
    const q = `${address.postcode} ${address.city}`.trim();
    if (!q) return setStatus('Enter the postcode or city first, or pick a city below.');
    setBusy(true);
    try {
      const found = (await places(q)).places[0];
      if (!found) {
        setStatus(
          'No bundled place matches this postcode or city. Pick the nearest city below, or type the coordinates.',
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
      <div className="field">
        <label htmlFor={pickId}>Or pick a city</label>
        <select
          id={pickId}
          value=""
          onFocus={() => setWanted(true)}
          onPointerDown={() => setWanted(true)}
          onChange={(e) => {
            const p = all.data?.places.find((x) => `${x.name}|${x.country}` === e.target.value);
            if (p) {
              onPlace(p);
              setStatus(`${p.name} chosen: city, region, country, time zone and coordinates filled in.`);
            }
          }}
        >
          <option value="">Choose…</option>
          {(all.data?.places ?? []).map((p) => (
            <option key={`${p.name}|${p.country}`} value={`${p.name}|${p.country}`}>
              {p.name} ({p.country})
            </option>
          ))}
        </select>
      </div>
      {status && (
        <p className="muted small" role="status">
          {status}
        </p>
      )}
    </div>
  );
}
