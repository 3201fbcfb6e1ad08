import { CUSTOM_INTENTS, interactionModel } from '@pitchline/voice-model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTextMatcher, FALLBACK_INTENT } from './text-matcher';

const matcher = createTextMatcher(interactionModel);
const { intents, types } = interactionModel.interactionModel.languageModel;
const valuesOf = (type: string) => types.find((t) => t.name === type)?.values.map((v) => v.name.value) ?? [];

/** Fills a sample's slots the way a shopper would say them, and what the slots should capture. */
function fill(sample: string, slotTypes: Map<string, string>, pick: number) {
  const expected: Record<string, string> = {};
  const text = sample.replace(/\{(\w+)\}/g, (_, name: string) => {
    const type = slotTypes.get(name) as string;
    if (type === 'AMAZON.NUMBER') {
      const spoken = [
        ['two', '2'],
        ['3', '3'],
        ['twenty five', '25'],
      ][pick % 3] as [string, string];
      expected[name] = spoken[1];
      return spoken[0];
    }
    const values = valuesOf(type);
    const value = values[pick % values.length] as string;
    expected[name] = value;
    return value;
  });
  return { text, expected };
}

describe('createTextMatcher', () => {
  it('matches every custom sample back to its intent and captures its slots', () => {
    let checked = 0;
    for (const name of CUSTOM_INTENTS) {
      const intent = intents.find((i) => i.name === name);
      const slotTypes = new Map((intent?.slots ?? []).map((s) => [s.name, s.type]));
      for (const sample of intent?.samples ?? []) {
        for (const pick of [0, 1, 2, 5]) {
          const { text, expected } = fill(sample, slotTypes, pick);
          expect(matcher.match(text), `"${text}" (from "${sample}")`).toEqual({
            intent: name,
            slots: expected,
          });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('ignores case, punctuation, missing apostrophes and politeness', () => {
    expect(matcher.match('Whats in my cart?')).toEqual({ intent: 'ReviewCartIntent', slots: {} });
    expect(matcher.match('Alexa, ADD Two Espresso Beans to my cart, please.')).toEqual({
      intent: 'AddToCartIntent',
      slots: { quantity: '2', product: 'espresso beans' },
    });
    expect(matcher.match('i dont want the travel mug')).toEqual({
      intent: 'RemoveFromCartIntent',
      slots: { product: 'the travel mug' },
    });
  });

  it('prefers the most specific sample', () => {
    expect(matcher.match('add it to my cart')).toEqual({
      intent: 'AddToCartIntent',
      slots: { reference: 'it' },
    });
    expect(matcher.match('add 4 oat milk')).toEqual({
      intent: 'AddToCartIntent',
      slots: { quantity: '4', product: 'oat milk' },
    });
    expect(matcher.match('add a dozen butter cookies')).toEqual({
      intent: 'AddToCartIntent',
      slots: { quantity: '12', product: 'butter cookies' },
    });
    expect(matcher.match('add two')).toEqual({ intent: 'AddToCartIntent', slots: { quantity: '2' } });
    // "to" is not a number: this is "add {product}"
    expect(matcher.match('add tofu')).toEqual({ intent: 'AddToCartIntent', slots: { product: 'tofu' } });
    expect(matcher.match('buy everything in my cart')).toEqual({ intent: 'CheckoutIntent', slots: {} });
    expect(matcher.match('what is my total')).toEqual({ intent: 'ReviewCartIntent', slots: {} });
  });

  it('fills the reference slot, never the product slot, for pronouns and list positions', () => {
    const cases: [string, string, Record<string, string>][] = [
      ['add two of those to my cart', 'AddToCartIntent', { quantity: '2', reference: 'those' }],
      ['add 3 of them', 'AddToCartIntent', { quantity: '3', reference: 'them' }],
      ['add this one', 'AddToCartIntent', { reference: 'this one' }],
      ['add that', 'AddToCartIntent', { reference: 'that' }],
      ["I'll take the second one", 'AddToCartIntent', { reference: 'the second one' }],
      ['add the last one to my cart', 'AddToCartIntent', { reference: 'the last one' }],
      ['the second one', 'ProductDetailsIntent', { reference: 'the second one' }],
      ['tell me about the third one', 'ProductDetailsIntent', { reference: 'the third one' }],
      ['what about this one', 'ProductDetailsIntent', { reference: 'this one' }],
      ['remove the first one', 'RemoveFromCartIntent', { reference: 'the first one' }],
      ['remove two of those', 'RemoveFromCartIntent', { quantity: '2', reference: 'those' }],
      // A product name still fills the product slot, listed in the model or not.
      ['add two colombia huila', 'AddToCartIntent', { quantity: '2', product: 'colombia huila' }],
      ['tell me about the kettle', 'ProductDetailsIntent', { product: 'the kettle' }],
    ];
    for (const [said, intent, slots] of cases) expect(matcher.match(said), said).toEqual({ intent, slots });
  });

  it('maps common built-in phrases', () => {
    const cases: [string, string][] = [
      ['Yes please!', 'AMAZON.YesIntent'],
      ['yeah', 'AMAZON.YesIntent'],
      ['no thanks', 'AMAZON.NoIntent'],
      ['Help', 'AMAZON.HelpIntent'],
      ['i need help', 'AMAZON.HelpIntent'],
      ['stop', 'AMAZON.StopIntent'],
      ['goodbye', 'AMAZON.StopIntent'],
      ['never mind', 'AMAZON.CancelIntent'],
      ['cancel', 'AMAZON.CancelIntent'],
      ['say that again', 'AMAZON.RepeatIntent'],
      ['next', 'AMAZON.NextIntent'],
      ['start over', 'AMAZON.NavigateHomeIntent'],
      ["what's in my cart", 'ReviewCartIntent'],
    ];
    for (const [text, intent] of cases) expect(matcher.match(text)?.intent, text).toBe(intent);
  });

  it('handles one-shot and launch phrases with the invocation name', () => {
    expect(matcher.match('ask northwind shop to add two french press')).toEqual({
      intent: 'AddToCartIntent',
      slots: { quantity: '2', product: 'french press' },
    });
    expect(matcher.match('Ask Northwind Shop where is my order')?.intent).toBe('OrderStatusIntent');
    expect(matcher.isLaunch('Alexa, open Northwind Shop')).toBe(true);
    expect(matcher.isLaunch('northwind shop')).toBe(true);
    expect(matcher.isLaunch('open the pod bay doors')).toBe(false);
  });

  it('sends junk to the fallback intent and empty input to null', () => {
    for (const junk of ['the weather in paris', 'purple monkey dishwasher', 'sing me a song', '!!!', '42']) {
      expect(matcher.match(junk), junk).toEqual({ intent: FALLBACK_INTENT, slots: {} });
    }
    expect(matcher.match('   ')).toBeNull();
    expect(matcher.match('')).toBeNull();
  });

  it('never throws and always answers with a model intent', () => {
    const names = new Set(intents.map((i) => i.name));
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const m = matcher.match(text);
        if (m !== null) expect(names.has(m.intent)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
