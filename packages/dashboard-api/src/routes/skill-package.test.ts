import { DEMO_PRODUCTS, products } from '@pitchline/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A_ANALYST, B_OWNER, type Client, expectStatus, type Harness, openHarness } from '../testing/harness';

let h: Harness;
let analystA: Client;
let ownerB: Client;

const choices = {
  skillName: 'Northwind Coffee',
  invocationName: 'northwind coffee house',
  endpointUrl: 'https://skill.northwind.example/alexa',
  privacyPolicyUrl: 'https://northwind.example/privacy',
  termsOfUseUrl: 'https://northwind.example/terms',
};

beforeAll(async () => {
  h = await openHarness();
  analystA = await h.login(A_ANALYST.email, A_ANALYST.password);
  ownerB = await h.login(B_OWNER.email, B_OWNER.password);
  await h.database.db.insert(products).values({
    merchantId: h.merchantB,
    name: 'Stroopwafel Tin',
    description: 'Twelve waffles',
    category: 'Treats',
    priceAmount: 900,
    currency: 'EUR',
    defaultPitch: '{{product}}: {{price}}.',
  });
}, 60_000);
afterAll(() => h?.close());

const generate = (client: Client, json: typeof choices & { locales?: ['en-US'] }) =>
  client.api['skill-package'].$post({ json });

describe('POST /api/skill-package', () => {
  it("generates the caller's merchant's package from their live catalog; any member may", async () => {
    const res = await generate(analystA, choices);
    expectStatus(res, 200);
    const body = await res.json();
    expect(body.products).toBe(DEMO_PRODUCTS.length);
    const model = JSON.parse(body.files['skill-package/interactionModels/custom/en-US.json'] as string);
    expect(model.interactionModel.languageModel.invocationName).toBe('northwind coffee house');
    const values = model.interactionModel.languageModel.types
      .find((t: { name: string }) => t.name === 'PRODUCT')
      .values.map((v: { name: { value: string } }) => v.name.value);
    expect(values).toContain('colombia huila');
    expect(values).not.toContain('stroopwafel tin');
    const manifest = JSON.parse(body.files['skill-package/skill.json'] as string);
    expect(manifest.manifest.apis.custom.endpoint.uri).toBe('https://skill.northwind.example/alexa');
  });

  it('another merchant gets their own catalog only', async () => {
    const res = await generate(ownerB, { ...choices, invocationName: 'dutch treats shop' });
    expectStatus(res, 200);
    const body = await res.json();
    expect(body.products).toBe(1);
    expect(body.files['skill-package/interactionModels/custom/en-US.json']).toContain('stroopwafel tin');
    expect(body.files['skill-package/interactionModels/custom/en-US.json']).not.toContain('colombia huila');
  });

  it('answers a bad choice per field, in words', async () => {
    const res = await generate(analystA, { ...choices, invocationName: 'Alexa', endpointUrl: 'ftp://x' });
    expectStatus(res, 400);
    const body = (await res.json()) as { error: string; fields: Record<string, string[]> };
    expect(body.error).toBe('invalid_package');
    expect(Object.keys(body.fields).sort()).toEqual(['endpointUrl', 'invocationName']);
    expect(body.fields.invocationName?.join(' ')).toMatch(/two words/);
  });

  it('refuses an unknown field and a locale it cannot speak yet', async () => {
    const res = await analystA.api['skill-package'].$post({
      json: { ...choices, locales: ['de-DE'] } as never,
    });
    expectStatus(res, 400);
  });

  it('refuses the anonymous', async () => {
    const res = await generate(h.anonymous(), choices);
    expectStatus(res, 401);
  });
});
