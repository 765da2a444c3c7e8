import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  findInsurer,
  InsuranceName,
  insuranceKey,
  insurers,
  insurersFor,
  normaliseInsuranceName,
} from './index';

describe('insurance vocabulary', () => {
  it('has about forty insurers across the demo countries with unique names', () => {
    expect(insurers.length).toBeGreaterThanOrEqual(40);
    expect(new Set(insurers.map((i) => i.name)).size).toBe(insurers.length);
    for (const country of ['US', 'CA', 'GB', 'DE', 'ES', 'FR', 'AU', 'IN']) {
      expect(insurersFor(country).length, country).toBeGreaterThanOrEqual(4);
    }
  });

  it('never lets one spelling point at two insurers', () => {
    const owner = new Map<string, string>();
    for (const insurer of insurers) {
      for (const form of [insurer.name, ...insurer.aliases]) {
        const key = insuranceKey(form);
        expect(key.length, form).toBeGreaterThan(1);
        const previous = owner.get(key);
        if (previous !== undefined) expect(previous, `${form} collides`).toBe(insurer.name);
        owner.set(key, insurer.name);
      }
    }
  });

  it.each([
    ['BCBS', 'Blue Cross Blue Shield'],
    ['blue cross', 'Blue Cross Blue Shield'],
    ['Blue  Cross   Blue Shield', 'Blue Cross Blue Shield'],
    ['united healthcare', 'UnitedHealthcare'],
    ['United Health Care', 'UnitedHealthcare'],
    ['UHC', 'UnitedHealthcare'],
    ['techniker', 'TK Techniker Krankenkasse'],
    ['Techniker Krankenkasse', 'TK Techniker Krankenkasse'],
    ['  aok ', 'AOK'],
    ['kaiser', 'Kaiser Permanente'],
    ['nhs', 'NHS'],
    ['axa ppp healthcare', 'AXA'],
    ['Securite Sociale', 'Assurance Maladie'],
    ['dak gesundheit', 'DAK-Gesundheit'],
    ['medicare', 'Medicare'],
    ['Medicare Australia', 'Medicare Australia'],
    ['ontario health insurance plan', 'OHIP'],
    ['NIB', 'nib'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normaliseInsuranceName(input)).toBe(expected);
  });

  it('keeps unknown insurers in their own case, trimmed with whitespace collapsed', () => {
    expect(normaliseInsuranceName('  Valley  Mutual\tHealth ')).toBe('Valley Mutual Health');
    expect(normaliseInsuranceName('hanseatic health plan')).toBe('hanseatic health plan');
    expect(normaliseInsuranceName('')).toBe('');
    expect(findInsurer('Valley Mutual Health')).toBeUndefined();
  });

  it('limits regional schemes to their region', () => {
    const ontario = insurersFor('CA', 'ON').map((i) => i.name);
    expect(ontario).toContain('OHIP');
    expect(ontario).not.toContain('MSP');
    expect(ontario).toContain('Sun Life');
    expect(insurersFor('US', 'NY').map((i) => i.name)).not.toContain('Kaiser Permanente');
    expect(insurersFor('US', 'CA').map((i) => i.name)).toContain('Kaiser Permanente');
  });

  it('validates stored names with the schema', () => {
    expect(Value.Check(InsuranceName, 'Blue Cross Blue Shield')).toBe(true);
    expect(Value.Check(InsuranceName, ' padded')).toBe(false);
    expect(Value.Check(InsuranceName, '')).toBe(false);
    for (const insurer of insurers) expect(Value.Check(InsuranceName, insurer.name)).toBe(true);
  });
});
