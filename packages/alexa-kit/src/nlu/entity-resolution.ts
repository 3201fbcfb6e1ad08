import type { InteractionModel } from '@pitchline/voice-model';
import type { slu } from 'ask-sdk-model';
import { normalizeUtterance } from './normalize';

/**
 * Entity resolution as Alexa attaches it to a custom-type slot: one authority per source of values,
 * `amzn1.er-authority.echo-sdk.<skillId>.<TYPE>` for the static model and
 * `amzn1.er-authority.echo-sdk.dynamic.<skillId>.<TYPE>` for the values the skill sent in a
 * Dialog.UpdateDynamicEntities directive this session. A match carries the canonical value and its id;
 * a no-match carries only its status.
 */

export type Resolutions = slu.entityresolution.Resolutions;
export type ResolutionAuthority = slu.entityresolution.Resolution;

export function authorityName(applicationId: string, slotType: string, dynamic = false): string {
  return `amzn1.er-authority.echo-sdk.${dynamic ? 'dynamic.' : ''}${applicationId}.${slotType}`;
}

export function resolutionAuthority(
  applicationId: string,
  slotType: string,
  match: { id: string; name: string } | undefined,
  dynamic = false,
): ResolutionAuthority {
  const authority = authorityName(applicationId, slotType, dynamic);
  return match
    ? {
        authority,
        status: { code: 'ER_SUCCESS_MATCH' },
        values: [{ value: { id: match.id, name: match.name } }],
      }
    : // Alexa omits `values` on a no-match; ask-sdk-model's type says it is always there.
      ({ authority, status: { code: 'ER_SUCCESS_NO_MATCH' } } as ResolutionAuthority);
}

/**
 * What Alexa's static entity resolution answers for `value` in a slot of `slotType`: the model's
 * value whose name or a synonym is what was heard, else ER_SUCCESS_NO_MATCH. (Alexa is somewhat
 * fuzzier; exact is the conservative stand-in, and the one that reproduces a one-shot no-match.)
 */
export function staticResolution(
  model: InteractionModel,
  applicationId: string,
  slotType: string,
  value: string,
): Resolutions {
  const heard = normalizeUtterance(value);
  const type = model.interactionModel.languageModel.types.find((t) => t.name === slotType);
  const hit = type?.values.find((v) =>
    [v.name.value, ...(v.name.synonyms ?? [])].some((s) => normalizeUtterance(s) === heard),
  );
  const match = hit ? { id: hit.id ?? hit.name.value, name: hit.name.value } : undefined;
  return { resolutionsPerAuthority: [resolutionAuthority(applicationId, slotType, match)] };
}

/** Slot type → values, as a Dialog.UpdateDynamicEntities directive carries them. */
export type DynamicValues = ReadonlyMap<
  string,
  readonly { id?: string; name: { value: string; synonyms?: string[] } }[]
>;

/**
 * Alexa's entity resolution for every filled custom-type slot of an intent: the dynamic authority
 * when the skill sent values of that type this session, then the static model's. Built-in types
 * (AMAZON.NUMBER) carry none, as on a device.
 */
export function resolveSlots(
  model: InteractionModel,
  applicationId: string,
  intentName: string,
  slots: Record<string, string>,
  dynamic: DynamicValues = new Map(),
): Record<string, Resolutions> {
  const { intents, types } = model.interactionModel.languageModel;
  const declared = intents.find((i) => i.name === intentName)?.slots ?? [];
  const custom = new Set(types.map((t) => t.name));
  const out: Record<string, Resolutions> = {};
  for (const [name, value] of Object.entries(slots)) {
    const type = declared.find((s) => s.name === name)?.type;
    if (type === undefined || !custom.has(type)) continue;
    const heard = normalizeUtterance(value);
    const authorities: ResolutionAuthority[] = [];
    const sent = dynamic.get(type);
    if (sent) {
      const hit = sent.find((v) =>
        [v.name.value, ...(v.name.synonyms ?? [])].some((s) => normalizeUtterance(s) === heard),
      );
      const match = hit ? { id: hit.id ?? hit.name.value, name: hit.name.value } : undefined;
      authorities.push(resolutionAuthority(applicationId, type, match, true));
    }
    authorities.push(...(staticResolution(model, applicationId, type, value).resolutionsPerAuthority ?? []));
    out[name] = { resolutionsPerAuthority: authorities };
  }
  return out;
}

/** "static no-match", "dynamic match Colombia Huila": one authority's verdict, for a transcript. */
export function describeResolutions(resolutions: Resolutions): string {
  return (resolutions.resolutionsPerAuthority ?? [])
    .map((a) => {
      const source = a.authority.includes('.dynamic.') ? 'dynamic' : 'static';
      const code = a.status?.code;
      return code === 'ER_SUCCESS_MATCH'
        ? `${source} match "${a.values?.[0]?.value?.name}"`
        : `${source} no-match`;
    })
    .join(', ');
}
