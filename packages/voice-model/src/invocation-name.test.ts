import { describe, expect, it } from 'vitest';
import { checkInvocationName } from './invocation-name';

describe('checkInvocationName', () => {
  it.each([
    'northwind shop',
    "sam's coffee corner",
    'a. b. c. roasters',
    'green leaf tea house',
    '  northwind   shop  ',
  ])('accepts %j', (name) => {
    expect(checkInvocationName(name)).toEqual({ ok: true, name: name.trim().replace(/\s+/g, ' ') });
  });

  it.each([
    ['northwind', /at least two words/],
    ['Northwind Shop', /Only lower-case letters: "northwind shop"/],
    ['shop 24', /spelled out/],
    ['north-wind shop', /Only lower-case letters, spaces/],
    ['alexa coffee shop', /wake word: alexa/],
    ['Alexa Shop', /lower-case letters.*wake word: alexa/],
    ['the amazon store', /wake word: amazon/],
    ['ask northwind', /launch phrases or connecting words: ask/],
    ['coffee to go', /connecting words: to/],
    ['the shop', /two-word name may not include/],
    ["rock'n roll shop", /apostrophe may only make a possessive/],
    ['shop.com store', /period may only follow a single letter/],
    ['x', /2 to 50 characters/],
    ['a very long invocation name that goes on and on forever', /2 to 50 characters/],
    ['<speak>hi</speak> shop', /Only lower-case letters, spaces/],
  ])('refuses %j, saying why', (name, why) => {
    const check = checkInvocationName(name);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.join(' ')).toMatch(why);
  });
});
