/** What the HTTP bench loads, with the targets from issue 15 (ratio of req/s to the hello-world). */

export interface Endpoint {
  name: string;
  /** One fixed path… */
  path?: string;
  /** …or a generator of a new path per request. */
  paths?: () => string;
  target: number;
}

const TEXTS = [
  'dermatology',
  'cardiology',
  'pediatrics',
  'dentist',
  'therapy',
  'acne',
  'asthma',
  'back pain',
  '',
];
const CITIES = [
  { lat: 40.75, lon: -73.99 },
  { lat: 34.05, lon: -118.24 },
  { lat: 41.88, lon: -87.63 },
  { lat: 51.51, lon: -0.13 },
  { lat: 52.52, lon: 13.4 },
];

/**
 * Distinct searches: text × place × a position moved by a few metres per request, so no two
 * requests of a run share a cache key (each one reaches the engine).
 */
export function distinctSearch(seed: number): () => string {
  let n = seed * 1_000_003;
  return () => {
    n++;
    const text = TEXTS[n % TEXTS.length] ?? '';
    const city = CITIES[Math.floor(n / TEXTS.length) % CITIES.length] ?? { lat: 0, lon: 0 };
    const jitter = (n % 100_000) * 1e-6;
    const q = text ? `q=${encodeURIComponent(text)}&` : '';
    return `/api/v1/search?${q}lat=${(city.lat + jitter).toFixed(6)}&lon=${city.lon.toFixed(6)}&radiusKm=50&size=20`;
  };
}

export async function endpoints(carebookUrl: string): Promise<Endpoint[]> {
  const res = await fetch(`${carebookUrl}/api/v1/search?q=dermatology&size=1`);
  const body = (await res.json()) as { results?: { id: string }[] };
  const id = body.results?.[0]?.id;
  if (!id) throw new Error(`no listing found in the demo data: ${JSON.stringify(body).slice(0, 200)}`);
  return [
    { name: 'healthz', path: '/healthz', target: 0.5 },
    { name: 'provider read', path: `/api/v1/providers/${id}`, target: 0.35 },
    {
      name: 'cached search',
      path: '/api/v1/search?q=dermatology&lat=40.75&lon=-73.99&radiusKm=50',
      target: 0.35,
    },
    { name: 'distinct mix', paths: distinctSearch(0), target: 0.15 },
  ];
}
