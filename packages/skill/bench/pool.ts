import { type DevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import {
  buildIntentRequest,
  buildLaunchRequest,
  type EnvelopeOptions,
  newSessionId,
} from '@pitchline/alexa-kit/nlu';
import { DEMO_ACCESS_TOKEN, DEMO_SKILL_ID } from '@pitchline/db';
import { interactionModel } from '@pitchline/voice-model';
import type { RequestEnvelope, Slot } from 'ask-sdk-model';
import { matchProducts, searchProducts } from '../src/catalog/match';
import type { Catalog, CatalogProduct } from '../src/catalog/types';
import type { CartLine, SessionData } from '../src/dialog/session';

export const REQUEST_KINDS = [
  'launch',
  'search',
  'product_details',
  'add_to_cart',
  'review_cart',
  'checkout_prompt',
] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/**
 * Shares of a shopping session's turns: people open the skill, ask about and hear pitches for
 * products most, add some, and fewer get to the cart and the checkout read-back. No order is placed
 * (a "yes" to the read-back charges through the payments gateway), so the hot loop moves no money.
 */
export const DEFAULT_MIX: Readonly<Record<RequestKind, number>> = {
  launch: 15,
  search: 20,
  product_details: 25,
  add_to_cart: 15,
  review_cart: 12,
  checkout_prompt: 13,
};

export interface PoolRequest {
  kind: RequestKind;
  body: string;
  headers: Record<string, string>;
  /** What the answer must say (speech and reprompt as text) for the request to have done its job. */
  expect: RegExp;
}

export interface PoolOptions {
  size: number;
  catalog: Catalog;
  /** Signs each body; without it the bodies go unsigned (baselines ignore the headers anyway). */
  signer: DevSigner;
  now?: Date;
  seed?: number;
  mix?: Readonly<Record<RequestKind, number>>;
}

/** Small deterministic PRNG, so every run (and every server in a run) gets the same mix. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Shopper {
  userId: string;
  deviceId: string;
  sessionId: string;
  screen: boolean;
  linked: boolean;
}

const hex = (random: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(random() * 16).toString(16))
    .join('')
    .toUpperCase();

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A pool of distinct signed requests, shaped as Alexa sends them: one user, device and session per
 * shopper across turns, session attributes carrying a cart for cart and checkout turns, entity
 * resolution from the launch's dynamic entities on most product slots, a third on screen devices.
 * Timestamps are `now`, so the pool must be used within the verifier's 150 s tolerance.
 */
export function buildPool(options: PoolOptions): PoolRequest[] {
  const random = mulberry32(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const now = options.now ?? new Date();
  const { catalog } = options;
  const products = catalog.products;
  if (products.length === 0) throw new Error('the catalog has no products');
  const mix = options.mix ?? DEFAULT_MIX;
  const totalWeight = REQUEST_KINDS.reduce((sum, k) => sum + mix[k], 0);

  const shoppers: Shopper[] = Array.from({ length: Math.max(8, Math.ceil(options.size / 6)) }, () => ({
    userId: `amzn1.ask.account.${hex(random, 32)}`,
    deviceId: `amzn1.ask.device.${hex(random, 32)}`,
    sessionId: newSessionId(),
    screen: random() < 0.33,
    linked: random() < 0.7,
  }));

  const spoken = (p: CatalogProduct) =>
    random() < 0.6 ? p.name.toLowerCase() : pick([p.name, ...p.synonyms]);
  const cart = (min: number): CartLine[] => {
    const lines = new Map<string, number>();
    const n = min + Math.floor(random() * 3);
    for (let i = 0; i < n; i++) lines.set(pick(products).id, 1 + Math.floor(random() * 2));
    return [...lines].map(([productId, quantity]) => ({ productId, quantity }));
  };
  const attributes = (cartLines: CartLine[], last: CatalogProduct): Partial<SessionData> => ({
    cart: cartLines,
    lastProductId: last.id,
    variants: [],
    last: {
      speech: `<speak>${last.name} is ${last.description} Would you like to add it to your cart?</speak>`,
      reprompt: '<speak>Would you like to add it to your cart?</speak>',
    },
  });
  /** Adds Alexa's entity resolution to most product slots; returns the product the skill should pick. */
  const resolve = (envelope: RequestEnvelope, product: CatalogProduct, said: string) => {
    const slot: Slot | undefined =
      envelope.request.type === 'IntentRequest' ? envelope.request.intent.slots?.product : undefined;
    if (!slot || random() >= 0.7) return matchProducts(said, products)[0]?.product;
    slot.resolutions = {
      resolutionsPerAuthority: [
        {
          authority: `amzn1.er-authority.echo-sdk.dynamic.${DEMO_SKILL_ID}.PRODUCT`,
          status: { code: 'ER_SUCCESS_MATCH' },
          values: [{ value: { id: product.id, name: product.name } }],
        },
      ],
    };
    return product;
  };
  const searchQueries = [
    ...products.flatMap((p) => [p.name.toLowerCase(), ...p.synonyms]),
    ...new Set(products.map((p) => p.category.toLowerCase())),
    'matcha',
    'french press',
    'oat milk',
  ];

  const pickKind = (roll: number): RequestKind => {
    let left = roll;
    for (const k of REQUEST_KINDS) {
      left -= mix[k];
      if (left < 0) return k;
    }
    return 'launch';
  };

  const pool: PoolRequest[] = [];
  for (let i = 0; i < options.size; i++) {
    const kind = pickKind(random() * totalWeight);
    const shopper = pick(shoppers);
    const linked = kind === 'checkout_prompt' || shopper.linked;
    const base: EnvelopeOptions = {
      applicationId: DEMO_SKILL_ID,
      userId: shopper.userId,
      deviceId: shopper.deviceId,
      sessionId: shopper.sessionId,
      screen: shopper.screen,
      ...(linked ? { accessToken: DEMO_ACCESS_TOKEN } : {}),
      now,
    };
    const intentOptions = { ...base, model: interactionModel };
    const product = pick(products);
    let envelope: RequestEnvelope;
    let expect: RegExp;
    switch (kind) {
      case 'launch':
        // A launch opens a new session.
        envelope = buildLaunchRequest({ ...base, sessionId: newSessionId(), newSession: true });
        expect = new RegExp(`Welcome to ${escapeRegExp(catalog.merchantName)}`);
        break;
      case 'search': {
        const query = pick(searchQueries);
        const top = searchProducts(query, products)[0]?.product;
        envelope = buildIntentRequest(
          'SearchProductIntent',
          { query },
          { ...intentOptions, attributes: attributes(random() < 0.5 ? [] : cart(1), product) },
        );
        expect = top ? new RegExp(escapeRegExp(top.name)) : /couldn't find anything/;
        break;
      }
      case 'product_details': {
        const said = spoken(product);
        envelope = buildIntentRequest(
          'ProductDetailsIntent',
          { product: said },
          { ...intentOptions, attributes: attributes(random() < 0.5 ? [] : cart(1), pick(products)) },
        );
        const heard = resolve(envelope, product, said);
        expect = heard
          ? new RegExp(`${escapeRegExp(heard.name)}[\\s\\S]*add it to your cart`)
          : /we don't have/;
        break;
      }
      case 'add_to_cart': {
        // A third say "add it" right after a pitch: no slot, the product under discussion is added.
        const named = random() >= 0.33;
        const quantity = random() < 0.5 ? undefined : String(1 + Math.floor(random() * 3));
        const said = spoken(product);
        envelope = buildIntentRequest(
          'AddToCartIntent',
          { product: named ? said : undefined, quantity },
          { ...intentOptions, attributes: attributes(random() < 0.5 ? [] : cart(1), product) },
        );
        const heard = named ? resolve(envelope, product, said) : product;
        expect = heard ? new RegExp(`Added .*${escapeRegExp(heard.name)}.* to your cart`) : /we don't have/;
        break;
      }
      case 'review_cart':
        envelope = buildIntentRequest(
          'ReviewCartIntent',
          {},
          {
            ...intentOptions,
            attributes: { ...attributes(cart(1), product), pending: undefined },
          },
        );
        expect = /In your cart: [\s\S]*Your total is/;
        break;
      case 'checkout_prompt':
        envelope = buildIntentRequest(
          'CheckoutIntent',
          {},
          {
            ...intentOptions,
            attributes: { ...attributes(cart(1), product), pending: { kind: 'offer_checkout' } },
          },
        );
        expect = /Your order from [\s\S]*Shall I place the order for/;
        break;
    }
    const body = JSON.stringify(envelope);
    pool.push({
      kind,
      body,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Apache-HttpClient/UNAVAILABLE (Java/1.8.0_372)',
        ...signAlexaRequest(body, options.signer),
      },
      expect,
    });
  }
  return pool;
}
