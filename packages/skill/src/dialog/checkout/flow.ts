import { concat, newId, type Ssml, text } from '@pitchline/core';
import type { HandlerInput } from 'ask-sdk-core';
import type { Response } from 'ask-sdk-model';
import { resolveLinkedCustomer } from '../../payments/linked-customer';
import type { DialogDeps } from '../handler';
import { ask, respond } from '../respond';
import { type Pending, readSession, updateSession } from '../session';
import { awaitWithinTurn } from '../slow-step';
import { clip, fitList, LIST_BUDGET_CHARS, money, plural, quantityOf } from '../speech';
import { emit, type TurnState } from '../turn';
import { orderAttribution } from './attribution';
import { type PricedCart, priceCart } from './priced-cart';

const LINK_SPEECH = text(
  'To check out, please link your account in the Alexa app. I sent a card there with a link. Your cart is kept for this session.',
);

function accessToken(input: HandlerInput): string | undefined {
  return input.requestEnvelope.context?.System?.user?.accessToken;
}

/** Before a charge: always the database, so a link revoked a moment ago is caught. */
async function linkedCustomer(input: HandlerInput, turn: TurnState, deps: DialogDeps) {
  return resolveLinkedCustomer(deps.db, turn.merchantId, accessToken(input));
}

function linkAccount(input: HandlerInput): Response {
  return ask(input, LINK_SPEECH, text('What else would you like to do?'), { linkAccount: true });
}

/** "2 Burr Grinder, 1 Earl Grey Supreme" — every line, so the shopper confirms what is charged. */
function itemsSpeech(priced: PricedCart): Ssml {
  return fitList(
    priced.lines.map((l) => quantityOf(l.quantity, l.product)),
    LIST_BUDGET_CHARS,
    (left) => text(`and ${left} more ${plural(left, 'product', 'products')}`),
  );
}

/**
 * The read-back before any money moves: seller, items, delivery and total, then a yes/no question.
 * The order id is minted here and kept in the session, so Yes places exactly this order (and a
 * retried Yes finds it again) and No declines it by the same id.
 */
export async function startCheckout(
  input: HandlerInput,
  turn: TurnState,
  deps: DialogDeps,
): Promise<Response> {
  const session = readSession(input);
  if (session.cart.length === 0) {
    return ask(input, text('Your cart is empty.'), text('What would you like to add?'));
  }
  // The read-back moves no money, so it may use the cached answer (confirmCheckout asks the database).
  if (!(await deps.linkedCustomers.forReadBack(turn.merchantId, accessToken(input)))) {
    return linkAccount(input);
  }
  const catalog = await turn.catalog();
  const priced = priceCart(session.cart, catalog);
  if (priced.lines.length === 0) {
    updateSession(input, (d) => {
      d.cart = [];
    });
    return ask(
      input,
      text('The items in your cart are no longer available.'),
      text('What else can I find for you?'),
    );
  }
  const pending: Pending = {
    kind: 'checkout',
    orderId: newId(),
    amount: priced.amount,
    currency: priced.currency,
    itemCount: priced.itemCount,
  };
  updateSession(input, (d) => {
    d.pending = pending;
  });
  emit(turn, {
    type: 'checkout_prompt',
    amount: priced.amount,
    currency: priced.currency,
    item_count: priced.itemCount,
  });
  const gone =
    priced.unavailable > 0
      ? text(' Some items in your cart are no longer available and were left out.')
      : text('');
  const total = money({ amount: priced.amount, currency: priced.currency }, turn.locale);
  return ask(
    input,
    concat(
      text(`Your order from ${clip(catalog.merchantName, 80)}: `),
      itemsSpeech(priced),
      text('.'),
      gone,
      text(' Delivery is free, by standard shipping. Your total is '),
      total,
      text(', charged to the card on your linked account.'),
    ),
    concat(text('Shall I place the order for '), total, text('?')),
    { cardTitle: 'Your order' },
  );
}

