import type { KeyObject } from 'node:crypto';
import { type ChainCheck, checkCertificateChain, type TrustStore } from './cert-chain';
import type { CertFetcher } from './cert-fetcher';
import type { RejectionReason } from './reasons';

export type SigningKeyLookup =
  | { ok: true; publicKey: KeyObject }
  | { ok: false; reason: RejectionReason; detail: string };

export interface CertStoreOptions {
  fetcher: CertFetcher;
  trust: TrustStore;
  now?: () => number;
  /** Valid chains kept. Amazon rotates through a handful of URLs; the bound stops the map from growing. */
  maxEntries?: number;
  /**
   * How long a failed download or validation is remembered (default 60 s, 0 = never), so a flood of
   * requests naming a bad chain does not turn into a flood of downloads.
   */
  failureTtlMs?: number;
  /** Failed URLs remembered at once (default 4096); kept apart from the valid chains, which they never evict. */
  maxFailures?: number;
  /**
   * Distinct certificate URLs downloaded per clock minute (default 20). Amazon uses a handful; beyond
   * that, requests naming a URL never seen to hold a valid chain are refused without an outbound fetch
   * (`cert_fetch_limited`). A URL that once held a valid chain is always fetched again when it expires.
   */
  maxFetchesPerMinute?: number;
}

export interface CertStoreStats {
  /** Fetcher calls made. */
  downloads: number;
  /** Chains validated and public keys parsed (one per successful or failed download). */
  keyParses: number;
  /** Valid chains held. */
  cached: number;
  /** Failed URLs remembered. */
  failed: number;
  /** Lookups refused without a download because the minute's budget was spent. */
  limited: number;
}

type Good = { result: SigningKeyLookup & { ok: true }; expiresAt: number };
type Failure = { result: SigningKeyLookup & { ok: false }; expiresAt: number };

/**
 * Validated signing keys by certificate URL. A good chain is cached until the earliest notAfter on
 * its path (then downloaded and validated again), concurrent misses for one URL share one download,
 * and valid chains are a bounded LRU. Failures live in their own bounded map, so junk URLs cannot evict
 * the chain real traffic uses, and downloads of URLs never seen valid are capped per minute.
 */
export class CertStore {
  private readonly good = new Map<string, Good>();
  private readonly failures = new Map<string, Failure>();
  private readonly inflight = new Map<string, Promise<SigningKeyLookup>>();
  private readonly fetcher: CertFetcher;
  private readonly trust: TrustStore;
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly failureTtlMs: number;
  private readonly maxFailures: number;
  private readonly maxFetchesPerMinute: number;
  private budgetMinute = -1;
  private fetchedThisMinute = 0;
  private downloads = 0;
  private keyParses = 0;
  private limited = 0;

  constructor(options: CertStoreOptions) {
    this.fetcher = options.fetcher;
    this.trust = options.trust;
    this.now = options.now ?? Date.now;
    this.maxEntries = Math.max(1, options.maxEntries ?? 64);
    this.failureTtlMs = options.failureTtlMs ?? 60_000;
    this.maxFailures = Math.max(1, options.maxFailures ?? 4096);
    this.maxFetchesPerMinute = Math.max(1, options.maxFetchesPerMinute ?? 20);
  }

  /** `url` must already have passed checkCertUrl (its normalised form is the cache key). */
  get(url: string): Promise<SigningKeyLookup> | SigningKeyLookup {
    const now = this.now();
    const good = this.good.get(url);
    if (good && now < good.expiresAt) {
      // Refresh recency for the LRU bound: delete + set moves the key to the end.
      this.good.delete(url);
      this.good.set(url, good);
      return good.result;
    }
    const failure = this.failures.get(url);
    if (failure) {
      if (now < failure.expiresAt) return failure.result;
      this.failures.delete(url);
    }
    let pending = this.inflight.get(url);
    if (pending) return pending;
    // An expired good chain still marks the URL as Amazon's: its refresh is never refused by the cap.
    if (!good && !this.spendFetchBudget(now)) {
      this.limited += 1;
      return {
        ok: false,
        reason: 'cert_fetch_limited',
        detail: `more than ${this.maxFetchesPerMinute} certificate URLs to download this minute`,
      };
    }
    pending = this.load(url).finally(() => this.inflight.delete(url));
    this.inflight.set(url, pending);
    return pending;
  }

  stats(): CertStoreStats {
    return {
      downloads: this.downloads,
      keyParses: this.keyParses,
      cached: this.good.size,
      failed: this.failures.size,
      limited: this.limited,
    };
  }

  private spendFetchBudget(now: number): boolean {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.budgetMinute) {
      this.budgetMinute = minute;
      this.fetchedThisMinute = 0;
    }
    if (this.fetchedThisMinute >= this.maxFetchesPerMinute) return false;
    this.fetchedThisMinute += 1;
    return true;
  }

  private async load(url: string): Promise<SigningKeyLookup> {
    this.downloads += 1;
    let pem: string;
    try {
      pem = await this.fetcher(url);
    } catch (err) {
      return this.rememberFailure(url, {
        ok: false,
        reason: 'cert_fetch_failed',
        detail: (err as Error).message,
      });
    }
    this.keyParses += 1;
    const check: ChainCheck = checkCertificateChain(pem, this.trust, this.now());
    if (!check.ok) return this.rememberFailure(url, check);
    this.good.delete(url);
    while (this.good.size >= this.maxEntries) {
      const oldest = this.good.keys().next().value;
      if (oldest === undefined) break;
      this.good.delete(oldest);
    }
    const result = { ok: true as const, publicKey: check.publicKey };
    this.good.set(url, { result, expiresAt: check.validUntil });
    return result;
  }

  private rememberFailure(url: string, result: SigningKeyLookup & { ok: false }): SigningKeyLookup {
    if (this.failureTtlMs <= 0) return result;
    while (this.failures.size >= this.maxFailures) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
    this.failures.set(url, { result, expiresAt: this.now() + this.failureTtlMs });
    return result;
  }
}
