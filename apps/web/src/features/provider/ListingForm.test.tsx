import type { Place } from '@carebook/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test/render';
import { ListingForm } from './ListingForm';
import { emptyListing, languageOptions, placePatch, remainingErrors, validateListing } from './listing-form';

const frankfurt: Place = {
  name: 'Frankfurt am Main',
  country: 'DE',
  region: 'HE',
  timeZone: 'Europe/Berlin',
  lat: 50.1109,
  lon: 8.6821,
  match: 'postcode',
};

/** The bundled-places endpoint as the server answers it: Frankfurt by its postcodes or name. */
function servePlaces() {
  const asked: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = new URL(String(input), 'http://carebook.test');
      const q = url.searchParams.get('q') ?? '';
      asked.push(q);
      const places = /^6031/.test(q)
        ? [frankfurt]
        : 'frankfurt am main'.startsWith(q.toLowerCase())
          ? [{ ...frankfurt, match: 'city' }]
          : [];
      return new Response(JSON.stringify({ places }), { headers: { 'content-type': 'application/json' } });
    }),
  );
  return asked;
}

describe('ListingForm', () => {
  it('clears a field’s error as soon as it is fixed, and only that one', async () => {
    const user = userEvent.setup();
    renderApp(
      <ListingForm
        initial={emptyListing('Europe/Berlin')}
        submitLabel="Save"
        busy={false}
        onSubmit={() => {}}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText(/Enter the name patients will see/)).toBeTruthy();
    expect(screen.getByText('Enter the city.')).toBeTruthy();
    await user.type(screen.getByLabelText('Name patients will see'), 'Dr Ada Lane');
    expect(screen.queryByText(/Enter the name patients will see/)).toBeNull();
    expect(screen.getByText('Enter the city.')).toBeTruthy();
    expect(screen.getByLabelText('Name patients will see').getAttribute('aria-invalid')).toBeNull();
  });

  it('lists languages by name', () => {
    renderApp(
      <ListingForm initial={emptyListing('UTC')} submitLabel="Save" busy={false} onSubmit={() => {}} />,
    );
    const names = within(screen.getByRole('group', { name: 'Languages' }))
      .getAllByRole('checkbox')
      .map((c) => c.closest('label')?.textContent?.trim() ?? '');
    expect(names.length).toBeGreaterThan(20);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it('a server message for a field goes once that field is edited', async () => {
    const user = userEvent.setup();
    renderApp(
      <ListingForm
        initial={{ ...emptyListing('UTC'), name: 'Dr Ada Lane' }}
        submitLabel="Save"
        busy={false}
        serverErrors={{ name: 'That name is taken.' }}
        onSubmit={() => {}}
      />,
    );
    expect(screen.getByText('That name is taken.')).toBeTruthy();
    await user.type(screen.getByLabelText('Name patients will see'), ' MD');
    expect(screen.queryByText('That name is taken.')).toBeNull();
  });
});

describe('ListingForm place finder', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('typing a postcode offers the place; choosing it fills city, region, country, zone, postcode and coordinates, clears their errors and shows the pin', async () => {
    servePlaces();
    const user = userEvent.setup();
    renderApp(
      <ListingForm initial={emptyListing('UTC')} submitLabel="Save" busy={false} onSubmit={() => {}} />,
    );
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('Latitude is a number from -90 to 90.')).toBeTruthy();
    expect(screen.getByText('Enter the city.')).toBeTruthy();
    // Focus goes to the first field in error.
    expect(document.activeElement).toBe(screen.getByLabelText('Name patients will see'));

    const box = screen.getByRole('combobox', { name: 'Or find the place' });
    await user.type(box, '60311');
    const option = await screen.findByRole(
      'option',
      { name: /Frankfurt am Main, HE, DE/ },
      { timeout: 5000 },
    );
    expect(box.getAttribute('aria-expanded')).toBe('true');
    await user.keyboard('{ArrowDown}');
    expect(box.getAttribute('aria-activedescendant')).toBe(option.id);
    await user.keyboard('{Enter}');

    expect((screen.getByLabelText('City') as HTMLInputElement).value).toBe('Frankfurt am Main');
    expect((screen.getByLabelText('Region (optional)') as HTMLInputElement).value).toBe('HE');
    expect((screen.getByLabelText('Postcode') as HTMLInputElement).value).toBe('60311');
    expect((screen.getByLabelText('Country code') as HTMLInputElement).value).toBe('DE');
    expect((screen.getByLabelText('Latitude') as HTMLInputElement).value).toBe('50.1109');
    expect((screen.getByLabelText('Longitude') as HTMLInputElement).value).toBe('8.6821');
    expect((screen.getByLabelText('Time zone of your hours') as HTMLSelectElement).value).toBe(
      'Europe/Berlin',
    );
    expect(screen.queryByText('Latitude is a number from -90 to 90.')).toBeNull();
    expect(screen.queryByText('Enter the city.')).toBeNull();
    expect(screen.getByText('Enter the street address.')).toBeTruthy();
    expect(box.getAttribute('aria-expanded')).toBe('false');
    const map = await screen.findByRole(
      'region',
      { name: 'Map: the coordinates of your practice' },
      { timeout: 5000 },
    );
    expect(document.getElementById(map.getAttribute('aria-describedby') ?? '')?.textContent).toMatch(
      /^The pin marks 50\.1109, 8\.6821 \(Frankfurt am Main\)/,
    );
  });

  it('a city name typed in part is offered too, and a place nobody bundled says so', async () => {
    servePlaces();
    const user = userEvent.setup();
    renderApp(
      <ListingForm initial={emptyListing('UTC')} submitLabel="Save" busy={false} onSubmit={() => {}} />,
    );
    const box = screen.getByRole('combobox', { name: 'Or find the place' });
    await user.type(box, 'Frank');
    await user.click(await screen.findByRole('option', { name: /Frankfurt am Main/ }, { timeout: 5000 }));
    expect((screen.getByLabelText('Latitude') as HTMLInputElement).value).toBe('50.1109');
    // Found by name: the postcode is left to the user.
    expect((screen.getByLabelText('Postcode') as HTMLInputElement).value).toBe('');
    await user.clear(box);
    await user.type(box, 'Atlantis');
    expect(
      await screen.findByText(/No bundled place matches “Atlantis”/, {}, { timeout: 5000 }),
    ).toBeTruthy();
    await waitFor(() => expect(screen.queryAllByRole('option', { name: /Frankfurt/ })).toHaveLength(0));
  });
});

