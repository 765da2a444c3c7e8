export * from './allowed-actions';
export * from './cancellation-policy';
export * from './status';
export { type TransitionEffect, transition } from './transition';
export * from './transitions';
