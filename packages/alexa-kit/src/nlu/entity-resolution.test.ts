import { interactionModel } from '@pitchline/voice-model';
import { describe, expect, it } from 'vitest';
import { describeResolutions, resolveSlots } from './entity-resolution';

const APP = 'amzn1.ask.skill.abc';
const STATIC = `amzn1.er-authority.echo-sdk.${APP}.PRODUCT`;
const DYNAMIC = `amzn1.er-authority.echo-sdk.dynamic.${APP}.PRODUCT`;

describe('resolveSlots', () => {
  it('gives custom-type slots the static verdict, and the dynamic one only once values were sent', () => {
    const before = resolveSlots(interactionModel, APP, 'AddToCartIntent', {
      product: 'huila',
      quantity: '2',
    });
    // AMAZON.NUMBER carries no resolutions.
    expect(Object.keys(before)).toEqual(['product']);
    expect(before.product?.resolutionsPerAuthority).toEqual([
      {
        authority: STATIC,
        status: { code: 'ER_SUCCESS_MATCH' },
        values: [{ value: { id: 'colombia-huila', name: 'colombia huila' } }],
      },
    ]);

    const sent = new Map([
      ['PRODUCT', [{ id: 'uuid-1', name: { value: 'Colombia Huila', synonyms: ['huila'] } }]],
    ]);
    const after = resolveSlots(interactionModel, APP, 'AddToCartIntent', { product: 'Huila' }, sent);
    expect(after.product?.resolutionsPerAuthority?.map((a) => [a.authority, a.status.code])).toEqual([
      [DYNAMIC, 'ER_SUCCESS_MATCH'],
      [STATIC, 'ER_SUCCESS_MATCH'],
    ]);
    expect(after.product?.resolutionsPerAuthority?.[0]?.values?.[0]?.value).toEqual({
      id: 'uuid-1',
      name: 'Colombia Huila',
    });

    const unknown = resolveSlots(interactionModel, APP, 'ProductDetailsIntent', { product: 'jet ski' }, sent);
    expect(describeResolutions(unknown.product as NonNullable<typeof unknown.product>)).toBe(
      'dynamic no-match, static no-match',
    );
    expect(
      describeResolutions(
        resolveSlots(interactionModel, APP, 'AddToCartIntent', { reference: 'the second one' })
          .reference as never,
      ),
    ).toBe('static match "the second one"');
  });
});
