// Global styles first: feature stylesheets (imported by their components) come after them.
import './styles/base.css';
import './styles/controls.css';
import './styles/components.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'react-redux';
import { RouterProvider } from 'react-router';
import { makeQueryClient } from './app/query-client';
import { makeRouter } from './app/router';
import { makeStore } from './app/store';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
const store = makeStore();
const queryClient = makeQueryClient();
const router = makeRouter();
createRoot(root).render(
  <StrictMode>
    <Provider store={store}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </Provider>
  </StrictMode>,
);
