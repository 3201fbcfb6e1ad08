import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC_DIFFERENCES, METRIC_IDS, METRICS } from './catalogue';

describe('the metric catalogue', () => {
  it('defines each metric once, in one plain sentence, with a unit and an attribution', () => {
    expect(new Set(METRIC_IDS).size).toBe(METRIC_IDS.length);
    for (const id of METRIC_IDS) {
      const m = METRICS[id];
      expect(m.id).toBe(id);
      expect(m.name.length, id).toBeGreaterThan(2);
      // One sentence: it ends with a full stop and has none before its end (abbreviations aside).
      expect(m.definition, id).toMatch(/^[A-Z0-9][\s\S]*\.$/);
      expect(m.definition.slice(0, -1), id).not.toMatch(/\.\s/);
      expect(m.source.length, id).toBeGreaterThan(5);
    }
  });

  it('names the two figures of every by-design difference, and each pair differs in name', () => {
    for (const d of METRIC_DIFFERENCES) {
      const [a, b] = d.metrics;
      expect(METRICS[a].name).not.toBe(METRICS[b].name);
      expect(d.sentence).toMatch(/\.$/);
    }
  });

  it('imports only its own folder, so the browser loads it as it is', () => {
    const files = [
      'catalogue.ts',
      'differences.ts',
      'labels.ts',
      'metric-definition.ts',
      'definitions/shop.ts',
      'definitions/voice.ts',
      'definitions/experiments.ts',
    ];
    const folder = new RegExp(`^${new URL('./', import.meta.url).pathname}`);
    for (const file of files) {
      const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
      const specifiers = [...source.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/gms)].map(
        (m) => m[1] ?? '',
      );
      for (const specifier of specifiers) {
        const target = new URL(specifier, new URL(`./${file}`, import.meta.url)).pathname;
        expect(target, `${file} imports ${specifier}`).toMatch(folder);
      }
    }
  });
});

describe('intent labels', () => {
  it('reads every intent of the interaction model in words, and a new one from its name', async () => {
    const { INTENT_LABELS, intentLabel } = await import('./catalogue');
    expect(intentLabel('AddToCartIntent')).toBe('Add to cart');
    expect(intentLabel('AMAZON.FallbackIntent')).toBe('Not understood');
    expect(intentLabel('GiftWrapIntent')).toBe('Gift wrap');
    expect(intentLabel('AMAZON.ScrollDownIntent')).toBe('Scroll down');
    // The skill's own model: every intent it declares has a label (read as text: no dependency).
    const model = readFileSync(
      new URL('../../../voice-model/src/interaction-model.ts', import.meta.url),
      'utf8',
    );
    const declared = new Set([...model.matchAll(/'((?:AMAZON\.)?[A-Za-z]+Intent)'/g)].map((m) => m[1]));
    expect(declared.size).toBeGreaterThan(5);
    for (const intent of declared) expect(Object.keys(INTENT_LABELS), intent).toContain(intent);
  });
});
