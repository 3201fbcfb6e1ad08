import { PITCH_MAX_CHARS, SSML_MAX_CHARS, validatePitchTemplate, validateSsml } from '@pitchline/core';
import { DEMO_MERCHANT_ID, merchants, products } from '@pitchline/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, speech } from './testing/harness';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('the pitch limit', () => {
  it('a pitch at its worst case, at launch with the longest merchant name, goes out whole', async () => {
    const db = h.database.db;
    // Every character here escapes to the 6-character &quot;: the longest each can be once spoken.
    await db
      .update(merchants)
      .set({ name: '"'.repeat(200) })
      .where(eq(merchants.id, DEMO_MERCHANT_ID));
    // Six worst-case product names (150 characters × 6) and text up to exactly the limit: a template
    // that saves, rendered at its worst.
    const template = `${'{{product}}'.repeat(6)}${'x'.repeat(PITCH_MAX_CHARS - 6 * 900)}`;
    expect(validatePitchTemplate(template).ok).toBe(true);
    await db
      .update(products)
      .set({ name: '"'.repeat(150), defaultPitch: template })
      .where(and(eq(products.merchantId, DEMO_MERCHANT_ID), eq(products.name, 'Ethiopia Yirgacheffe')));

    const launch = await h.conversation().launch();
    const ssml = speech(launch);
    console.info(`launch speech with a ${PITCH_MAX_CHARS}-character pitch: ${ssml.length} characters`);
    // The rendered pitch itself, not the plain fallback or limits.ts's "too much to read out".
    expect(ssml).toContain(`${'&quot;'.repeat(150 * 6)}${'x'.repeat(600)}`);
    expect(ssml).toContain('&quot;'.repeat(79));
    expect(ssml.length).toBeLessThanOrEqual(SSML_MAX_CHARS);
    expect(validateSsml(ssml)).toEqual({ ok: true });
    expect(h.metrics.responsesTrimmed).toBe(0);
  });
});
