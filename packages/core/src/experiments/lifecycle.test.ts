import { describe, expect, it } from 'vitest';
import {
  type ExperimentDefinition,
  type ExperimentPatchInput,
  experimentDefinitionSchema,
  experimentPatchSchema,
  type VariantInput,
} from './definition';
import {
  EXPERIMENT_STATUSES,
  type ExperimentStatus,
  LIFECYCLE_ACTIONS,
  planEdit,
  transition,
} from './lifecycle';

const current = (): ExperimentDefinition =>
  experimentDefinitionSchema.parse({
    key: 'launch-pitch',
    hypothesis: 'A warmer welcome sells more',
    scope: { kind: 'launch' },
    variants: [
      { key: 'control', name: 'Current', template: 'Today: {{product}}.', weight: 50, isControl: true },
      { key: 'warm', name: 'Warm', template: 'Good to hear you! Try {{product}}.', weight: 50 },
    ],
    primaryMetric: 'revenue_per_user',
  });

const plan = (status: ExperimentStatus, patch: ExperimentPatchInput) =>
  planEdit(status, current(), experimentPatchSchema.parse(patch));

const variants = (
  changes: { control?: Partial<VariantInput>; warm?: Partial<VariantInput> },
  extra: VariantInput[] = [],
): VariantInput[] => {
  const [control, warm] = current().variants;
  if (!control || !warm) throw new Error('fixture');
  return [{ ...control, ...changes.control }, { ...warm, ...changes.warm }, ...extra];
};

describe('transition', () => {
  it('allows only draft → running → stopped → concluded', () => {
    const allowed: string[] = [];
    for (const status of EXPERIMENT_STATUSES) {
      for (const action of LIFECYCLE_ACTIONS) {
        const result = transition(status, action, {
          shippedVariantKey: 'warm',
          liveVariantKeys: ['control', 'warm'],
        });
        if (result.ok) allowed.push(`${status} -${action}-> ${result.to}`);
        else expect(result.reason.length).toBeGreaterThan(5);
      }
    }
    expect(allowed).toEqual([
      'draft -start-> running',
      'running -stop-> stopped',
      'stopped -conclude-> concluded',
    ]);
  });

  it('says why: restarting, concluding while running, shipping an unknown variant', () => {
    expect(transition('stopped', 'start')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/cannot restart/),
    });
    expect(transition('running', 'conclude')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/stop the experiment/),
    });
    expect(transition('stopped', 'conclude')).toEqual({ ok: false, reason: 'say which variant is shipped' });
    expect(
      transition('stopped', 'conclude', { shippedVariantKey: 'bold', liveVariantKeys: ['control'] }),
    ).toEqual({
      ok: false,
      reason: '"bold" is not a variant of this experiment',
    });
  });
});

describe('planEdit', () => {
  it('lets a draft change anything, updating templates in place', () => {
    const result = plan('draft', {
      hypothesis: 'New idea',
      scope: { kind: 'category', category: 'Tea' },
      primaryMetric: 'conversion',
      variants: variants({ warm: { template: 'Hello! {{product}}.' } }, [
        { key: 'bold', name: 'Bold', template: '{{product}}!', weight: 10, isControl: false },
      ]),
    });
    if (!result.ok) throw new Error(result.reasons.join('; '));
    expect(result.plan.fields).toEqual({
      hypothesis: 'New idea',
      scope: { kind: 'category', category: 'Tea' },
      primaryMetric: 'conversion',
      // The layer was the scope's default, so it follows the scope.
      layer: 'category:tea',
    });
    expect(result.plan.added.map((v) => v.key)).toEqual(['bold']);
    expect(result.plan.contentChanged.map((v) => v.key)).toEqual(['warm']);
    expect(result.plan.newVersions).toBe(false);
    expect(result.plan.definition.variants).toHaveLength(3);
    const dropped = plan('draft', {
      variants: variants({}, [{ key: 'x', name: 'X', template: 'x', weight: 1 }]).filter(
        (v) => v.key !== 'warm',
      ),
    });
    expect(dropped.ok && dropped.plan.removed).toEqual(['warm']);
  });

  it('while running: weights and names change in place, a template change makes a new version', () => {
    const result = plan('running', {
      name: 'Launch pitch, round 2',
      variants: variants({
        control: { weight: 40 },
        warm: { weight: 60, template: 'Welcome back! {{product}}.' },
      }),
    });
    if (!result.ok) throw new Error(result.reasons.join('; '));
    expect(result.plan.fields).toEqual({ name: 'Launch pitch, round 2' });
    expect(result.plan.updated.map((v) => [v.key, v.weight])).toEqual([['control', 40]]);
    expect(result.plan.contentChanged.map((v) => [v.key, v.weight])).toEqual([['warm', 60]]);
    expect(result.plan.newVersions).toBe(true);
    expect(result.plan.changed).toBe(true);
  });

  it('while running: refuses changing what the result is judged by, and the set of variants', () => {
    const result = plan('running', {
      hypothesis: 'Changed my mind',
      primaryMetric: 'conversion',
      holdoutPercent: 10,
      variants: variants({ control: { isControl: false }, warm: { isControl: true } }, [
        { key: 'bold', name: 'Bold', template: '{{product}}!', weight: 10 },
      ]),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reasons).toEqual([
      'hypothesis cannot change while the experiment is running',
      'primaryMetric cannot change while the experiment is running',
      'holdoutPercent cannot change while the experiment is running',
      'the control cannot change while the experiment is running (variant "control")',
      'the control cannot change while the experiment is running (variant "warm")',
      'variant "bold" cannot be added while the experiment is running',
    ]);
    const removal = plan('running', {
      variants: [
        ...variants({}).filter((v) => v.key === 'control'),
        { key: 'new', name: 'N', template: 'n', weight: 1 },
      ],
    });
    expect(removal.ok ? [] : removal.reasons).toContain(
      'variant "warm" cannot be removed while the experiment is running',
    );
  });

  it('freezes stopped and concluded experiments', () => {
    for (const status of ['stopped', 'concluded'] as const) {
      expect(plan(status, { name: 'x' })).toEqual({
        ok: false,
        reasons: [`a ${status} experiment cannot be edited`],
      });
    }
  });

  it('reports an edit that repeats the current values as no change', () => {
    const same = plan('running', {
      name: current().name,
      hypothesis: current().hypothesis,
      variants: variants({}),
    });
    expect(same.ok && same.plan.changed).toBe(false);
  });

  it('validates the merged result, not only the patch', () => {
    // The patch alone does not know the experiment is a bandit with a 20 % floor; the merge does.
    const bandit = { ...current(), mode: 'bandit' as const, banditFloor: 0.2 };
    const patch = experimentPatchSchema.parse({
      variants: variants({ control: { weight: 10 }, warm: { weight: 90 } }),
    });
    const result = planEdit('draft', bandit, patch);
    expect(result.ok ? [] : result.reasons).toEqual([
      expect.stringMatching(/^variants\.0\.weight: .*below the bandit floor/),
    ]);
  });
});
