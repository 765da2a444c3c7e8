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

  it('filters by least rating with radio buttons read as "4 stars and up", cleared by "Any rating"', async () => {
    const user = userEvent.setup();
    const { store } = renderApp(<Facets facets={facets} names={new Map()} />);
    const rating = screen.getByRole('group', { name: 'Rating' });
    const four = within(rating).getByRole('radio', { name: '4 stars and up' });
    // On screen "4★ and up": the star is hidden from screen readers, which hear "stars" instead.
    expect(four.closest('label')?.textContent).toBe('4★ stars and up');
    expect(four.closest('label')?.querySelector('[aria-hidden="true"]')?.textContent).toBe('★');
    await user.click(four);
    expect(store.getState().search.minRating).toBe(4);
    expect((four as HTMLInputElement).checked).toBe(true);
    await user.click(within(rating).getByRole('radio', { name: 'Any rating' }));
    expect(store.getState().search.minRating).toBeNull();
  });
});
