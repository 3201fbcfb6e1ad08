import { zodResolver } from '@hookform/resolvers/zod';
import {
  type ExperimentDefinitionInput,
  type ExperimentMode,
  type ExperimentScope,
  experimentDefinitionSchema,
  type GuardrailMetric,
  type PrimaryMetric,
} from '@pitchline/core/experiments/definition';
import { z } from 'zod';
import type { Experiment } from '../../lib/experiments';
import { inPlainWords } from './plain-words';

export type VariantFormValues = {
  key: string;
  name: string;
  template: string;
  weight: number;
  isControl: boolean;
};

/**
 * The editor's fields, shaped and named like core's experiment definition, so the issues of core's
 * schema land on the fields they are about.
 */
export type ExperimentFormValues = {
  key: string;
  /** Required: a blank name is a problem shown beside the field. */
  name: string;
  hypothesis: string;
  scope: ExperimentScope;
  primaryMetric: PrimaryMetric;
  guardrailMetrics: GuardrailMetric[];
  conversionWindowHours: number;
  /** Winsorise revenue per user at this quantile of buyers' revenue; null: no cap. */
  revenueCapQuantile: number | null;
  mode: ExperimentMode;
  variants: VariantFormValues[];
} & UneditedFields;

/**
 * Parts of a stored definition the editor shows no field for. They are never sent, but an edit is
 * checked with them, as the server checks the experiment the edit would leave (a bandit's floor
 * bounds its weights).
 */
type UneditedFields = Pick<
  ExperimentDefinitionInput,
  'secondaryMetrics' | 'layer' | 'holdoutPercent' | 'banditFloor'
>;

export const EMPTY_PITCH = 'Write the pitch Alexa speaks for this variant.';

/** Blank once markup is set aside: valid SSML that would say nothing, so the editor refuses it. */
export const isBlankPitch = (template: string) =>
  template
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .trim() === '';

/** The caps offered: none, or a high quantile (one whale order must not decide revenue per user). */
export const REVENUE_CAPS = [null, 0.95, 0.99, 0.999] as const;

export const newVariant = (position: number): VariantFormValues => ({
  key: `v${position}`,
  name: '',
  template: '{{product}} is {{price}}.',
  weight: 1,
  isControl: false,
});

export const NEW_EXPERIMENT: ExperimentFormValues = {
  key: '',
  name: '',
  hypothesis: '',
  scope: { kind: 'launch' },
  primaryMetric: 'conversion',
  guardrailMetrics: ['stop_after_pitch'],
  conversionWindowHours: 72,
  revenueCapQuantile: null,
  mode: 'fixed',
  variants: [
    {
      key: 'control',
      name: 'Current pitch',
      template: '{{product}} is {{price}}.',
      weight: 1,
      isControl: true,
    },
    {
      key: 'b',
      name: 'Challenger',
      template: '<emphasis level="moderate">{{product}}</emphasis> is just {{price}} today.',
      weight: 1,
      isControl: false,
    },
  ],
};

export function formValuesOf(e: Experiment): ExperimentFormValues {
  return {
    key: e.key,
    name: e.name,
    hypothesis: e.hypothesis,
    scope: e.scope,
    primaryMetric: e.primaryMetric,
    guardrailMetrics: e.guardrailMetrics,
    conversionWindowHours: e.conversionWindowHours,
    revenueCapQuantile: e.revenueCapQuantile,
    mode: e.mode,
    variants: e.variants.map(({ key, name, template, weight, isControl }) => ({
      key,
      name,
      template,
      weight,
      isControl,
    })),
    secondaryMetrics: e.secondaryMetrics,
    layer: e.layer,
    holdoutPercent: e.holdoutPercent,
    banditFloor: e.banditFloor,
  };
}

/** What an edit sends (PATCH): every field the editor shows but the key, which cannot change. */
export function experimentEdit(values: ExperimentFormValues) {
  return {
    // A blank name is refused in the form ("Give the experiment a name."), not replaced by the key.
    name: values.name.trim(),
    hypothesis: values.hypothesis,
    scope: values.scope,
    variants: values.variants.map(({ key, name, template, weight, isControl }) => ({
      key,
      name,
      template,
      weight,
      isControl,
    })),
    primaryMetric: values.primaryMetric,
    guardrailMetrics: values.guardrailMetrics,
    conversionWindowHours: values.conversionWindowHours,
    revenueCapQuantile: values.revenueCapQuantile,
    mode: values.mode,
  };
}

/** What a creation sends (POST). */
export const newExperiment = (values: ExperimentFormValues) => ({
  ...experimentEdit(values),
  key: values.key,
});

/** The definition the save would leave: what is sent, on top of what the editor does not change. */
function definitionAfterSave(values: ExperimentFormValues): ExperimentDefinitionInput {
  const { secondaryMetrics, layer, holdoutPercent, banditFloor } = values;
  const unedited = { secondaryMetrics, layer, holdoutPercent, banditFloor };
  return {
    ...Object.fromEntries(Object.entries(unedited).filter(([, v]) => v !== undefined)),
    ...newExperiment(values),
  };
}

/**
 * Checks the form with core's experiment schema, the one the API validates with, in the editor's words.
 * `raw`: the save sends the fields as typed, not the schema's output, which fills in defaults (layer,
 * holdout, bandit floor) that an edit must not send.
 */
export const experimentFormResolver = zodResolver(
  z.preprocess((values: ExperimentFormValues) => definitionAfterSave(values), experimentDefinitionSchema),
  { error: inPlainWords },
  { raw: true },
);
