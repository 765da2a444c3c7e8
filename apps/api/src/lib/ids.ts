import { uuidv7 } from 'uuidv7';

/** Time-ordered UUIDv7, generated in the app (no RETURNING, no auto-increment). */
export const newId = (): string => uuidv7();
