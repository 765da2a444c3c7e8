import { useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { keys } from './query-client';

export function UnreadBadge() {
  const { data } = useQuery({
    queryKey: [...keys.notifications, 'badge'],
    queryFn: () => api.notifications(1),
  });
  if (!data?.unread) return null;
  return (
    <span className="count-badge">
      {data.unread}
      <span className="visually-hidden"> unread</span>
    </span>
  );
}
