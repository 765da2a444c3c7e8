import { Link, useRouteError } from 'react-router';

/**
 * Shown when a page fails to render or its code cannot be loaded (typically a new deploy replaced
 * the hashed chunks this tab expected): reloading fetches the current index.html.
 */
export function RouteError() {
  const error = useRouteError();
  const chunkGone =
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed/i.test(error.message);
  return (
    <main id="main" className="page">
      <div className="empty" role="alert">
        <h1>{chunkGone ? 'Carebook has been updated' : 'Something went wrong'}</h1>
        <p>
          {chunkGone
            ? 'Reload the page to get the latest version.'
            : 'Please reload the page. If it happens again, try later.'}
        </p>
        <p>
          <button type="button" className="btn" onClick={() => window.location.reload()}>
            Reload
          </button>{' '}
          <Link to="/">Home</Link>
        </p>
      </div>
    </main>
  );
}
