import { describe, expect, it } from 'vitest';
import { breached, transitionOf } from './judge';

describe('breached', () => {
  it('compares with a threshold, strictly', () => {
    expect(breached({ condition: 'above', threshold: 0.05 }, { value: 0.06 })).toBe(true);
    expect(breached({ condition: 'above', threshold: 0.05 }, { value: 0.05 })).toBe(false);
    expect(breached({ condition: 'below', threshold: 2000 }, { value: 1999 })).toBe(true);
    expect(breached({ condition: 'below', threshold: 2000 }, { value: 2500 })).toBe(false);
  });

  it('compares a change with the previous window', () => {
    const down30 = { condition: 'drops_by' as const, threshold: 0.3 };
    expect(breached(down30, { value: 0.07, previous: 0.1 })).toBe(true);
    expect(breached(down30, { value: 0.08, previous: 0.1 })).toBe(false);
    expect(breached(down30, { value: 0.2, previous: 0.1 })).toBe(false);
    const up50 = { condition: 'rises_by' as const, threshold: 0.5 };
    expect(breached(up50, { value: 3000, previous: 2000 })).toBe(true);
    expect(breached(up50, { value: 2900, previous: 2000 })).toBe(false);
  });

  it('says "no data" (null) when there is nothing to judge', () => {
    expect(breached({ condition: 'above', threshold: 0.05 }, { value: null })).toBeNull();
    expect(breached({ condition: 'drops_by', threshold: 0.3 }, { value: 0.1, previous: null })).toBeNull();
    // Nothing to compare a change with: a previous window of zero.
    expect(breached({ condition: 'rises_by', threshold: 0.3 }, { value: 0.1, previous: 0 })).toBeNull();
    expect(breached({ condition: 'above', threshold: 1 }, { value: Number.NaN })).toBeNull();
  });
});

describe('the ok → firing → ok state machine', () => {
  /** Runs verdicts through the machine and returns the deliveries it would send. */
  function run(verdicts: (boolean | null)[]) {
    let firing = false;
    const deliveries: string[] = [];
    for (const verdict of verdicts) {
      const t = transitionOf(firing, verdict);
      if (t === 'fire') {
        firing = true;
        deliveries.push('firing');
      } else if (t === 'recover') {
        firing = false;
        deliveries.push('recovered');
      }
    }
    return { deliveries, firing };
  }

  it('fires once per incident however long the breach lasts, and says once when it recovers', () => {
    expect(run([false, true, true, true, false, false])).toEqual({
      deliveries: ['firing', 'recovered'],
      firing: false,
    });
  });

  it('keeps its state through evaluations without data', () => {
    expect(run([true, null, null, true])).toEqual({ deliveries: ['firing'], firing: true });
    expect(run([null, false, null])).toEqual({ deliveries: [], firing: false });
  });

  it('a second breach after a recovery is a second incident', () => {
    expect(run([true, false, true, false]).deliveries).toEqual([
      'firing',
      'recovered',
      'firing',
      'recovered',
    ]);
  });
});
