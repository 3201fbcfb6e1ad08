/*
 * Probes: named, typed questions tests (and benchmarks) ask of the events a run stored, so that their SQL
 * lives here beside the queries it checks, not in every test that needs a count.
 */

export { sessionStartsByDevice } from './device-mix';
export { duplicateEventIds } from './duplicate-event-ids';
export { countEvents, countEventsBySession, countEventsByType } from './event-counts';
export { type EventSpan, eventSpan } from './event-span';
export { localDays } from './local-days';
export { ORDER_EVENT_TYPES, type OrderEvent, orderEvents } from './order-events';
export { reasonCounts } from './reason-counts';
export type { EventScope } from './scope';
export { turnsByIntent } from './turn-intents';
export { turnSequences } from './turn-sequences';
export { turnsPerRequest } from './turns-per-request';
export { exposuresByVariant } from './variant-exposures';
export { visitsByUser } from './visits-by-user';
