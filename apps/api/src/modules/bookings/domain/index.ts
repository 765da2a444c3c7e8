export * from './allowed-actions';
export * from './cancellation-policy';
export * from './status';
export { effectsOf, type TransitionEffect, type TransitionResult, transition } from './transition';
export * from './transitions';
