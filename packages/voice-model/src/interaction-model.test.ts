import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ALL_INTENTS,
  CUSTOM_INTENTS,
  CUSTOM_SLOT_TYPES,
  INTENT_SLOTS,
  INVOCATION_NAME,
  interactionModel,
  parseInteractionModel,
  REFERENCE_FOCUS_ID,
  REFERENCE_LAST_ID,
  REFERENCE_SLOT_TYPE,
} from './interaction-model';

const { intents, types } = interactionModel.interactionModel.languageModel;

describe('interaction model', () => {
  it('declares exactly the agreed intents', () => {
    expect(intents.map((i) => i.name).sort()).toEqual([...ALL_INTENTS].sort());
  });

  it('declares the slots each handler expects, with the agreed types', () => {
    const expectedTypes: Record<string, string> = {
      category: 'CATEGORY',
      query: 'PRODUCT',
      product: 'PRODUCT',
      quantity: 'AMAZON.NUMBER',
      reference: 'REFERENCE',
    };
    for (const name of CUSTOM_INTENTS) {
      const intent = intents.find((i) => i.name === name);
      const slots = intent?.slots ?? [];
      expect(
        slots.map((s) => s.name),
        name,
      ).toEqual([...INTENT_SLOTS[name]]);
      for (const slot of slots) expect(slot.type, `${name}.${slot.name}`).toBe(expectedTypes[slot.name]);
    }
  });

  it('gives every custom intent 10–25 samples that use only declared slots and Alexa-legal characters', () => {
    for (const name of CUSTOM_INTENTS) {
      const intent = intents.find((i) => i.name === name);
      const samples = intent?.samples ?? [];
      expect(samples.length, name).toBeGreaterThanOrEqual(10);
      expect(samples.length, name).toBeLessThanOrEqual(25);
      const declared = new Set((intent?.slots ?? []).map((s) => s.name));
      const used = new Set<string>();
      for (const sample of samples) {
        // Alexa rejects digits and most punctuation in samples; numbers must be spelled out.
        expect(sample, `${name}: ${sample}`).toMatch(/^[a-z' .{}]+$/);
        for (const m of sample.matchAll(/\{(\w+)\}/g)) {
          expect(declared.has(m[1] as string), `${name}: ${sample}`).toBe(true);
          used.add(m[1] as string);
        }
      }
      expect([...used].sort(), name).toEqual([...declared].sort());
    }
  });

  it('has no sample in two places (Alexa refuses to build conflicting utterances)', () => {
    const seen = new Map<string, string>();
    for (const intent of intents) {
      for (const sample of intent.samples) {
        const other = seen.get(sample);
        expect(other, `"${sample}" in ${intent.name} and ${other}`).toBeUndefined();
        seen.set(sample, intent.name);
      }
    }
  });

  it('has example values for the custom slot types and a two-word invocation name', () => {
    for (const t of CUSTOM_SLOT_TYPES) {
      expect(types.find((x) => x.name === t)?.values.length, t).toBeGreaterThanOrEqual(5);
    }
    expect(INVOCATION_NAME.split(' ').length).toBeGreaterThanOrEqual(2);
    expect(INVOCATION_NAME).not.toMatch(/\b(alexa|amazon|echo|skill|app)\b/);
  });

  it('gives every reference value an id the skill understands, pronouns and positions alike', () => {
    const values = types.find((t) => t.name === REFERENCE_SLOT_TYPE)?.values ?? [];
    const ids = values.map((v) => v.id);
    expect(ids).toEqual([
      REFERENCE_FOCUS_ID,
      ...Array.from({ length: 10 }, (_, i) => String(i + 1)),
      REFERENCE_LAST_ID,
    ]);
    const spoken = values.flatMap((v) => [v.name.value, ...(v.name.synonyms ?? [])]);
    for (const phrase of ['it', 'that', 'this one', 'those', 'of those', 'the second one', 'the last one'])
      expect(spoken, phrase).toContain(phrase);
    // A reference phrase must never also be a product or category value, or Alexa could resolve it as one.
    const catalogWords = types
      .filter((t) => t.name !== REFERENCE_SLOT_TYPE)
      .flatMap((t) => t.values.flatMap((v) => [v.name.value, ...(v.name.synonyms ?? [])]));
    for (const phrase of spoken) expect(catalogWords, phrase).not.toContain(phrase);
  });

  it('rejects a malformed model', () => {
    expect(() =>
      parseInteractionModel({
        interactionModel: { languageModel: { invocationName: 'Northwind', intents: [] } },
      }),
    ).toThrow(/invocation name/);
  });

  it('has a manifest with a wildcard-certificate HTTPS endpoint and en-US publishing info', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../skill-package/skill.json', import.meta.url), 'utf8'),
    );
    const endpoint = manifest.manifest.apis.custom.endpoint;
    expect(endpoint.uri).toMatch(/^https:\/\//);
    expect(endpoint.sslCertificateType).toBe('Wildcard');
    expect(manifest.manifest.publishingInformation.locales['en-US'].examplePhrases[0]).toContain(
      INVOCATION_NAME,
    );
    expect(manifest.manifest.permissions).toEqual([]);
  });
});
