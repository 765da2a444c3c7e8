export * from './admin';
export * from './auth';
export * from './common';
export * from './errors';
export * from './events';
export * from './providers';
export * from './vocabulary';
