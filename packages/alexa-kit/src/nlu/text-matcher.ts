import type { InteractionModel } from '@pitchline/voice-model';
import { BUILTIN_PHRASES } from './builtin-phrases';
import { NUMBER_WORDS, normalizeUtterance, parseNumber } from './normalize';

/**
 * Maps typed text to an intent and slots using the interaction model's own sample utterances, so
 * `npm run talk`, the simulator and tests exercise the same intents Alexa would resolve. It is a
 * deliberately simple stand-in for Alexa's NLU: exact patterns, no statistical generalisation.
 */

export interface TextMatch {
  intent: string;
  slots: Record<string, string>;
}

export interface TextMatcher {
  /** null only for blank input; text nothing matches is AMAZON.FallbackIntent, as on a device. */
  match(text: string): TextMatch | null;
  /** "open northwind shop", "launch northwind shop": a LaunchRequest rather than an intent. */
  isLaunch(text: string): boolean;
}

interface CompiledSample {
  intent: string;
  sample: string;
  regex: RegExp;
  /** Slot name per capture group, with whether it is an AMAZON.NUMBER and its custom type's values. */
  slots: { name: string; numeric: boolean; values: ReadonlySet<string> | undefined }[];
  literalWords: number;
  order: number;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Apostrophes are optional so "whats in my cart" and "what's in my cart" both match. */
const literalPattern = (word: string) => escapeRegex(word).replace(/'/g, "'?");

const NUMBER_WORD = `(?:${NUMBER_WORDS.map(escapeRegex).join('|')})`;
const NUMBER_CAPTURE = `(\\d+|${NUMBER_WORD}(?: (?:${NUMBER_WORD}|and))*)`;
const FREE_CAPTURE = '(.+)';

export const FALLBACK_INTENT = 'AMAZON.FallbackIntent';

function compileSample(
  intent: string,
  sample: string,
  slotTypes: Map<string, string>,
  typeValues: ReadonlyMap<string, ReadonlySet<string>>,
  order: number,
): CompiledSample {
  const words = normalizeSample(sample).split(' ');
  const slots: CompiledSample['slots'] = [];
  let literalWords = 0;
  const parts = words.map((word) => {
    const slot = /^\{(\w+)\}$/.exec(word);
    if (slot) {
      const name = slot[1] as string;
      const type = slotTypes.get(name);
      if (type === undefined) throw new Error(`${intent} sample "${sample}" uses undeclared slot {${name}}`);
      const numeric = type === 'AMAZON.NUMBER';
      slots.push({ name, numeric, values: typeValues.get(type) });
      return numeric ? NUMBER_CAPTURE : FREE_CAPTURE;
    }
    literalWords++;
    return literalPattern(word);
  });
  return { intent, sample, regex: new RegExp(`^${parts.join(' ')}$`), slots, literalWords, order };
}

/** Samples are already lower case; only their spacing and curly quotes need the input's treatment. */
function normalizeSample(sample: string): string {
  return sample
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

interface Candidate {
  sample: CompiledSample;
  slots: Record<string, string>;
  numericSlots: number;
  /** Captures that are exactly a value or synonym of their slot type. */
  knownValues: number;
  freeChars: number;
}

/**
 * More literal words means a more specific sample ("tell me more about {product}" beats "tell me
 * about {product}"); then captures that are values of their slot type, as Alexa weighs a listed
 * value ("add those" fills `reference`, a REFERENCE value, not `product`); then a filled number slot
 * beats free text ("add {quantity} {product}" over "add {product}" for "add two mugs"); then the
 * shortest free-text capture; then model order.
 */
function better(a: Candidate, b: Candidate): boolean {
  if (a.sample.literalWords !== b.sample.literalWords) return a.sample.literalWords > b.sample.literalWords;
  if (a.knownValues !== b.knownValues) return a.knownValues > b.knownValues;
  if (a.numericSlots !== b.numericSlots) return a.numericSlots > b.numericSlots;
  if (a.freeChars !== b.freeChars) return a.freeChars < b.freeChars;
  return a.sample.order < b.sample.order;
}

export function createTextMatcher(model: InteractionModel): TextMatcher {
  const { intents, invocationName, types } = model.interactionModel.languageModel;
  const typeValues = new Map(
    types.map((t) => [
      t.name,
      new Set(t.values.flatMap((v) => [v.name.value, ...(v.name.synonyms ?? [])]).map(normalizeUtterance)),
    ]),
  );
  const compiled: CompiledSample[] = [];
  for (const intent of intents) {
    const slotTypes = new Map((intent.slots ?? []).map((s) => [s.name, s.type]));
    for (const sample of intent.samples) {
      compiled.push(compileSample(intent.name, sample, slotTypes, typeValues, compiled.length));
    }
  }
  const known = new Set(intents.map((i) => i.name));
  const builtin = new Map<string, string>();
  for (const [intent, phrases] of Object.entries(BUILTIN_PHRASES)) {
    if (!known.has(intent)) continue;
    for (const phrase of phrases) builtin.set(phrase.replace(/'/g, ''), intent);
  }

  const invocationText = normalizeUtterance(invocationName);
  const invocation = escapeRegex(invocationText);
  const launch = new RegExp(`^(?:open|launch|start|begin|load|run|use|talk to|play) (?:the )?${invocation}$`);
  const oneShot = new RegExp(
    `^(?:ask|tell|open|launch|use) (?:the )?${invocation}(?: (?:to|for|about|if|whether|that|and))? (.+)$`,
  );

  function match(input: string): TextMatch | null {
    if (input.trim() === '') return null;
    let text = normalizeUtterance(input);
    if (text === '') return { intent: FALLBACK_INTENT, slots: {} };
    // "ask northwind shop to add two mugs" is a one-shot request: the intent is what follows.
    const shot = oneShot.exec(text);
    if (shot) text = normalizeUtterance(shot[1] as string);

    const phraseIntent = builtin.get(text.replace(/'/g, ''));
    if (phraseIntent) return { intent: phraseIntent, slots: {} };

    let best: Candidate | null = null;
    for (const sample of compiled) {
      const m = sample.regex.exec(text);
      if (!m) continue;
      const slots: Record<string, string> = {};
      let numericSlots = 0;
      let knownValues = 0;
      let freeChars = 0;
      let ok = true;
      sample.slots.forEach((slot, k) => {
        const value = (m[k + 1] as string).trim();
        if (slot.numeric) {
          const n = parseNumber(value);
          if (n === null) ok = false;
          else {
            slots[slot.name] = String(n);
            numericSlots++;
          }
        } else {
          slots[slot.name] = value;
          freeChars += value.length;
          if (slot.values?.has(value)) knownValues++;
        }
      });
      // A sample that is only a slot ("{reference}") would swallow any sentence; Alexa fills such a
      // sample only with something close to the type's values, so here only with a listed one.
      if (sample.literalWords === 0 && knownValues < sample.slots.length) ok = false;
      if (!ok) continue;
      const candidate: Candidate = { sample, slots, numericSlots, knownValues, freeChars };
      if (best === null || better(candidate, best)) best = candidate;
    }
    if (best) return { intent: best.sample.intent, slots: best.slots };
    return { intent: FALLBACK_INTENT, slots: {} };
  }

  return {
    match,
    isLaunch: (input) => {
      const text = normalizeUtterance(input);
      return launch.test(text) || text === invocationText;
    },
  };
}
