import { expect, it } from 'vitest';
import {
  type ExperimentFormValues,
  experimentEdit,
  experimentFormResolver,
  isBlankPitch,
  NEW_EXPERIMENT,
  newExperiment,
  newVariant,
} from './experiment-form';

const valid: ExperimentFormValues = { ...NEW_EXPERIMENT, key: 'launch-emphasis', name: 'Launch emphasis' };

async function problems(values: ExperimentFormValues): Promise<Record<string, string>> {
  const result = await experimentFormResolver(values, undefined, {
    fields: {},
    shouldUseNativeValidation: false,
  });
  const out: Record<string, string> = {};
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    const { message } = node as { message?: unknown };
    if (typeof message === 'string') out[path] = message;
    for (const [k, v] of Object.entries(node))
      if (k !== 'ref' && k !== 'message') walk(v, path ? `${path}.${k}` : k);
  };
  walk(result.errors, '');
  return out;
}

it('sends the fields as typed, the name trimmed, and nothing the editor does not show', () => {
  const values: ExperimentFormValues = {
    ...valid,
    name: '  Launch emphasis ',
    hypothesis: ' as typed ',
    layer: 'launch',
    holdoutPercent: 10,
    banditFloor: 0.1,
    secondaryMetrics: ['refund_rate'],
  };
  const edit = experimentEdit(values);
  expect(edit.name).toBe('Launch emphasis');
  expect(edit.hypothesis).toBe(' as typed ');
  expect(Object.keys(edit).sort()).toEqual(
    [
      'conversionWindowHours',
      'guardrailMetrics',
      'hypothesis',
      'mode',
      'name',
      'primaryMetric',
      'revenueCapQuantile',
      'scope',
      'variants',
    ].sort(),
  );
  expect(newExperiment(values)).toEqual({ ...edit, key: 'launch-emphasis' });
});

it('accepts the new experiment once it has a key and a name; a blank name is refused, not replaced by the key', async () => {
  expect(await problems(valid)).toEqual({});
  expect(await problems({ ...valid, name: '' })).toEqual({ name: 'Give the experiment a name.' });
  expect(await problems({ ...valid, name: '   ' })).toEqual({ name: 'Give the experiment a name.' });
  expect(experimentEdit({ ...valid, name: '  ' }).name).toBe('');
});

it('asks for the number of an emptied number field instead of reading it as 0', async () => {
  const variants = valid.variants.map((v, i) => (i === 1 ? { ...v, weight: Number.NaN } : v));
  expect(await problems({ ...valid, conversionWindowHours: Number.NaN, variants })).toEqual({
    conversionWindowHours: 'Enter a whole number of hours.',
    'variants.1.weight': 'Enter a whole number.',
  });
});

it("puts core's problems on the fields they are about, in plain words", async () => {
  const variants = [
    { ...(NEW_EXPERIMENT.variants[0] as ExperimentFormValues['variants'][number]), name: '' },
    { ...newVariant(2), key: 'control', weight: 0 },
  ];
  expect(
    await problems({
      ...valid,
      key: 'Bad Key',
      scope: { kind: 'product', productId: 'not-an-id' },
      conversionWindowHours: 10_000,
      variants,
    }),
  ).toEqual({
    key: 'use 1–63 lower-case letters, digits, "-" or "_", starting with a letter or digit',
    'scope.productId': 'A product id looks like 0b7c3d2e-5f6a-4b8c-9d0e-1f2a3b4c5d6e.',
    conversionWindowHours: 'Use a whole number of hours, at most 8,760.',
    'variants.0.name': 'Give the variant a name.',
    'variants.1.name': 'Give the variant a name.',
    'variants.1.key': 'variant key "control" is used twice',
    'variants.1.weight': 'Use a whole number, at least 1.',
  });
});

it('checks an edit with the stored settings it does not show, as the server will', async () => {
  const four = [...valid.variants, newVariant(3), newVariant(4)].map((v) => ({ ...v, name: 'n' }));
  expect(await problems({ ...valid, mode: 'bandit', banditFloor: 0.3, variants: four })).toMatchObject({
    banditFloor: 'a floor of 0.3 for 4 variants adds up to more than all traffic',
  });
  expect(await problems({ ...valid, mode: 'bandit', variants: four })).toEqual({});
});

it('calls a pitch that would say nothing blank, markup aside', () => {
  expect(isBlankPitch('')).toBe(true);
  expect(isBlankPitch('  \n ')).toBe(true);
  expect(isBlankPitch('<speak> <break time="1s"/> </speak>')).toBe(true);
  expect(isBlankPitch('{{product}} is {{price}}.')).toBe(false);
  expect(isBlankPitch('<emphasis>Hi</emphasis>')).toBe(false);
});
