import { Hono } from 'hono';
import type { SimulatedGateway } from './simulated-gateway';
import { TEST_PAYMENT_METHODS } from './stripe-test-mode';

/**
 * The page a simulated Checkout link opens (mount at /pay/simulated). It stands in for Stripe's hosted
 * Checkout: the shopper picks a test card and pays, which emits the same webhooks Stripe would.
 * Simulated mode only: no real money can move through it.
 */
export function createSimulatedCheckoutApp(deps: { gateway: SimulatedGateway }): Hono {
  const app = new Hono();

  app.get('/:sessionId', (c) => {
    const session = deps.gateway.engine.checkoutSessions.get(c.req.param('sessionId'));
    if (!session) return c.html(page('Not found', '<p>This payment link does not exist.</p>'), 404);
    return c.html(render(session));
  });

  app.post('/:sessionId', async (c) => {
    const sessionId = c.req.param('sessionId');
    const session = deps.gateway.engine.checkoutSessions.get(sessionId);
    if (!session) return c.html(page('Not found', '<p>This payment link does not exist.</p>'), 404);
    const form = await c.req.parseBody();
    const paymentMethod = typeof form.payment_method === 'string' ? form.payment_method : '';
    if (!(paymentMethod in TEST_PAYMENT_METHODS))
      return c.html(render(session, 'Pick one of the test cards.'), 400);
    try {
      deps.gateway.completeCheckout(sessionId, paymentMethod);
    } catch (err) {
      return c.html(render(session, (err as Error).message.replace(/^simulated Stripe: /, '')), 402);
    }
    const successUrl = session.success_url;
    return typeof successUrl === 'string' ? c.redirect(successUrl, 303) : c.html(render(session));
  });

  return app;
}

function render(session: Record<string, unknown>, error?: string): string {
  const amount = typeof session.amount_total === 'number' ? session.amount_total : 0;
  const currency = String(session.currency ?? 'usd').toUpperCase();
  const total = new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount / 100);
  if (session.status === 'complete') return page('Paid', `<p>Paid ${escapeHtml(total)}. Thank you!</p>`);
  const cards = Object.keys(TEST_PAYMENT_METHODS)
    .map((pm) => `<button name="payment_method" value="${escapeHtml(pm)}">${escapeHtml(pm)}</button>`)
    .join('\n');
  return page(
    'Pay your order',
    `<p>Total: <strong>${escapeHtml(total)}</strong></p>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post">${cards}</form>
<p><small>Simulated payments: Stripe test cards, no money moves.</small></p>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
