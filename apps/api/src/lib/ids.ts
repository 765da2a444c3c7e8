import { V7Generator } from 'uuidv7';
import { RandomPool } from './random-pool';

const generator = new V7Generator(new RandomPool());

/** Time-ordered UUIDv7, generated in the app (no RETURNING, no auto-increment). */
export const newId = (): string => generator.generate().toString();
