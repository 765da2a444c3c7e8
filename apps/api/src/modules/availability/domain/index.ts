export { groupSlotsByDay } from './group';
export { computeSlots, nextAvailableSlot } from './slots';
export * from './types';
export { validateSchedule } from './validate';
export { isValidTimeZone } from './zone-timeline';
