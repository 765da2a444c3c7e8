import type { SearchResultItem } from '@carebook/contracts';
import { useQueries } from '@tanstack/react-query';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../api/endpoints';
import { keys } from '../../app/query-client';
import './search.css';

/** Tile server: set VITE_MAP_TILE_URL at build time (e.g. your own tile cache). */
const TILE_URL = import.meta.env.VITE_MAP_TILE_URL || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const ATTRIBUTION = import.meta.env.VITE_MAP_ATTRIBUTION || '&copy; OpenStreetMap contributors';

/**
 * The current page of results on a map. Results carry no coordinates, so each listing is read
 * (they are cached and needed for the profile anyway). When tiles cannot load, the pins still
 * show on a plain background and the list below stays the way to browse.
 */
export default function MapView({ results }: { results: SearchResultItem[] }) {
  const el = useRef<HTMLElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const navigate = useNavigate();
  const [tilesFailed, setTilesFailed] = useState(false);
  const listings = useQueries({
    queries: results.map((r) => ({
      queryKey: keys.listing(r.id),
      queryFn: () => api.listing(r.id),
      staleTime: 60_000,
    })),
  });
  const points = listings
    .map((q) => q.data)
    .filter((l): l is NonNullable<typeof l> => Boolean(l))
    .map((l) => ({ id: l.id, name: l.name, lat: l.location.lat, lon: l.location.lon, city: l.address.city }));
  const signature = points.map((p) => p.id).join(',');

  useEffect(() => {
    if (!el.current || map.current) return;
    const m = L.map(el.current, { scrollWheelZoom: false, keyboard: true }).setView([20, 0], 2);
    const tiles = L.tileLayer(TILE_URL, { attribution: ATTRIBUTION, maxZoom: 18 });
    let errors = 0;
    tiles.on('tileerror', () => {
      errors += 1;
      if (errors >= 2) setTilesFailed(true);
    });
    tiles.addTo(m);
    layer.current = L.layerGroup().addTo(m);
    map.current = m;
    return () => {
      m.remove();
      map.current = null;
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: redraw when the set of points changes
  useEffect(() => {
    const m = map.current;
    const group = layer.current;
    if (!m || !group) return;
    group.clearLayers();
    for (const p of points) {
      const marker = L.circleMarker([p.lat, p.lon], {
        radius: 9,
        color: '#0b5f73',
        weight: 2,
        fillColor: '#1c8aa3',
        fillOpacity: 0.85,
      });
      marker.bindTooltip(`${p.name} — ${p.city}`);
      marker.on('click', () => navigate(`/providers/${p.id}`));
      marker.addTo(group);
    }
    if (points.length)
      m.fitBounds(L.latLngBounds(points.map((p) => [p.lat, p.lon])), { padding: [30, 30], maxZoom: 13 });
  }, [signature]);

  return (
    <div className="map-wrap">
      <section ref={el} className="map" aria-label="Map of the results on this page" />
      {tilesFailed && (
        <p className="notice" role="status">
          The map background could not load. The pins and the list below still show every result.
        </p>
      )}
    </div>
  );
}
