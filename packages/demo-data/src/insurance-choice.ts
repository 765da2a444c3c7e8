import type { City } from './cities';
import type { Rng } from './prng';
import { type Insurer, insurersFor, type SpecialtyCode, specialtyByCode } from './vocabulary';

/** Specialties that public schemes pay for as medical care. */
function publiclyCovered(code: SpecialtyCode): boolean {
  const s = specialtyByCode(code);
  if (!s) return false;
  switch (s.category) {
    case 'primary-care':
    case 'medical':
    case 'surgical':
    case 'childrens-health':
    case 'diagnostic':
      return code !== 'aesthetic-medicine';
    case 'womens-health':
      return code !== 'lactation-consulting';
    case 'eye-and-ear':
      return code === 'ophthalmology' || code === 'ent';
    case 'mental-health':
      return code === 'psychiatry' || code === 'addiction-medicine';
    case 'rehabilitation':
      return code === 'physical-medicine-rehabilitation';
    default:
      return false;
  }
}

const names = (list: readonly Insurer[]) => list.map((i) => i.name);

/**
 * Insurance a provider plausibly accepts in its city, and whether its covered services are free
 * at the point of care (NHS GPs, provincial plans in Canada, statutory funds in Germany,
 * bulk-billing GPs in Australia). Names are canonical vocabulary names.
 */
const byRegion = new Map<string, { publicPlans: Insurer[]; privatePlans: Insurer[] }>();

function plansIn(city: City): { publicPlans: Insurer[]; privatePlans: Insurer[] } {
  const key = `${city.country}-${city.region}`;
  let plans = byRegion.get(key);
  if (!plans) {
    const available = insurersFor(city.country, city.region);
    plans = {
      publicPlans: available.filter((i) => i.kind === 'public'),
      privatePlans: available.filter((i) => i.kind === 'private'),
    };
    byRegion.set(key, plans);
  }
  return plans;
}

export function insuranceFor(
  rng: Rng,
  city: City,
  primary: SpecialtyCode,
): { insurance: string[]; free: boolean } {
  const { publicPlans, privatePlans } = plansIn(city);
  const covered = publiclyCovered(primary);
  const category = specialtyByCode(primary)?.category;
  const privatePick = (min: number, max: number) => names(rng.sample(privatePlans, rng.int(min, max)));

  switch (city.country) {
    case 'US': {
      if (category === 'complementary' && rng.chance(0.6)) return { insurance: [], free: false };
      const out = privatePick(2, 6);
      const medical = covered || category === 'mental-health' || category === 'rehabilitation';
      if (medical && rng.chance(0.55)) out.push('Medicare');
      if (medical && rng.chance(0.35)) out.push('Medicaid');
      if (medical && rng.chance(0.1)) out.push('TRICARE');
      return { insurance: out, free: false };
    }
    case 'CA': {
      const out = covered && rng.chance(0.9) ? names(publicPlans) : [];
      const free = out.length > 0;
      if (!covered || rng.chance(0.3)) out.push(...privatePick(1, 4));
      return { insurance: out, free };
    }
    case 'GB': {
      const nhs =
        (category === 'primary-care' && rng.chance(0.3)) ||
        (category === 'dental' && rng.chance(0.3)) ||
        (covered && rng.chance(0.1));
      const out = nhs ? ['NHS'] : [];
      if (!nhs || rng.chance(0.5)) out.push(...privatePick(1, 5));
      return { insurance: out, free: nhs && category !== 'dental' };
    }
    case 'DE': {
      const statutory =
        (covered || category === 'dental' || primary === 'psychotherapy' || category === 'rehabilitation') &&
        rng.chance(0.88);
      const out = statutory ? names(publicPlans) : [];
      if (rng.chance(statutory ? 0.85 : 1)) out.push(...privatePick(1, 3));
      return {
        insurance: out,
        free: statutory && (covered || category === 'dental' || primary === 'psychotherapy'),
      };
    }
    case 'FR': {
      const reimbursed =
        covered ||
        category === 'dental' ||
        category === 'rehabilitation' ||
        primary === 'psychology' ||
        primary === 'podiatry' ||
        primary === 'optometry';
      const out = reimbursed && rng.chance(0.95) ? ['Assurance Maladie'] : [];
      if (rng.chance(0.7)) out.push(...privatePick(1, 3));
      return { insurance: out, free: false };
    }
    case 'ES': {
      if (rng.chance(0.15)) return { insurance: [], free: false };
      const out = privatePick(1, 5);
      if (covered && rng.chance(0.15)) out.push('MUFACE');
      return { insurance: out, free: false };
    }
    case 'AU': {
      const medicare = covered ? rng.chance(0.92) : category !== 'complementary' && rng.chance(0.4);
      const out = medicare ? ['Medicare Australia'] : [];
      if (!covered || rng.chance(0.5)) out.push(...privatePick(1, 4));
      return { insurance: out, free: medicare && category === 'primary-care' && rng.chance(0.45) };
    }
    case 'IN': {
      if (rng.chance(0.35)) return { insurance: [], free: false };
      const out = privatePick(1, 4);
      if (covered && rng.chance(0.15)) out.push('CGHS');
      if (covered && rng.chance(0.1)) out.push('Ayushman Bharat PM-JAY');
      return { insurance: out, free: false };
    }
  }
}
