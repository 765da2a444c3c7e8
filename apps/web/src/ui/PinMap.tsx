import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useId, useRef, useState } from 'react';
import './pin-map.css';

/** Tile server, as for the search map: VITE_MAP_TILE_URL at build time. */
const TILE_URL = import.meta.env.VITE_MAP_TILE_URL || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
const ATTRIBUTION = import.meta.env.VITE_MAP_ATTRIBUTION || '&copy; OpenStreetMap contributors';

/**
 * One pin on a small map (a practice on its profile, the coordinates chosen in the listing form).
 * The caption is its text alternative: what the pin marks, in words. As on the search map, when
 * tiles cannot load the pin stays on a plain background and says so.
 */
export default function PinMap({
  lat,
  lon,
  name,
  label,
  caption,
}: {
  lat: number;
  lon: number;
  /** Tooltip of the pin. */
  name: string;
  /** Accessible name of the map region. */
  label: string;
  /** The text alternative, shown under the map. */
  caption: string;
}) {
  const el = useRef<HTMLElement>(null);
  const captionId = useId();
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
    <figure className="pin-map">
      <section ref={el} className="pin-map-canvas" aria-label={label} aria-describedby={captionId} />
      <figcaption id={captionId} className="muted small">
        {caption}
      </figcaption>
      {tilesFailed && (
        <p className="muted small" role="status">
          The map background could not load; the pin still marks the place.
        </p>
      )}
    </figure>
  );
}
