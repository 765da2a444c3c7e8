import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';
import { Facets } from './Facets';

const facets = {
  specialty: { dermatology: 13, 'plastic-surgery': 4 },
  language: { en: 11, es: 3 },
  insurance: { Aetna: 2 },
  gender: { female: 5 },
  visitType: { 'in-person': 13, video: 3 },
  acceptingNewPatients: { true: 10 },
};

describe('Facets', () => {
  it('labels values in words with their counts, and ticking one filters the search', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<Facets facets={facets} names={new Map([['dermatology', 'Dermatology']])} />);
    const languages = screen.getByRole('group', { name: 'Language' });
    expect(within(languages).getByRole('checkbox', { name: /Spanish/ })).toBeTruthy();
    expect(
      within(screen.getByRole('group', { name: 'Specialty' })).getByText('Plastic surgery'),
    ).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Visit type' })).getByText('13')).toBeTruthy();
    await user.click(within(languages).getByRole('checkbox', { name: /Spanish/ }));
    expect(store.getState().search.filters.language).toEqual(['es']);
    await user.click(screen.getByRole('checkbox', { name: /Accepting new patients/ }));
    expect(store.getState().search.acceptingNewPatients).toBe(true);
  });
});
