import type { PitchlineEvent } from './events';

/**
 * Where recorded events go: in a server, the EventWriter's `record` (durable once it resolves). Code
 * that produces events takes this function instead of importing analytics.
 */
export type RecordEvent = (event: PitchlineEvent) => Promise<void>;
