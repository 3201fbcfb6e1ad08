import type { baseEventSchema, PitchlineEvent } from '@pitchline/core';
import type { z } from 'zod';

type BaseKeys = keyof z.infer<typeof baseEventSchema>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * An event as a handler states it: what happened, without the identity fields every event repeats
 * (event id, tenant, user, session), which the recorder fills from the request. `ts` is stamped when
 * the handler emits it, from the injected clock.
 */
export type EventDraft = DistributiveOmit<PitchlineEvent, BaseKeys>;
export type StampedDraft = EventDraft & { ts: number };
