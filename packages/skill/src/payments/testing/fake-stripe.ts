import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CheckoutSessionInput,
  errorResponse,
  type PaymentIntentInput,
  StripeTestMode,
  type TestModeResponse,
} from '../stripe-test-mode';
import { type FormValue, parseStripeForm } from './form-body';

/**
 * A local stand-in for api.stripe.com that the real `stripe` SDK talks to over HTTP (point it with
 * `{ host, port, protocol: 'http' }`). It records every request so tests can assert exactly what
 * Stripe would have been asked, and answers from the shared test-mode model (stripe-test-mode.ts).
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  idempotencyKey: string | undefined;
  body: Record<string, FormValue>;
  status: number;
}

export interface FakeStripe {
  apiBase: { host: string; port: number; protocol: 'http' };
  readonly requests: RecordedRequest[];
  readonly engine: StripeTestMode;
  /** Delays every answer (the request is still processed at once): Stripe charged, the reply is late. */
  latencyMs: number;
  close(): Promise<void>;
}

export async function startFakeStripe(options: { checkoutBaseUrl?: string } = {}): Promise<FakeStripe> {
  let port = 0;
  const engine = new StripeTestMode({
    checkoutUrl: (id) => `${options.checkoutBaseUrl ?? `http://127.0.0.1:${port}/c/pay`}/${id}`,
  });
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = parseStripeForm(req.method === 'GET' ? url.search.slice(1) : raw);
      const headers = flatHeaders(req);
      const idempotencyKey = headers['idempotency-key'];
      const response = route(engine, req.method ?? 'GET', url.pathname, body, headers, idempotencyKey);
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        headers,
        idempotencyKey,
        body,
        status: response.status,
      });
      if (fake.latencyMs > 0) setTimeout(() => send(res, response), fake.latencyMs);
      else send(res, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;

  const fake: FakeStripe = {
    apiBase: { host: '127.0.0.1', port, protocol: 'http' },
    requests,
    engine,
    latencyMs: 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return fake;
}

function route(
  engine: StripeTestMode,
  method: string,
  path: string,
  body: Record<string, FormValue>,
  headers: Record<string, string>,
  idempotencyKey: string | undefined,
): TestModeResponse {
  if (!headers.authorization?.startsWith('Bearer sk_test_')) {
    return errorResponse(401, {
      type: 'invalid_request_error',
      message: 'Invalid API Key provided (the fake accepts test-mode secret keys only).',
    });
  }
  const segments = path.split('/').filter(Boolean);
  const [version, resource, ...rest] = segments;
  if (version !== 'v1') return unknownRoute(method, path);

  if (resource === 'payment_intents') {
    if (method === 'POST' && rest.length === 0) {
      return engine.idempotent(idempotencyKey, 'POST /v1/payment_intents', body, () =>
        engine.createPaymentIntent(paymentIntentInput(body)),
      );
    }
    if (method === 'GET' && rest.length === 1) return engine.retrievePaymentIntent(rest[0] as string);
  }
  if (resource === 'checkout' && rest[0] === 'sessions') {
    if (method === 'POST' && rest.length === 1) {
      return engine.idempotent(idempotencyKey, 'POST /v1/checkout/sessions', body, () =>
        engine.createCheckoutSession(checkoutInput(body)),
      );
    }
    if (method === 'GET' && rest.length === 2) return engine.retrieveCheckoutSession(rest[1] as string);
  }
  if (resource === 'refunds' && method === 'POST' && rest.length === 0) {
    const amount = str(body.amount);
    return engine.idempotent(idempotencyKey, 'POST /v1/refunds', body, () =>
      engine.createRefund({
        payment_intent: str(body.payment_intent) ?? '',
        ...(amount !== undefined ? { amount: Number(amount) } : {}),
      }),
    );
  }
  return unknownRoute(method, path);
}

function paymentIntentInput(body: Record<string, FormValue>): PaymentIntentInput {
  return {
    amount: Number(str(body.amount)),
    currency: str(body.currency) ?? '',
    customer: str(body.customer),
    payment_method: str(body.payment_method),
    off_session: str(body.off_session) === 'true',
    confirm: str(body.confirm) === 'true',
    description: str(body.description),
    metadata: strRecord(body.metadata),
  };
}

function checkoutInput(body: Record<string, FormValue>): CheckoutSessionInput {
  const items = Array.isArray(body.line_items) ? body.line_items : [];
  const pid = body.payment_intent_data;
  return {
    mode: str(body.mode),
    customer: str(body.customer),
    client_reference_id: str(body.client_reference_id),
    success_url: str(body.success_url),
    cancel_url: str(body.cancel_url),
    metadata: strRecord(body.metadata),
    payment_intent_metadata:
      pid && typeof pid === 'object' && !Array.isArray(pid) ? strRecord(pid.metadata) : undefined,
    line_items: items.map((item) => {
      const li = item as Record<string, FormValue>;
      const price = (li.price_data ?? {}) as Record<string, FormValue>;
      const product = (price.product_data ?? {}) as Record<string, FormValue>;
      return {
        name: str(product.name) ?? '',
        quantity: Number(str(li.quantity) ?? '1'),
        unit_amount: Number(str(price.unit_amount)),
        currency: str(price.currency) ?? '',
      };
    }),
  };
}

function str(value: FormValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strRecord(value: FormValue | undefined): Record<string, string> | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

function unknownRoute(method: string, path: string): TestModeResponse {
  return errorResponse(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}).`,
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function send(res: ServerResponse, response: TestModeResponse): void {
  const payload = JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'request-id': `req_${randomBytes(8).toString('hex')}`,
    ...(response.replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
  res.end(payload);
}
