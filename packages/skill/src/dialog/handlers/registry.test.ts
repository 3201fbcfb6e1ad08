import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { interactionModel } from '@pitchline/voice-model';
import { describe, expect, it } from 'vitest';
import { CATEGORY_SLOT_TYPE, PRODUCT_SLOT_TYPE } from '../../catalog/dynamic-entities';
import { DIALOG_HANDLERS, handledIntents } from '.';

const language = interactionModel.interactionModel.languageModel;
const modelIntents = language.intents.map((i) => i.name);

describe('dialog handlers and the interaction model', () => {
  it('every intent in the model has a handler', () => {
    const handled = new Set(handledIntents());
    expect(modelIntents.filter((name) => !handled.has(name))).toEqual([]);
  });

  it('every handled intent is in the model, and is handled once', () => {
    const handled = handledIntents();
    expect(handled.filter((name) => !modelIntents.includes(name))).toEqual([]);
    expect(new Set(handled).size).toBe(handled.length);
  });

  it('has one file per handler, each registered, and the catch-all last', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const files = readdirSync(dir).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts',
    );
    // error.ts is the error handler, registered with addErrorHandlers rather than in the list.
    expect(files.length).toBe(DIALOG_HANDLERS.length + 1);
    const last = DIALOG_HANDLERS.at(-1);
    expect(last?.intents ?? []).toEqual([]);
    expect(last?.requestTypes ?? []).toEqual([]);
    expect(
      DIALOG_HANDLERS.slice(0, -1).every((h) => (h.intents?.length ?? 0) + (h.requestTypes?.length ?? 0) > 0),
    ).toBe(true);
  });

  it('dynamic entities name slot types the model declares', () => {
    const types = (language as { types?: { name: string }[] }).types?.map((t) => t.name) ?? [];
    expect(types).toContain(PRODUCT_SLOT_TYPE);
    expect(types).toContain(CATEGORY_SLOT_TYPE);
  });
});
