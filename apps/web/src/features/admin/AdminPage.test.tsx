import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';
import { AdminPage } from './AdminPage';

describe('AdminPage', () => {
  it('an address under /admin that is no section says the page was not found instead of showing nothing', () => {
    renderApp(
      <Routes>
        <Route path="/admin/*" element={<AdminPage />} />
      </Routes>,
      { path: '/admin/users' },
    );
    expect(screen.getByRole('heading', { name: 'Page not found' })).toBeTruthy();
    // The sections stay one click away.
    expect(screen.getByRole('link', { name: 'Users' }).getAttribute('href')).toBe('/admin');
  });
});
