import type { User } from '@carebook/contracts';

/** A signed-in patient with a confirmed address, as the component tests sign in. */
export const PATIENT: User = {
  id: 'u1',
  email: 'pat@example.test',
  displayName: 'Pat Lee',
  role: 'patient',
  status: 'active',
  verified: true,
  emailVerified: true,
  providerId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};
