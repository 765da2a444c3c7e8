import { describe, expect, it } from 'vitest';
import { problemCodes, problemType } from './errors';

describe('problem registry', () => {
  it('gives every code an HTTP error status and a title', () => {
    for (const [code, entry] of Object.entries(problemCodes)) {
      expect(code).toMatch(/^[A-Z][A-Z_]+$/);
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.title.length).toBeGreaterThan(3);
    }
  });
  it('maps codes to stable URN types', () => {
    expect(problemType('SLOT_TAKEN')).toBe('urn:carebook:problem:slot-taken');
  });
});
