import type { Logger } from '@pitchline/core';
import type { PitchlineDb } from '@pitchline/db';
import type { HandlerInput } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import type { ExperimentSource } from '../experiments/cache';
import type { SkillMetrics } from '../recording/metrics';
import type { LinkedCustomerSource } from './checkout/linked-customers';
import type { CheckoutPayments } from './checkout/place';
import type { ProgressiveResponder } from './progressive-response';
import type { TurnTiming } from './slow-step';
import type { TurnState } from './turn';

/** What handlers share across requests: fixed when the skill is built, never per request. */
export interface DialogDeps {
  db: PitchlineDb;
  logger: Logger;
  metrics: SkillMetrics;
  payments?: CheckoutPayments;
  /** Running pitch experiments, cached per merchant (experiments/cache.ts). */
  experiments: ExperimentSource;
  /** Linked accounts as the checkout read-back sees them (checkout/linked-customers.ts). */
  linkedCustomers: LinkedCustomerSource;
  /** Speaks while a slow step runs (Alexa's Progressive Response API); none: the shopper waits in silence. */
  progressive?: ProgressiveResponder;
  /** When to speak while waiting and when to answer without the slow step (slow-step.ts defaults). */
  turnTiming?: TurnTiming;
}

/**
 * One dialog handler per file (handlers/*.ts). A handler answers either intents of IntentRequests or
 * whole request types; the registry test checks these lists against the interaction model.
 */
export interface DialogHandler {
  name: string;
  intents?: readonly string[];
  requestTypes?: readonly string[];
  handle(input: HandlerInput, turn: TurnState, deps: DialogDeps): Promise<Response> | Response;
}
