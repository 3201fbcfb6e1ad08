import {
  type ExperimentDefinition,
  type ExperimentPatchInput,
  experimentPatchSchema,
  planEdit,
  type VariantDefinition,
} from '@pitchline/core';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { PitchlineDb } from '../open';
import { type Experiment, experiments, experimentVariants } from '../schema';
import { checkActor } from './actor';
import { reallocateVariants } from './allocation';
import { checkScope, issueReasons } from './create';
import { ExperimentError, isUuid, notFound } from './errors';
import { recordHistory } from './history';
import { definitionOf, type ExperimentView, loadExperiment, scopeToColumns } from './view';

type Fields = Partial<Omit<ExperimentDefinition, 'variants' | 'key'>>;

function fieldColumns(fields: Fields): Partial<Experiment> {
  const { scope, ...rest } = fields;
  return { ...rest, ...(scope ? scopeToColumns(scope) : {}) };
}

const variantContent = (v: VariantDefinition) => ({
  name: v.name,
  template: v.template,
  weight: v.weight,
  isControl: v.isControl,
});

/**
 * Applies an edit the experiment's state allows (core's planEdit says which): a draft changes in
 * place; a running experiment may change its name and its variants' names and weights in place,
 * while a new template retires the variant's live version and adds the next one, recorded as
 * `variant_version`. Everything else is refused with every reason (ExperimentError 'conflict' for
 * state rules, 'invalid' for a malformed patch). An edit that changes nothing writes nothing.
 */
export function updateExperiment(
  db: PitchlineDb,
  merchantId: string,
  actorMemberId: string | null,
  id: string,
  patch: ExperimentPatchInput,
): Promise<ExperimentView> {
  return applyEdit(db, merchantId, actorMemberId, id, () => patch);
}

/**
 * Sets the weights of the live variants (all of them, by key; positive integers, e.g. basis points)
 * and nothing else: what a bandit's reallocation writes. The patch is built from the locked row, so
 * it cannot undo a template edit that committed in between.
 */
export function setVariantWeights(
  db: PitchlineDb,
  merchantId: string,
  actorMemberId: string | null,
  id: string,
  weights: Readonly<Record<string, number>>,
): Promise<ExperimentView> {
  return applyEdit(db, merchantId, actorMemberId, id, (current) => {
    const keys = current.variants.map((v) => v.key);
    const unknown = Object.keys(weights).filter((k) => !keys.includes(k));
    const missing = keys.filter((k) => weights[k] === undefined);
    if (unknown.length + missing.length > 0) {
      throw new ExperimentError('invalid', [
        ...unknown.map((k) => `weights: "${k}" is not a live variant`),
        ...missing.map((k) => `weights: no weight for "${k}"`),
      ]);
    }
    return {
      variants: definitionOf(current).variants.map((v) => ({ ...v, weight: weights[v.key] ?? v.weight })),
    };
  });
}

