import type { LanguageCode } from './vocabulary';

export type CountryCode = 'US' | 'CA' | 'GB' | 'DE' | 'ES' | 'FR' | 'AU' | 'IN';
export type Currency = 'USD' | 'CAD' | 'GBP' | 'EUR' | 'AUD' | 'INR';
export type HoursStyle = 'anglo' | 'de' | 'fr' | 'es' | 'in';

export interface Country {
  readonly code: CountryCode;
  readonly currency: Currency;
  /** Multiplies the US-dollar base prices of the service templates, in the local currency. */
  readonly priceFactor: number;
  /** Prices are rounded to multiples of this many whole currency units. */
  readonly priceStep: number;
  readonly hours: HoursStyle;
  /** Street address order: `number street`, `street number` or `street, number`. */
  readonly address: 'number-first' | 'number-last' | 'number-last-comma' | 'number-first-comma';
  /** Languages a provider speaks besides the city's own, with the chance of each. */
  readonly extraLanguages: ReadonlyArray<readonly [LanguageCode, number]>;
  /** Chance that a practitioner lists themselves as non-binary. */
  readonly nonBinaryShare: number;
}

export const countries: Readonly<Record<CountryCode, Country>> = {
  US: {
    code: 'US',
    currency: 'USD',
    priceFactor: 1,
    priceStep: 5,
    hours: 'anglo',
    address: 'number-first',
    extraLanguages: [
      ['es', 0.15],
      ['zh', 0.03],
      ['vi', 0.02],
      ['ko', 0.02],
      ['tl', 0.02],
      ['ru', 0.02],
      ['ar', 0.02],
      ['fr', 0.02],
      ['hi', 0.02],
      ['pt', 0.015],
    ],
    nonBinaryShare: 0.02,
  },
  CA: {
    code: 'CA',
    currency: 'CAD',
    priceFactor: 1,
    priceStep: 5,
    hours: 'anglo',
    address: 'number-first',
    extraLanguages: [
      ['fr', 0.12],
      ['zh', 0.05],
      ['pa', 0.04],
      ['tl', 0.03],
      ['es', 0.03],
      ['ar', 0.03],
      ['ur', 0.02],
      ['fa', 0.02],
      ['it', 0.02],
      ['pt', 0.02],
    ],
    nonBinaryShare: 0.02,
  },
  GB: {
    code: 'GB',
    currency: 'GBP',
    priceFactor: 0.75,
    priceStep: 5,
    hours: 'anglo',
    address: 'number-first',
    extraLanguages: [
      ['fr', 0.05],
      ['es', 0.04],
      ['pl', 0.03],
      ['hi', 0.03],
      ['pa', 0.03],
      ['ur', 0.03],
      ['ar', 0.02],
      ['de', 0.02],
      ['it', 0.02],
      ['pt', 0.02],
    ],
    nonBinaryShare: 0.015,
  },
  DE: {
    code: 'DE',
    currency: 'EUR',
    priceFactor: 0.55,
    priceStep: 5,
    hours: 'de',
    address: 'number-last',
    extraLanguages: [
      ['en', 0.65],
      ['tr', 0.08],
      ['fr', 0.07],
      ['ru', 0.05],
      ['ar', 0.04],
      ['pl', 0.04],
      ['es', 0.04],
      ['it', 0.03],
      ['el', 0.02],
      ['hr', 0.02],
    ],
    nonBinaryShare: 0.01,
  },
  ES: {
    code: 'ES',
    currency: 'EUR',
    priceFactor: 0.4,
    priceStep: 5,
    hours: 'es',
    address: 'number-last-comma',
    extraLanguages: [
      ['en', 0.5],
      ['fr', 0.1],
      ['de', 0.04],
      ['it', 0.04],
      ['pt', 0.03],
      ['ar', 0.03],
      ['ro', 0.02],
    ],
    nonBinaryShare: 0.01,
  },
  FR: {
    code: 'FR',
    currency: 'EUR',
    priceFactor: 0.3,
    priceStep: 5,
    hours: 'fr',
    address: 'number-first',
    extraLanguages: [
      ['en', 0.45],
      ['es', 0.08],
      ['ar', 0.07],
      ['de', 0.05],
      ['it', 0.05],
      ['pt', 0.04],
    ],
    nonBinaryShare: 0.01,
  },
  AU: {
    code: 'AU',
    currency: 'AUD',
    priceFactor: 1,
    priceStep: 5,
    hours: 'anglo',
    address: 'number-first',
    extraLanguages: [
      ['zh', 0.07],
      ['vi', 0.03],
      ['el', 0.03],
      ['it', 0.03],
      ['ar', 0.03],
      ['hi', 0.03],
      ['pa', 0.02],
      ['ko', 0.02],
      ['es', 0.02],
    ],
    nonBinaryShare: 0.02,
  },
  IN: {
    code: 'IN',
    currency: 'INR',
    priceFactor: 6,
    priceStep: 50,
    hours: 'in',
    address: 'number-first-comma',
    extraLanguages: [
      ['bn', 0.04],
      ['gu', 0.04],
      ['ur', 0.04],
      ['ml', 0.04],
    ],
    nonBinaryShare: 0.005,
  },
};
