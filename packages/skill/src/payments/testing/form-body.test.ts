import { describe, expect, it } from 'vitest';
import { parseStripeForm } from './form-body';

describe('parseStripeForm', () => {
  it('nests bracketed keys and turns indexed objects into arrays', () => {
    const body =
      'amount=1999&metadata%5Border_id%5D=o-1&metadata%5Bvariants%5D=a%3Ab%2Cc%3Ad' +
      '&line_items%5B1%5D%5Bquantity%5D=3&line_items%5B0%5D%5Bprice_data%5D%5Bunit_amount%5D=500' +
      '&line_items%5B0%5D%5Bquantity%5D=1&expand%5B0%5D=latest_charge';
    expect(parseStripeForm(body)).toEqual({
      amount: '1999',
      metadata: { order_id: 'o-1', variants: 'a:b,c:d' },
      line_items: [{ price_data: { unit_amount: '500' }, quantity: '1' }, { quantity: '3' }],
      expand: ['latest_charge'],
    });
  });

  it('keeps an empty body empty', () => {
    expect(parseStripeForm('')).toEqual({});
  });
});