async function applyEdit(
  db: PitchlineDb,
  merchantId: string,
  actorMemberId: string | null,
  id: string,
  makePatch: (current: ExperimentView) => ExperimentPatchInput,
): Promise<ExperimentView> {
  if (!isUuid(id)) throw notFound();
  return db.transaction(async (tx) => {
    const current = await loadExperiment(tx, merchantId, id, { lock: true });
    await checkActor(tx, merchantId, actorMemberId);
    const parsed = experimentPatchSchema.safeParse(makePatch(current));
    if (!parsed.success) throw new ExperimentError('invalid', issueReasons(parsed.error.issues));
    const result = planEdit(current.status, definitionOf(current), parsed.data);
    if (!result.ok)
      throw new ExperimentError(current.status === 'draft' ? 'invalid' : 'conflict', result.reasons);
    const { plan } = result;
    if (!plan.changed) return current;
    // A new scope, or a variant's new wording, may ask for a discount the product does not have.
    if (plan.fields.scope || plan.added.length > 0 || plan.contentChanged.length > 0) {
      await checkScope(tx, merchantId, plan.definition);
    }

    const now = new Date();
    // A running experiment's new weights move the fewest users (a draft has no allocation yet: its
    // split is laid out when it starts). Written with the weights, so the skill never sees one
    // without the other.
    const weightChanged = plan.definition.variants.some(
      (v) => current.variants.find((c) => c.key === v.key)?.weight !== v.weight,
    );
    const allocation =
      current.status === 'running' && weightChanged
        ? reallocateVariants(current, plan.definition.variants)
        : undefined;
    await tx
      .update(experiments)
      .set({
        ...fieldColumns(plan.fields),
        ...(allocation ? { allocation: allocation.to } : {}),
        updatedAt: now,
      })
      .where(eq(experiments.id, id));

    const live = new Map(current.variants.map((v) => [v.key, v]));
    const liveRow = (key: string) =>
      and(
        eq(experimentVariants.experimentId, id),
        eq(experimentVariants.key, key),
        isNull(experimentVariants.retiredAt),
      );
    if (plan.removed.length > 0) {
      // Only drafts remove variants: nothing was ever spoken, so the rows go.
      await tx
        .delete(experimentVariants)
        .where(and(eq(experimentVariants.experimentId, id), inArray(experimentVariants.key, plan.removed)));
    }
    // In place: a draft's every change, and a running variant's name or weight.
    const inPlace = plan.newVersions ? plan.updated : [...plan.updated, ...plan.contentChanged];
    // Controls off before on: the partial unique index allows one live control at every statement.
    inPlace.sort((a, b) => Number(a.isControl) - Number(b.isControl));
    for (const v of inPlace) {
      await tx.update(experimentVariants).set(variantContent(v)).where(liveRow(v.key));
    }
    if (plan.newVersions) {
      // Retire first: the partial unique index allows one live row per key.
      for (const v of plan.contentChanged) {
        const old = live.get(v.key);
        if (!old) throw new Error(`variant ${v.key} is not live`);
        await tx.update(experimentVariants).set({ retiredAt: now }).where(eq(experimentVariants.id, old.id));
        const [next] = await tx
          .insert(experimentVariants)
          .values({
            ...variantContent(v),
            experimentId: id,
            key: v.key,
            version: old.version + 1,
            createdAt: now,
          })
          .returning({ id: experimentVariants.id });
        await recordHistory(
          tx,
          id,
          actorMemberId,
          'variant_version',
          {
            variantKey: v.key,
            from: { variantId: old.id, version: old.version, template: old.template, weight: old.weight },
            to: { variantId: next?.id, version: old.version + 1, template: v.template, weight: v.weight },
          },
          now,
        );
      }
    }
    if (plan.added.length > 0) {
      await tx
        .insert(experimentVariants)
        .values(plan.added.map((v) => ({ ...v, experimentId: id, version: 1, createdAt: now })));
    }

    const changes = describeChanges(current, plan);
    if (allocation) changes.allocation = allocation;
    if (Object.keys(changes).length > 0) await recordHistory(tx, id, actorMemberId, 'update', changes, now);
    return loadExperiment(tx, merchantId, id);
  });
}

/** Before/after of every field and variant the edit touched, except new versions (recorded apart). */
function describeChanges(
  current: ExperimentView,
  plan: Extract<ReturnType<typeof planEdit>, { ok: true }>['plan'],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const before = definitionOf(current);
  const fields: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, value] of Object.entries(plan.fields)) {
    fields[field] = { from: before[field as keyof typeof before], to: value };
  }
  if (Object.keys(fields).length > 0) out.fields = fields;
  const old = new Map(before.variants.map((v) => [v.key, v]));
  const inPlace = plan.newVersions ? plan.updated : [...plan.updated, ...plan.contentChanged];
  if (inPlace.length > 0) out.variants = inPlace.map((v) => ({ key: v.key, from: old.get(v.key), to: v }));
  if (plan.added.length > 0) out.added = plan.added;
  if (plan.removed.length > 0) out.removed = plan.removed.map((key) => old.get(key));
  return out;
}
