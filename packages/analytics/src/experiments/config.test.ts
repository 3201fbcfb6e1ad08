import { describe, expect, it } from 'vitest';
import { resultsOptionsSchema } from './config';

const experiment = {
  id: '0190a000-0000-7000-8000-0000000e0001',
  key: 'pitch-test',
  variants: [
    { key: 'a', weight: 1, isControl: true, template: 'ignored' },
    { key: 'b', weight: 1, isControl: false },
  ],
  primaryMetric: 'conversion',
  conversionWindowHours: 24,
  startedAt: new Date('2026-01-05T00:00:00Z'),
  stoppedAt: null,
};

describe('resultsOptionsSchema', () => {
  it('takes an experiment as the database returns it (Dates, null stop, extra columns)', () => {
    const o = resultsOptionsSchema.parse({
      merchantId: '0190a000-0000-7000-8000-00000000a001',
      experiment,
      now: new Date('2026-01-06T00:00:00Z'),
    });
    expect(o.experiment.startedAt).toBe(Date.UTC(2026, 0, 5));
    expect(o.experiment.stoppedAt).toBeNull();
    expect(o.experiment.variants[0]).toEqual({ key: 'a', weight: 1, isControl: true });
    expect(o).toMatchObject({ alpha: 0.05, maxDurationDays: 28, minimumDetectableEffect: 0.1 });
  });

  it('rejects two controls, duplicate keys, unknown metrics and a bad merchant id', () => {
    const base = { merchantId: '0190a000-0000-7000-8000-00000000a001', now: 0 };
    const twoControls = {
      ...experiment,
      variants: experiment.variants.map((v) => ({ ...v, isControl: true })),
    };
    expect(resultsOptionsSchema.safeParse({ ...base, experiment: twoControls }).success).toBe(false);
    const dup = { ...experiment, variants: experiment.variants.map((v) => ({ ...v, key: 'a' })) };
    expect(resultsOptionsSchema.safeParse({ ...base, experiment: dup }).success).toBe(false);
    const metric = { ...experiment, guardrailMetrics: ['conversion'] };
    expect(resultsOptionsSchema.safeParse({ ...base, experiment: metric }).success).toBe(false);
    expect(resultsOptionsSchema.safeParse({ ...base, merchantId: "x' OR 1=1", experiment }).success).toBe(
      false,
    );
  });
});
