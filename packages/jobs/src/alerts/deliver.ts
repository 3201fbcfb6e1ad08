import type { Logger } from '@pitchline/core';
import { backoffDelay } from '@pitchline/core/backoff';
import {
  claimAlertDelivery,
  type PitchlineDb,
  pendingAlertDeliveries,
  recordDeliveryAttempt,
} from '@pitchline/db';
import { postSigned } from './webhook-request';
import type { WebhookPolicy } from './webhook-url';

/*
 * Sends pending deliveries, each up to `attempts` times with exponential backoff and jitter between
 * tries (packages/core backoff). Every attempt is written to the delivery's row as it ends, so the
 * dashboard's history shows a delivery being retried, and a delivery a crash interrupted is still
 * 'pending' and is sent by the next evaluation. A refused URL or a 4xx answer is not retried.
 */

export type RetryPolicy = { attempts: number; baseMs: number; capMs: number };
/**
 * How long a sender holds a delivery: longer than its whole series of attempts (5 × the 10 s timeout
 * plus the waits), so nobody else sends it meanwhile, and short enough that a crash delays it little.
 */
export const DELIVERY_LEASE_MS = 5 * 60_000;
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 1_000, capMs: 30_000 };

export type DeliveryDeps = {
  db: PitchlineDb;
  policy: WebhookPolicy;
  retry?: RetryPolicy;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  logger?: Pick<Logger, 'info' | 'warn'>;
};

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type DeliveryOutcome = { id: string; status: 'delivered' | 'failed'; attempts: number };

/** Sends the given pending deliveries (all pending ones when no ids are given). */
export async function sendPendingDeliveries(deps: DeliveryDeps, ids?: readonly string[]) {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? realSleep;
  const outcomes: DeliveryOutcome[] = [];
  for (const { delivery, webhookUrl, signingSecret } of await pendingAlertDeliveries(deps.db, ids)) {
    // Two overlapping evaluators (a lock lost and taken over) must not both send it.
    const at = now();
    if (!(await claimAlertDelivery(deps.db, delivery.id, at, new Date(at.getTime() + DELIVERY_LEASE_MS))))
      continue;
    const body = JSON.stringify(delivery.payload);
    let attempts = delivery.attempts;
    let settled: DeliveryOutcome | undefined;
    while (!settled) {
      if (attempts > delivery.attempts) await sleep(backoffDelay(attempts, retry.baseMs, retry.capMs));
      attempts++;
      const result = await postSigned({
        url: webhookUrl,
        body,
        secret: signingSecret,
        policy: deps.policy,
        now,
        headers: { 'Pitchline-Delivery': delivery.id, 'Pitchline-Event': `alert.${delivery.kind}` },
      });
      const final = result.ok || !result.retryable || attempts >= retry.attempts;
      const status = result.ok ? 'delivered' : final ? 'failed' : 'pending';
      await recordDeliveryAttempt(deps.db, delivery.id, {
        attempts,
        status,
        responseStatus: result.status,
        error: result.ok ? null : result.error,
        at: now(),
      });
      if (status !== 'pending') settled = { id: delivery.id, status, attempts };
    }
    deps.logger?.[settled.status === 'delivered' ? 'info' : 'warn'](
      { deliveryId: delivery.id, kind: delivery.kind, attempts: settled.attempts, status: settled.status },
      'alert webhook delivery',
    );
    outcomes.push(settled);
  }
  return outcomes;
}
