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
