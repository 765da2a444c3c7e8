import type { City } from './cities';
import { type CountryCode, countries } from './countries';
import type { ServiceDraft, VisitType } from './generate';
import { americanise } from './naming';
import type { Rng } from './prng';
import { defaultTemplates, type ServiceTemplate, serviceTemplates } from './services';
import { type SpecialtyCategory, type SpecialtyCode, specialtyByCode } from './vocabulary';

/** A provider's services drawn from its specialties' templates, priced for its country. */
const templateCache = new Map<SpecialtyCode, readonly ServiceTemplate[]>();

function templatesFor(code: SpecialtyCode): readonly ServiceTemplate[] {
  let list = templateCache.get(code);
  if (!list) {
    const s = specialtyByCode(code);
    if (!s) throw new Error(`unknown specialty ${code}`);
    list = (serviceTemplates[code] ?? defaultTemplates(s.category)).map((tpl) => ({
      ...tpl,
      name: tpl.name.replace('{S}', s.name),
    }));
    templateCache.set(code, list);
  }
  return list;
}

function roundPrice(rng: Rng, base: number, country: CountryCode): number {
  const { priceFactor, priceStep } = countries[country];
  const raw = base * priceFactor * (0.8 + rng.next() * 0.45);
  return Math.max(priceStep, Math.round(raw / priceStep) * priceStep) * 100;
}

export type Mode = 'in-person' | 'hybrid' | 'video-only';

export function pickServices(
  rng: Rng,
  codes: readonly SpecialtyCode[],
  wantedMode: Mode,
  city: City,
  free: boolean,
): { services: ServiceDraft[]; mode: Mode } {
  const chosen: ServiceTemplate[] = [];
  codes.forEach((code, i) => {
    const [first, ...rest] = templatesFor(code);
    if (!first) return;
    const more = i === 0 ? rng.int(1, Math.min(3, rest.length)) : rng.int(0, Math.min(1, rest.length));
    chosen.push(first, ...rng.sample(rest, more));
  });
  const videoCapable = chosen.filter((s) => s.video !== 'no');
  let mode = wantedMode;
  if (mode !== 'in-person' && videoCapable.length === 0) mode = 'in-person';
  const currency = countries[city.country].currency;
  const services: ServiceDraft[] = [];
  const seen = new Set<string>();
  const add = (tpl: ServiceTemplate, visitType: VisitType, name = tpl.name) => {
    if (seen.has(name)) return;
    seen.add(name);
    services.push({
      name,
      durationMinutes: rng.pick(tpl.minutes),
      priceCents:
        free && !tpl.selfPay
          ? 0
          : roundPrice(rng, visitType === 'video' ? tpl.price * 0.9 : tpl.price, city.country),
      currency,
      visitType,
      bufferBeforeMinutes:
        visitType === 'video' ? 0 : tpl.before ? rng.pick(tpl.before) : rng.chance(0.15) ? 5 : 0,
      bufferAfterMinutes: tpl.after
        ? rng.pick(tpl.after)
        : visitType === 'video'
          ? rng.pick([0, 0, 5])
          : rng.pick([0, 0, 0, 5, 10]),
    });
  };
  for (const tpl of mode === 'video-only' ? videoCapable : chosen) {
    if (mode === 'video-only') add(tpl, 'video');
    else if (tpl.video === 'only') {
      if (mode === 'hybrid') add(tpl, 'video');
    } else add(tpl, 'in-person');
  }
  if (mode === 'hybrid' && !services.some((s) => s.visitType === 'video')) {
    const tpl = videoCapable[0];
    if (tpl) add(tpl, 'video', `${tpl.name} by video`);
  }
  if (services.length === 0) {
    const tpl = chosen[0];
    if (tpl) add(tpl, 'in-person');
  }
  if (city.names === 'en-US') for (const s of services) s.name = americanise(s.name);
  return {
    services,
    mode: services.some((s) => s.visitType === 'in-person')
      ? services.some((s) => s.visitType === 'video')
        ? 'hybrid'
        : 'in-person'
      : 'video-only',
  };
}

/** Slot grid in minutes, no longer than the shortest service; mostly 15, often 30 for therapy. */
export function slotInterval(
  rng: Rng,
  services: readonly ServiceDraft[],
  primaryCategory: SpecialtyCategory,
): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (const s of services) shortest = Math.min(shortest, s.durationMinutes);
  const options = [5, 10, 15, 20, 30];
  const weights = [0.05, 0.15, 0.5, 0.1, primaryCategory === 'mental-health' ? 1 : 0.2];
  let total = 0;
  for (let i = 0; i < options.length; i++)
    if ((options[i] as number) <= shortest) total += weights[i] as number;
  let x = rng.next() * total;
  for (let i = 0; i < options.length; i++) {
    if ((options[i] as number) > shortest) continue;
    x -= weights[i] as number;
    if (x < 0) return options[i] as number;
  }
  return 5;
}
