import { describe, expect, it } from 'vitest';
import { distanceAway, localSpelling, plural, usesMiles } from './locale';

describe('viewer locale', () => {
  it('shows miles in the US, the UK, Liberia and Myanmar, kilometres elsewhere', () => {
    expect(usesMiles('en-US')).toBe(true);
    expect(usesMiles('en-GB')).toBe(true);
    expect(usesMiles('en-LR')).toBe(true);
    expect(usesMiles('my')).toBe(true);
    expect(usesMiles('en-CA')).toBe(false);
    expect(usesMiles('de-DE')).toBe(false);
    expect(distanceAway(16.09344, 'en-US')).toBe('10.0 mi away');
    expect(distanceAway(5.14, 'en-AU')).toBe('5.1 km away');
    expect(distanceAway(5.14, 'de-DE')).toBe('5,1 km away');
  });

  it('spells specialty names the American way for en-US only', () => {
    expect(localSpelling('Paediatrics', 'en-US')).toBe('Pediatrics');
    expect(localSpelling('Orthopaedics', 'en-US')).toBe('Orthopedics');
    expect(localSpelling('Obstetrics & Gynaecology', 'en-US')).toBe('Obstetrics & Gynecology');
    expect(localSpelling('Haematology', 'en-US')).toBe('Hematology');
    expect(localSpelling('Paediatrician', 'en-GB')).toBe('Paediatrician');
    expect(localSpelling('Paediatrics', 'de-DE')).toBe('Paediatrics');
  });

  it('makes a practitioner title plural', () => {
    expect(plural('Dentist')).toBe('Dentists');
    expect(plural('Counsellor')).toBe('Counsellors');
    expect(plural('Speech Therapy')).toBe('Speech Therapies');
  });
});
