import type { Listing } from '@carebook/contracts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';
import { ServicesEditor } from './ServicesEditor';

const listing = {
  id: '0190a0a0-0000-7000-8000-0000000000aa',
  version: 3,
  address: { country: 'GB' },
  services: [
    {
      id: '0190a0a0-0000-7000-8000-0000000000cc',
      providerId: '0190a0a0-0000-7000-8000-0000000000aa',
      name: 'Follow-up',
      description: '',
      durationMinutes: 30,
      priceCents: 7500,
      currency: 'GBP',
      visitType: 'in-person',
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      active: true,
    },
  ],
} as unknown as Listing;

describe('ServicesEditor', () => {
  it('says the visit type in words and keeps focus where the work is: the opened form, the field in error, the button it came from', async () => {
    const user = userEvent.setup();
    renderApp(<ServicesEditor listing={listing} onChanged={() => {}} />);
    expect(screen.getByText(/· 30 min · £75\.00 · in person$/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Add a service' }));
    const name = screen.getByLabelText('Service name');
    expect(document.activeElement).toBe(name);
    await user.clear(screen.getByLabelText('Duration (minutes)'));
    await user.type(name, 'Long assessment');
    await user.click(screen.getByRole('button', { name: 'Add service' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Duration (minutes)'));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add a service' }));

    await user.click(screen.getByRole('button', { name: 'Edit Follow-up' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Service name'));
    expect((document.activeElement as HTMLInputElement).value).toBe('Follow-up');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit Follow-up' }));
  });
});
