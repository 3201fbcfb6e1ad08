import { DEMO_MERCHANT_ID, DEMO_PRODUCTS, DEMO_SKILL_ID } from '@pitchline/db';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../src/catalog/types';
import { createCertFetcher } from '../src/verification/cert-fetcher';
import { type AlexaVerifier, createAlexaVerifier } from '../src/verification/verifier';
import { createSigner, type SignerFixture } from './fixtures';
import { buildPool, DEFAULT_MIX, REQUEST_KINDS } from './pool';

const catalog: Catalog = {
  merchantId: DEMO_MERCHANT_ID,
  merchantName: 'Northwind Coffee Roasters',
  currency: 'USD',
  products: DEMO_PRODUCTS.map((p, i) => ({
    id: `product-${i}`,
    name: p.name,
    description: p.description ?? '',
    category: p.category,
    priceAmount: p.priceAmount,
    currency: 'USD',
    featured: p.featured ?? false,
    defaultPitch: p.pitch,
    synonyms: [...(p.synonyms ?? [])],
  })),
};

describe('buildPool', () => {
  let fx: SignerFixture;
  let verifier: AlexaVerifier;
  const now = new Date();

  beforeAll(async () => {
    fx = await createSigner();
    verifier = createAlexaVerifier({
      resolveSkill: async (id) => (id === DEMO_SKILL_ID ? { merchantId: DEMO_MERCHANT_ID } : null),
      now: () => now.getTime(),
      extraTrustedRoots: [fx.caPem],
      fetcher: createCertFetcher({ prepublished: { [fx.signer.certUrl]: fx.signer.chainPem } }),
    });
  });

  it('signs distinct bodies that the real verifier accepts, and a changed body it refuses', async () => {
    const pool = buildPool({ size: 120, catalog, signer: fx.signer, now });
    expect(new Set(pool.map((r) => r.body)).size).toBe(pool.length);
    for (const request of pool) {
      const result = await verifier.verify(request.headers, new TextEncoder().encode(request.body));
      expect(result.ok, request.kind).toBe(true);
    }
    const first = pool[0];
    if (!first) throw new Error('empty pool');
    const tampered = await verifier.verify(first.headers, new TextEncoder().encode(`${first.body} `));
    expect(tampered).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('follows the mix and gives cart turns a cart in their session attributes', () => {
    const pool = buildPool({ size: 800, catalog, signer: fx.signer, now, seed: 7 });
    const total = REQUEST_KINDS.reduce((s, k) => s + DEFAULT_MIX[k], 0);
    for (const kind of REQUEST_KINDS) {
      const share = pool.filter((r) => r.kind === kind).length / pool.length;
      expect(Math.abs(share - DEFAULT_MIX[kind] / total), kind).toBeLessThan(0.04);
    }
    for (const request of pool.filter((r) => r.kind === 'review_cart' || r.kind === 'checkout_prompt')) {
      const envelope = JSON.parse(request.body);
      expect(envelope.session.attributes.cart.length).toBeGreaterThan(0);
      if (request.kind === 'checkout_prompt') expect(envelope.context.System.user.accessToken).toBeTruthy();
    }
    const launch = pool.find((r) => r.kind === 'launch');
    expect(JSON.parse(launch?.body ?? '{}').session.new).toBe(true);
  });

  it('is the same mix for the same seed', () => {
    const kinds = (seed: number) =>
      buildPool({ size: 50, catalog, signer: fx.signer, now, seed }).map((r) => r.kind);
    expect(kinds(3)).toEqual(kinds(3));
    expect(kinds(3)).not.toEqual(kinds(4));
  });
});
