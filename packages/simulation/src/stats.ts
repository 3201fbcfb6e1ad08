/** What a run did, counted on the shopper's side of the wire, to compare with what the stores hold. */
export interface RunStats {
  sessions: number;
  /** Requests that got an HTTP answer: each is one `turn` event in analytics. */
  requests: number;
  byStatus: Record<string, number>;
  /** Request type or intent name → count. */
  byRequest: Record<string, number>;
  /** "Yes" to the checkout read-back: an order was placed (paid, processing, or waiting for payment). */
  ordersPlaced: number;
  /** Of those, answered "order placed" (the card was charged or is processing). */
  ordersCharged: number;
  /** Answered "payment needed" (declined or 3-D Secure): the order waits for the shopper. */
  paymentsNeeded: number;
  /** Checkout answered with the account-linking card. */
  linkCards: number;
  /** "No" at the read-back or stop there: an `order_declined`. */
  ordersDeclined: number;
  /** Per experiment variant heard (from the session attributes the skill returned). */
  byVariant: Record<string, VariantStats>;
  /** The first few unexpected things seen (non-200 answers, malformed responses). */
  problems: string[];
}

export interface VariantStats {
  sessions: number;
  shoppers: number;
  purchaseIntents: number;
  stopsAfterPitch: number;
  ordersCharged: number;
}

export function emptyStats(): RunStats {
  return {
    sessions: 0,
    requests: 0,
    byStatus: {},
    byRequest: {},
    ordersPlaced: 0,
    ordersCharged: 0,
    paymentsNeeded: 0,
    linkCards: 0,
    ordersDeclined: 0,
    byVariant: {},
    problems: [],
  };
}

const MAX_PROBLEMS = 20;

export class StatsCollector {
  readonly stats = emptyStats();
  private readonly shoppersByVariant = new Map<string, Set<number>>();

  count(
    key: keyof Pick<
      RunStats,
      'ordersPlaced' | 'ordersCharged' | 'paymentsNeeded' | 'linkCards' | 'ordersDeclined' | 'sessions'
    >,
  ): void {
    this.stats[key]++;
  }

  request(label: string, status: number): void {
    this.stats.requests++;
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
    this.stats.byRequest[label] = (this.stats.byRequest[label] ?? 0) + 1;
  }

  variant(key: string, shopper: number): VariantStats {
    let v = this.stats.byVariant[key];
    if (!v) {
      v = { sessions: 0, shoppers: 0, purchaseIntents: 0, stopsAfterPitch: 0, ordersCharged: 0 };
      this.stats.byVariant[key] = v;
    }
    let seen = this.shoppersByVariant.get(key);
    if (!seen) {
      seen = new Set();
      this.shoppersByVariant.set(key, seen);
    }
    if (!seen.has(shopper)) {
      seen.add(shopper);
      v.shoppers++;
    }
    return v;
  }

  problem(message: string): void {
    if (this.stats.problems.length < MAX_PROBLEMS) this.stats.problems.push(message);
  }
}
