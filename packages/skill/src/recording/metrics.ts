/**
 * Counters the skill exposes to whoever composes it (the server turns them into Prometheus metrics).
 * A plain mutable object: the skill must not depend on a metrics library to count its failures.
 */
export interface SkillMetrics {
  /** Events recordEvent refused or threw on; the shopper still got an answer. */
  recordFailures: number;
  /** Events the skill built that failed the contract (a bug here, never sent). */
  invalidEvents: number;
  /** Turns answered by the error handler. */
  dialogErrors: number;
  /** Responses cut down to fit Alexa's size limits. */
  responsesTrimmed: number;
  /**
   * Pitch variants (or shipped pitches) that would not render for a product, counted each time one
   * is tried: the experiment was left out there (no exposure), the shopper heard the usual pitch.
   */
  pitchRenderFailures: number;
}

export function createSkillMetrics(): SkillMetrics {
  return {
    recordFailures: 0,
    invalidEvents: 0,
    dialogErrors: 0,
    responsesTrimmed: 0,
    pitchRenderFailures: 0,
  };
}
