import type { City } from './cities';
import { countries } from './countries';
import type { ProviderKind } from './generate';
import type { Rng } from './prng';

/** Street addresses, postcodes and coordinates near a city centre, in the country's style. */
export function jitter(rng: Rng, city: City): { latitude: number; longitude: number } {
  const radiusKm = 5 * Math.sqrt(rng.next());
  const angle = rng.next() * 2 * Math.PI;
  const dLat = (radiusKm * Math.cos(angle)) / 111.32;
  const dLon = (radiusKm * Math.sin(angle)) / (111.32 * Math.cos((city.latitude * Math.PI) / 180));
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return { latitude: round(city.latitude + dLat), longitude: round(city.longitude + dLon) };
}

const GB_INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const CA_LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';

export function postcode(rng: Rng, city: City): string {
  const base = rng.pick(city.postcodes);
  if (city.country === 'GB')
    return `${base} ${rng.int(0, 9)}${rng.pick([...GB_INWARD_LETTERS])}${rng.pick([...GB_INWARD_LETTERS])}`;
  if (city.country === 'CA') return `${base} ${rng.int(0, 9)}${rng.pick([...CA_LETTERS])}${rng.int(0, 9)}`;
  return base;
}

export function addressLine(rng: Rng, city: City, kind: ProviderKind): string {
  const street = rng.pick(city.streets);
  const style = countries[city.country].address;
  const max = city.country === 'US' ? 9999 : city.country === 'CA' ? 2999 : city.country === 'AU' ? 400 : 180;
  const n = city.country === 'US' ? rng.int(100, max) : rng.int(1, max);
  const base =
    style === 'number-first'
      ? `${n} ${street}`
      : style === 'number-first-comma'
        ? `${n}, ${street}`
        : style === 'number-last'
          ? `${street} ${n}`
          : `${street}, ${n}`;
  if ((city.country === 'US' || city.country === 'CA') && kind === 'clinic' && rng.chance(0.4))
    return `${base}, Suite ${rng.int(1, 9)}${rng.pick(['00', '01', '10', '20'])}`;
  if (city.country === 'AU' && rng.chance(0.2)) return `Level ${rng.int(1, 6)}, ${base}`;
  return base;
}
