import type { BoundingBox } from './types';

export const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Great-circle distance in kilometres (haversine). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s1 = Math.sin(dLat / 2);
  const s2 = Math.sin(dLon / 2);
  const a = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * A latitude/longitude box that contains every point within `radiusKm` of the centre; used to
 * reject most documents with two comparisons before the haversine. Near the poles or for huge radii
 * it degenerates to the full longitude range.
 */
export function radiusBounds(lat: number, lon: number, radiusKm: number): BoundingBox {
  const dLat = radiusKm / (EARTH_RADIUS_KM * RAD);
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  const maxAbsLat = Math.max(Math.abs(minLat), Math.abs(maxLat));
  if (maxAbsLat >= 89.9 || dLat >= 90) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  const dLon = dLat / Math.cos(maxAbsLat * RAD);
  if (dLon >= 180) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  return { minLat, maxLat, minLon: lon - dLon, maxLon: lon + dLon };
}

/** Longitude containment that also handles boxes crossing the antimeridian (min > max, or |x|>180). */
export function lonInside(lon: number, minLon: number, maxLon: number): boolean {
  if (minLon <= maxLon && minLon >= -180 && maxLon <= 180) return lon >= minLon && lon <= maxLon;
  const norm = (x: number) => ((((x + 180) % 360) + 360) % 360) - 180;
  const a = norm(minLon);
  const b = norm(maxLon);
  if (maxLon - minLon >= 360) return true;
  return a <= b ? lon >= a && lon <= b : lon >= a || lon <= b;
}

const hav = (x: number) => {
  const s = Math.sin(x / 2);
  return s * s;
};

/**
 * A lower bound of the distance (km) from a point to any point of a lat/lon cell: the haversine
 * formula with the latitude gap, the longitude gap and the cosine of the cell's latitude each at
 * their most favourable value (each term is minimised on its own, so the sum is a lower bound).
 */
export function minKmToCell(
  lat: number,
  lon: number,
  minLat: number,
  maxLat: number,
  minLon: number,
  maxLon: number,
): number {
  const dLat = lat < minLat ? minLat - lat : lat > maxLat ? lat - maxLat : 0;
  let dLon = 0;
  if (lon < minLon || lon > maxLon) {
    const gap = (x: number) => {
      const d = Math.abs(x - lon) % 360;
      return d > 180 ? 360 - d : d;
    };
    dLon = Math.min(gap(minLon), gap(maxLon));
  }
  const cosCell = Math.max(0, Math.min(Math.cos(minLat * RAD), Math.cos(maxLat * RAD)));
  const h = hav(dLat * RAD) + Math.cos(lat * RAD) * cosCell * hav(dLon * RAD);
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The distance (km) from a point to the farthest corner of a small lat/lon cell, which is the
 * farthest point of the cell (along a parallel the distance grows away from the point's meridian,
 * along a meridian it has one minimum).
 */
export function maxKmToCell(
  lat: number,
  lon: number,
  minLat: number,
  maxLat: number,
  minLon: number,
  maxLon: number,
): number {
  return Math.max(
    haversineKm(lat, lon, minLat, minLon),
    haversineKm(lat, lon, minLat, maxLon),
    haversineKm(lat, lon, maxLat, minLon),
    haversineKm(lat, lon, maxLat, maxLon),
  );
}
