import {
  defaultLayer,
  type ExperimentDefinition,
  type ExperimentPatch,
  experimentDefinitionSchema,
  type VariantDefinition,
} from './definition';

/*
 * draft → running → stopped → concluded (with the variant shipped). The path is one-way on purpose:
 * a stopped experiment that restarts would mix two periods under one sequential test, and a result
 * that could be re-opened is not a result. To try again, create a new experiment.
 *
 * What may change in each state:
 * - draft: everything but the key.
 * - running: the display name, variant names and weights, and variant templates — a template change
 *   makes a new version of that variant (the old one is retired, exposures stay attributable to the
 *   words actually spoken). The hypothesis, metrics, window, scope, layer, holdout, mode and the set
 *   of variants (and which is control) are fixed once data arrives: changing them after seeing data
 *   is how a team fools itself.
 * - stopped, concluded: nothing.
 */

export const EXPERIMENT_STATUSES = ['draft', 'running', 'stopped', 'concluded'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

export const LIFECYCLE_ACTIONS = ['start', 'stop', 'conclude'] as const;
export type LifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

const TRANSITIONS: Record<LifecycleAction, { from: ExperimentStatus; to: ExperimentStatus }> = {
  start: { from: 'draft', to: 'running' },
  stop: { from: 'running', to: 'stopped' },
  conclude: { from: 'stopped', to: 'concluded' },
};

const REFUSALS: Record<LifecycleAction, Partial<Record<ExperimentStatus, string>>> = {
  start: {
    running: 'the experiment is already running',
    stopped:
      'a stopped experiment cannot restart (its sequential test would mix two periods); create a new one',
    concluded: 'the experiment is concluded; create a new one',
  },
  stop: {
    draft: 'the experiment has not started',
    stopped: 'the experiment is already stopped',
    concluded: 'the experiment is concluded',
  },
  conclude: {
    draft: 'the experiment has not started',
    running: 'stop the experiment before concluding it',
    concluded: 'the experiment is already concluded',
  },
};

export type TransitionResult = { ok: true; to: ExperimentStatus } | { ok: false; reason: string };

export interface TransitionOptions {
  /** `conclude` needs the key of the shipped variant, one of `liveVariantKeys`. */
  shippedVariantKey?: string;
  liveVariantKeys?: readonly string[];
}

export function transition(
  status: ExperimentStatus,
  action: LifecycleAction,
  options: TransitionOptions = {},
): TransitionResult {
  const rule = TRANSITIONS[action];
  if (status !== rule.from) {
    return { ok: false, reason: REFUSALS[action][status] ?? `cannot ${action} a ${status} experiment` };
  }
  if (action === 'conclude') {
    const shipped = options.shippedVariantKey;
    if (!shipped) return { ok: false, reason: 'say which variant is shipped' };
    if (!options.liveVariantKeys?.includes(shipped)) {
      return { ok: false, reason: `"${shipped}" is not a variant of this experiment` };
    }
  }
  return { ok: true, to: rule.to };
}

/** The fields besides variants that an edit can touch. */
export type DefinitionField = Exclude<keyof ExperimentPatch, 'variants'>;

const EDITABLE_WHILE_RUNNING: ReadonlySet<DefinitionField> = new Set(['name']);

export interface EditPlan {
  /** The definition after the edit, fully validated. */
  definition: ExperimentDefinition;
  /** Non-variant fields whose value changes, with their new values. */
  fields: Partial<Omit<ExperimentDefinition, 'variants' | 'key'>>;
  /** Variants that are new (draft only). */
  added: VariantDefinition[];
  /** Keys of variants dropped (draft only). */
  removed: string[];
  /**
   * Variants whose template changes. In a draft they are updated in place; while running each gets
   * a new version (`newVersions` is true).
   */
  contentChanged: VariantDefinition[];
  /** Variants whose name, weight or control flag changes, template unchanged: updated in place. */
  updated: VariantDefinition[];
  newVersions: boolean;
  /** False when the edit changes nothing; callers then write nothing. */
  changed: boolean;
}

export type EditResult = { ok: true; plan: EditPlan } | { ok: false; reasons: string[] };

/**
 * Checks an edit against the state and the definition rules, and says what to write. All refusals
 * are reported at once, so the dashboard can show them together.
 */
export function planEdit(
  status: ExperimentStatus,
  current: ExperimentDefinition,
  patch: ExperimentPatch,
): EditResult {
  if (status === 'stopped' || status === 'concluded') {
    return { ok: false, reasons: [`a ${status} experiment cannot be edited`] };
  }
  const reasons: string[] = [];
  const fields: EditPlan['fields'] = {};
  for (const field of Object.keys(patch) as (keyof ExperimentPatch)[]) {
    if (field === 'variants' || patch[field] === undefined) continue;
    if (sameValue(patch[field], current[field])) continue;
    if (status === 'running' && !EDITABLE_WHILE_RUNNING.has(field)) {
      reasons.push(`${field} cannot change while the experiment is running`);
      continue;
    }
    Object.assign(fields, { [field]: patch[field] });
  }

  // A draft whose layer was the default for its scope keeps following its scope when that changes.
  if (fields.scope && patch.layer === undefined && current.layer === defaultLayer(current.scope)) {
    const layer = defaultLayer(fields.scope);
    if (layer !== current.layer) fields.layer = layer;
  }

  const added: VariantDefinition[] = [];
  const removed: string[] = [];
  const contentChanged: VariantDefinition[] = [];
  const updated: VariantDefinition[] = [];
  const nextVariants = patch.variants ?? current.variants;
  if (patch.variants) {
    const before = new Map(current.variants.map((v) => [v.key, v]));
    const after = new Set(patch.variants.map((v) => v.key));
    for (const variant of patch.variants) {
      const old = before.get(variant.key);
      if (!old) {
        added.push(variant);
        continue;
      }
      if (old.template !== variant.template) contentChanged.push(variant);
      else if (
        old.name !== variant.name ||
        old.weight !== variant.weight ||
        old.isControl !== variant.isControl
      ) {
        updated.push(variant);
      }
      if (status === 'running' && old.isControl !== variant.isControl) {
        reasons.push(`the control cannot change while the experiment is running (variant "${variant.key}")`);
      }
    }
    for (const key of before.keys()) if (!after.has(key)) removed.push(key);
    if (status === 'running') {
      for (const v of added)
        reasons.push(`variant "${v.key}" cannot be added while the experiment is running`);
      for (const key of removed)
        reasons.push(`variant "${key}" cannot be removed while the experiment is running`);
    }
  }

  const merged = experimentDefinitionSchema.safeParse({ ...current, ...fields, variants: nextVariants });
  if (!merged.success) {
    for (const issue of merged.error.issues) {
      reasons.push(issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
    }
  }
  if (reasons.length > 0 || !merged.success) return { ok: false, reasons };

  const changed =
    Object.keys(fields).length + added.length + removed.length + contentChanged.length + updated.length > 0;
  return {
    ok: true,
    plan: {
      definition: merged.data,
      fields,
      added,
      removed,
      contentChanged,
      updated,
      newVersions: status === 'running' && contentChanged.length > 0,
      changed,
    },
  };
}

/** Structural equality for the JSON-like values a definition holds. Key order matters not. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
