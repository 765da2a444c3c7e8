import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { Provider } from 'react-redux';
import { MemoryRouter } from 'react-router';
import { makeQueryClient } from '../app/query-client';
import { makeStore } from '../app/store';

/** Renders with the app's real store, query client and a memory router. */
export function renderApp(
  ui: ReactElement,
  { path = '/', store = makeStore(), queryClient = makeQueryClient() } = {},
) {
  const result = render(
    <Provider store={store}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
      </QueryClientProvider>
    </Provider>,
  );
  return { ...result, store, queryClient };
}
