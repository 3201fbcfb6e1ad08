import type { HandlerInput } from 'ask-sdk-core';
import type { DialogDeps } from './handler';
import { emit, type TurnState } from './turn';

/**
 * Alexa waits 8 seconds for an answer, then tells the shopper the skill did not respond. A step that can
 * be slow (a payment) therefore runs inside a budget: if it has not finished after `progressAfterMs`, the
 * shopper hears a progressive response ("One moment…"); after `giveUpAfterMs` the turn answers without
 * it, and the step goes on in the background to settle on its own (a payment through Stripe's webhook).
 */
export interface TurnTiming {
  progressAfterMs: number;
  giveUpAfterMs: number;
}

/**
 * 1 s of silence before "one moment", and an answer by 5 s at the latest: with the progressive response
 * bounded at 1 s and the answer's own work after the step, a turn stays well inside Alexa's 8 s.
 */
export const DEFAULT_TURN_TIMING: TurnTiming = { progressAfterMs: 1_000, giveUpAfterMs: 5_000 };

export type WithinTurn<T> = { done: true; value: T } | { done: false };

export async function awaitWithinTurn<T>(
  input: HandlerInput,
  turn: TurnState,
  deps: DialogDeps,
  step: Promise<T>,
  options: { waitingSpeech: string; what: string },
): Promise<WithinTurn<T>> {
  const timing = deps.turnTiming ?? DEFAULT_TURN_TIMING;
  const started = performance.now();
  let progress: Promise<void> | undefined;
  const progressTimer = setTimeout(() => {
    const responder = deps.progressive;
    if (!responder) return;
    progress = responder.speak(input.requestEnvelope, options.waitingSpeech).then((outcome) => {
      emit(turn, {
        type: 'progressive_response',
        request_id: (input.requestEnvelope.request.requestId || 'unknown').slice(0, 200),
        latency_ms: Math.round(performance.now() - started),
        reason: outcome.ok ? 'sent' : 'failed',
        ...(outcome.ok ? {} : { detail: outcome.detail }),
      });
      if (!outcome.ok) deps.logger.warn({ detail: outcome.detail }, 'progressive response not sent');
    });
  }, timing.progressAfterMs);
  let giveUpTimer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<WithinTurn<T>>((resolve) => {
    giveUpTimer = setTimeout(() => resolve({ done: false }), timing.giveUpAfterMs);
  });
  try {
    const outcome = await Promise.race([
      step.then((value): WithinTurn<T> => ({ done: true, value })),
      gaveUp,
    ]);
    if (!outcome.done) {
      // Nobody awaits it any more: its failure must still be heard, in the log.
      step.catch((error: unknown) =>
        deps.logger.error({ err: error }, `${options.what} failed after the turn answered without it`),
      );
      deps.logger.warn(
        { afterMs: timing.giveUpAfterMs },
        `${options.what} outlasted the turn; answered without it`,
      );
    }
    return outcome;
  } finally {
    clearTimeout(progressTimer);
    clearTimeout(giveUpTimer);
    // Alexa takes a progressive response only before the final one, and its event belongs to this turn.
    await progress;
  }
}
