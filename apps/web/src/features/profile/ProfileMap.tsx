import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'react';
import './profile.css';

/** Tile server, as for the search map: VITE_MAP_TILE_URL at build time. */
const TILE_URL = import.meta.env.VITE_MAP_TILE_URL || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const ATTRIBUTION = import.meta.env.VITE_MAP_ATTRIBUTION || '&copy; OpenStreetMap contributors';

/**
 * Where the practice is: one pin on a small map. As on the search map, when tiles cannot load
 * the pin stays on a plain background and the written address beside it is the way to go.
 */
export default function ProfileMap({ lat, lon, name }: { lat: number; lon: number; name: string }) {
  const el = useRef<HTMLElement>(null);
  const [tilesFailed, setTilesFailed] = useState(false);
  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { scrollWheelZoom: false, keyboard: true }).setView([lat, lon], 15);
    const tiles = L.tileLayer(TILE_URL, { attribution: ATTRIBUTION, maxZoom: 18 });
    let errors = 0;
    tiles.on('tileerror', () => {
      errors += 1;
      if (errors >= 2) setTilesFailed(true);
    });
    tiles.addTo(m);
    L.circleMarker([lat, lon], {
      radius: 10,
      color: '#0b5f73',
      weight: 2,
      fillColor: '#1c8aa3',
      fillOpacity: 0.85,
    })
      .bindTooltip(name)
      .addTo(m);
    return () => {
      m.remove();
    };
  }, [lat, lon, name]);
  return (
    <div className="profile-map-wrap">
      <section ref={el} className="profile-map" aria-label={`Map: where ${name} is`} />
      {tilesFailed && (
        <p className="muted small" role="status">
          The map background could not load; the pin marks the address above.
        </p>
      )}
    </div>
  );
}