describe('languageOptions', () => {
  it('names languages in the viewer’s locale and sorts them the way that locale does', () => {
    const de = languageOptions('de-DE');
    expect(de.find((o) => o.value === 'de')?.label).toBe('Deutsch');
    expect(de.find((o) => o.value === 'en')?.label).toBe('Englisch');
    const collator = new Intl.Collator('de-DE');
    expect(de.map((o) => o.label)).toEqual([...de.map((o) => o.label)].sort(collator.compare));
    // Every choice reads differently, even where the browser names two languages alike.
    expect(new Set(de.map((o) => o.label)).size).toBe(de.length);
    const en = languageOptions('en-US');
    expect(new Set(en.map((o) => o.label)).size).toBe(en.length);
    expect(en.find((o) => o.value === 'de')?.label).toBe('German');
    expect(en.map((o) => o.value)).toHaveLength(de.length);
    // Not the same order in both languages: English before German, but Deutsch before Englisch.
    expect(en.findIndex((o) => o.value === 'en')).toBeLessThan(en.findIndex((o) => o.value === 'de'));
    expect(de.findIndex((o) => o.value === 'de')).toBeLessThan(de.findIndex((o) => o.value === 'en'));
  });
});

describe('placePatch', () => {
  it('fills the postcode only when the place was found by the one typed and the field is empty', () => {
    const v = emptyListing('UTC');
    expect(placePatch(v, frankfurt, '60311')).toMatchObject({
      postcode: '60311',
      lat: '50.1109',
      timeZone: 'Europe/Berlin',
    });
    expect(placePatch({ ...v, postcode: '60594' }, frankfurt, '60311').postcode).toBeUndefined();
    expect(placePatch(v, { ...frankfurt, match: 'city' }, 'Frankfurt').postcode).toBeUndefined();
  });
});

describe('remainingErrors', () => {
  it('keeps only errors still true, never adds new ones', () => {
    const v = emptyListing('UTC');
    const errors = { name: 'x', city: 'y' };
    expect(remainingErrors(errors, { ...v, name: 'Dr Ada Lane' })).toEqual({ city: validateListing(v).city });
    expect(remainingErrors({}, v)).toEqual({});
  });
});
