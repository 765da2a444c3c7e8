import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';
import { ListingForm } from './ListingForm';
import { emptyListing, remainingErrors, validateListing } from './listing-form';

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

describe('remainingErrors', () => {
  it('keeps only errors still true, never adds new ones', () => {
    const v = emptyListing('UTC');
    const errors = { name: 'x', city: 'y' };
    expect(remainingErrors(errors, { ...v, name: 'Dr Ada Lane' })).toEqual({ city: validateListing(v).city });
    expect(remainingErrors({}, v)).toEqual({});
  });
});
