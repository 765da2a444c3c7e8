import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { routes } from './router';

describe('routes', () => {
  it('every route has its own document title', () => {
    const children = routes[0]?.children ?? [];
    const titles = children.map((r) => (r.element.props as { title?: string }).title);
    expect(titles.every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
    expect(new Set(titles).size).toBe(children.length);
  });

  it('names each route in the tab title', () => {
    const titles = Object.fromEntries(
      (routes[0]?.children ?? []).map((r) => [r.path, (r.element.props as { title?: string }).title]),
    );
    expect(titles).toEqual({
      '/': 'Carebook',
      '/search': 'Find care',
      '/providers/:id': 'Provider',
      '/book': 'Book an appointment',
      '/book/slot': 'Book this time',
      '/checkout/:intentId': 'Checkout',
      '/pay/:bookingId': 'Payment',
      '/sign-in': 'Sign in',
      '/forgot-password': 'Reset your password',
      '/reset-password': 'Choose a new password',
      '/verify-email': 'Confirm your e-mail address',
      '/accept-invitation': 'Join a practice',
      '/series/:id': 'Recurring visits',
      '/waitlist': 'My waitlist',
      '/register': 'Create an account',
      '/bookings': 'My bookings',
      '/bookings/:id': 'Booking',
      '/notifications': 'Notifications',
      '/account': 'Account',
      '/provider': 'Dashboard',
      '/provider/listings/new': 'New listing',
      '/provider/listings/:id': 'Edit listing',
      '/admin/*': 'Administration',
      '*': 'Page not found',
    });
  });

  it('sets the tab title when a page opens', async () => {
    const page = (routes[0]?.children ?? []).find((r) => r.path === '*');
    if (!page) throw new Error('no catch-all route');
    const router = createMemoryRouter([{ path: '*', element: page.element }], {
      initialEntries: ['/nowhere'],
    });
    render(<RouterProvider router={router} />);
    expect(document.title).toBe('Page not found · Carebook');
  });
});
