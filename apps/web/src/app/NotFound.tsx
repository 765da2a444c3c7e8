import { Link } from 'react-router';
import { EmptyState } from '../ui/feedback';

export function NotFound() {
  return (
    <EmptyState title="Page not found">
      <p>
        The page you asked for does not exist. <Link to="/">Go to the home page</Link>.
      </p>
    </EmptyState>
  );
}
