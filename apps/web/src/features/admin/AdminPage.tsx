import { NavLink, Route, Routes } from 'react-router';
import { NotFound } from '../../app/NotFound';
import { ReviewModeration } from '../reviews/ReviewModeration';
import { AuditLog } from './AuditLog';
import { ListingsAdmin } from './ListingsAdmin';
import { OperationsView } from './OperationsView';
import { UsersAdmin } from './UsersAdmin';

export function AdminPage() {
  return (
    <div className="admin">
      <h1>Administration</h1>
      <nav className="tab-bar" aria-label="Administration">
        <NavLink to="/admin" end>
          Users
        </NavLink>
        <NavLink to="/admin/listings">Listings</NavLink>
        <NavLink to="/admin/reviews">Reviews</NavLink>
        <NavLink to="/admin/audit">Audit log</NavLink>
        <NavLink to="/admin/operations">Operations</NavLink>
      </nav>
      <Routes>
        <Route index element={<UsersAdmin />} />
        <Route path="listings" element={<ListingsAdmin />} />
        <Route path="reviews" element={<ReviewModeration />} />
        <Route path="audit" element={<AuditLog />} />
        <Route path="operations" element={<OperationsView />} />
        {/* A mistyped or old address (/admin/users) says so instead of showing nothing. */}
        <Route path="*" element={<NotFound />} />
      </Routes>
    </div>
  );
}
