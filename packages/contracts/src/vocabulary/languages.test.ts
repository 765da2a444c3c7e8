import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { isLanguageCode, LanguageCode, languageCodes, languageName, languageNames } from './index';

describe('ISO 639-1 languages', () => {
  it('lists all 183 unique two-letter codes, each with an English name', () => {
    expect(languageCodes).toHaveLength(183);
    expect(new Set(languageCodes).size).toBe(183);
    for (const code of languageCodes) {
      expect(code).toMatch(/^[a-z]{2}$/);
      expect(languageNames[code].length).toBeGreaterThan(1);
    }
    expect([...languageCodes].sort()).toEqual(languageCodes);
  });

  it('agrees with the platform on the names of major languages', () => {
    const display = new Intl.DisplayNames(['en'], { type: 'language' });
    for (const code of ['en', 'de', 'es', 'fr', 'zh', 'hi', 'ar', 'pt', 'ru', 'ja', 'ta', 'pl'] as const) {
      expect(display.of(code)).toBe(languageNames[code]);
    }
  });

  it('checks codes', () => {
    expect(isLanguageCode('en')).toBe(true);
    expect(isLanguageCode('EN')).toBe(false);
    expect(isLanguageCode('eng')).toBe(false);
    expect(isLanguageCode('bh')).toBe(false);
    expect(isLanguageCode('sh')).toBe(false);
    expect(languageName('ca')).toBe('Catalan');
    expect(languageName('xx')).toBeUndefined();
    expect(Value.Check(LanguageCode, 'eu')).toBe(true);
    expect(Value.Check(LanguageCode, 'xx')).toBe(false);
  });
});
