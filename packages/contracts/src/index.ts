export * from './admin';
export * from './auth';
export * from './common';
export * from './errors';
export * from './vocabulary';
