import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Avatar } from './Avatar';

const initials = (name: string) => {
  const { container, unmount } = render(<Avatar name={name} photoKey={null} />);
  const text = container.textContent;
  unmount();
  return text;
};

describe('Avatar initials', () => {
  it('are the name, not the titles before it', () => {
    expect(initials('Dr. med. dent. Lisa Franke')).toBe('LF');
    expect(initials('Dra. Alba Ortiz Marín')).toBe('AO');
    expect(initials('Dr François Haddad')).toBe('FH');
    expect(initials('Prof. Dr. Jan de Vries')).toBe('JV');
    expect(initials('Clínica Dental Las Fuentes')).toBe('CD');
    expect(initials('The Harbour Practice')).toBe('HP');
  });
});
