import type { AlertCondition } from '@pitchline/db';

/*
 * The rule's verdict on one evaluation, a pure function so the state machine is tested without stores.
 * null means "no data" (nothing to divide, no previous window to compare with): the rule keeps its
 * state, so a quiet night neither fires a conversion alert nor announces a recovery.
 */

export type Reading = { value: number | null; previous?: number | null };

export function breached(
  rule: { condition: AlertCondition; threshold: number },
  reading: Reading,
): boolean | null {
  const { value } = reading;
  if (value === null || !Number.isFinite(value)) return null;
  switch (rule.condition) {
    case 'above':
      return value > rule.threshold;
    case 'below':
      return value < rule.threshold;
    case 'rises_by':
    case 'drops_by': {
      const previous = reading.previous;
      if (previous === null || previous === undefined || !(previous > 0)) return null;
      const change = (value - previous) / previous;
      return rule.condition === 'rises_by' ? change >= rule.threshold : -change >= rule.threshold;
    }
  }
}

export type Transition = 'fire' | 'recover' | 'none';

/** ok → firing on a breach, firing → ok when it is over; anything else changes nothing (once per incident). */
export function transitionOf(firing: boolean, verdict: boolean | null): Transition {
  if (verdict === true && !firing) return 'fire';
  if (verdict === false && firing) return 'recover';
  return 'none';
}