/** The shopper said yes to the read-back: place the order and say how payment went. */
export async function confirmCheckout(
  input: HandlerInput,
  turn: TurnState,
  deps: DialogDeps,
  pending: Extract<Pending, { kind: 'checkout' }>,
): Promise<Response> {
  const session = readSession(input);
  const customer = await linkedCustomer(input, turn, deps);
  if (!customer) return linkAccount(input);
  const catalog = await turn.catalog();
  const priced = priceCart(session.cart, catalog);
  // The catalog changed between the read-back and the yes: read back again rather than charge a surprise.
  if (priced.amount !== pending.amount || priced.currency !== pending.currency || priced.lines.length === 0) {
    return startCheckout(input, turn, deps);
  }
  if (!deps.payments) {
    return ask(
      input,
      text("Sorry, this shop can't take orders right now. Your cart is kept."),
      text('What else would you like to do?'),
    );
  }
  const placing = deps.payments.placeOrder({
    orderId: pending.orderId,
    merchantId: turn.merchantId,
    skillId: turn.skillId,
    sessionId: turn.sessionId,
    userId: turn.userId,
    items: priced.lines.map((l) => ({ productId: l.product.id, quantity: l.quantity })),
    variants: await orderAttribution(
      turn,
      deps,
      session,
      priced.lines.map((l) => l.product),
    ),
    customer,
  });
  const waited = await awaitWithinTurn(input, turn, deps, placing, {
    waitingSpeech: 'One moment while I place your order.',
    what: 'placing the order',
  });
  updateSession(input, (d) => {
    d.cart = [];
    d.pending = undefined;
  });
  const count = priced.itemCount;
  const what = text(`${count} ${plural(count, 'item', 'items')}`);
  if (!waited.done) {
    // The order is written before the charge starts; the payment settles through the webhook.
    const total = money({ amount: priced.amount, currency: priced.currency }, turn.locale);
    return orderPlaced(
      input,
      turn,
      { what, total },
      ' is placed, and your payment is still being processed. The confirmation will be in the Alexa app once it goes through.',
      'Order placed, payment processing',
    );
  }
  const result = waited.value;
  const total = money({ amount: result.order.amountTotal, currency: result.order.currency }, turn.locale);
  switch (result.kind) {
    case 'paid':
    case 'processing':
      return orderPlaced(
        input,
        turn,
        { what, total },
        result.kind === 'paid'
          ? ' is placed. Your card was charged.'
          : ' is placed. Your payment is being processed.',
        'Order placed',
      );
    case 'action_required':
    case 'declined': {
      const why =
        result.kind === 'declined'
          ? text('Your card was declined, so the order is waiting for payment.')
          : text('Your bank needs you to confirm this payment.');
      const link = result.checkoutUrl
        ? text(' I sent a payment link to the Alexa app and your e-mail to finish it.')
        : text(' Please check your payment method in your account.');
      return ask(input, concat(why, link), text('Is there anything else I can help with?'), {
        cardTitle: 'Payment needed',
        // The shopper was told the link is in the Alexa app: it is, on every device.
        ...(result.checkoutUrl
          ? { appCard: true, cardExtra: `Finish the payment: ${result.checkoutUrl}` }
          : {}),
      });
    }
  }
}

/**
 * The last answer for a placed order: what, for how much, how the payment stands. The session ends, and
 * the card goes to the Alexa app on every device, since the shopper is told the confirmation is there.
 */
function orderPlaced(
  input: HandlerInput,
  turn: TurnState,
  order: { what: Ssml; total: Ssml },
  paymentSays: string,
  cardTitle: string,
): Response {
  turn.sessionEnd = { reason: 'completed' };
  return respond(input, {
    speech: concat(
      text('Your order of '),
      order.what,
      text(' for '),
      order.total,
      text(paymentSays),
      text(' Thank you for shopping with us!'),
    ),
    end: true,
    cardTitle,
    appCard: true,
  });
}

/** The shopper said no to the read-back: nothing is charged, the cart stays, shopping goes on. */
export async function declineCheckout(
  input: HandlerInput,
  turn: TurnState,
  deps: DialogDeps,
  pending: Extract<Pending, { kind: 'checkout' }>,
): Promise<Response> {
  await recordDecline(input, turn, deps, pending);
  return ask(
    input,
    text("Okay, I won't place the order. Your cart is still here."),
    text('What would you like to do next?'),
  );
}

/** Credits a declined order the way a placed one would be, so the two can be compared by variant. */
export async function recordDecline(
  input: HandlerInput,
  turn: TurnState,
  deps: DialogDeps,
  pending: Extract<Pending, { kind: 'checkout' }>,
): Promise<void> {
  const session = readSession(input);
  const priced = priceCart(session.cart, await turn.catalog());
  emit(turn, {
    type: 'order_declined',
    order_id: pending.orderId,
    amount: pending.amount,
    currency: pending.currency,
    variants: await orderAttribution(
      turn,
      deps,
      session,
      priced.lines.map((l) => l.product),
    ),
  });
}
