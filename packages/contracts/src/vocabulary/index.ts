export * from './insurance';
export * from './languages';
export { normaliseTerm, spellingVariants } from './normalise';
export * from './specialties';
