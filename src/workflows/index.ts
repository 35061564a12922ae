/** The workflow bundle's entry point: every workflow the worker registers. */
export { mentoringCycle } from './mentoring-cycle.ts';
export { fallRollover } from './fall-rollover.ts';
export { digestDelivery } from './digest-delivery.ts';
export { timeAwayStart } from './time-away-start.ts';
