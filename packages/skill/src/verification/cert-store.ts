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
  /** Amazon rotates through a handful of URLs; the bound stops junk URLs from growing the map. */
  maxEntries?: number;
  /**
   * How long a failed download or validation is remembered (default 30 s, 0 = never), so a flood of
   * requests naming a bad chain does not turn into a flood of downloads.
   */
  failureTtlMs?: number;
}

export interface CertStoreStats {
  /** Fetcher calls made. */
  downloads: number;
  /** Chains validated and public keys parsed (one per successful or failed download). */
  keyParses: number;
  cached: number;
}

type Entry = { result: SigningKeyLookup; expiresAt: number };

/**
 * Validated signing keys by certificate URL. A good chain is cached until the earliest notAfter on
 * its path (then downloaded and validated again), concurrent misses for one URL share one download,
 * and the map is a bounded LRU.
 */
export class CertStore {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<SigningKeyLookup>>();
  private readonly fetcher: CertFetcher;
  private readonly trust: TrustStore;
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly failureTtlMs: number;
  private downloads = 0;
  private keyParses = 0;

  constructor(options: CertStoreOptions) {
    this.fetcher = options.fetcher;
    this.trust = options.trust;
    this.now = options.now ?? Date.now;
    this.maxEntries = Math.max(1, options.maxEntries ?? 64);
    this.failureTtlMs = options.failureTtlMs ?? 30_000;
  }

  /** `url` must already have passed checkCertUrl (its normalised form is the cache key). */
  get(url: string): Promise<SigningKeyLookup> | SigningKeyLookup {
    const entry = this.entries.get(url);
    if (entry) {
      if (this.now() < entry.expiresAt) {
        // Refresh recency for the LRU bound: delete + set moves the key to the end.
        this.entries.delete(url);
        this.entries.set(url, entry);
        return entry.result;
      }
      this.entries.delete(url);
    }
    let pending = this.inflight.get(url);
    if (!pending) {
      pending = this.load(url).finally(() => this.inflight.delete(url));
      this.inflight.set(url, pending);
    }
    return pending;
  }

  stats(): CertStoreStats {
    return { downloads: this.downloads, keyParses: this.keyParses, cached: this.entries.size };
  }

  private async load(url: string): Promise<SigningKeyLookup> {
    this.downloads += 1;
    let pem: string;
    try {
      pem = await this.fetcher(url);
    } catch (err) {
      return this.remember(url, { ok: false, reason: 'cert_fetch_failed', detail: (err as Error).message });
    }
    const now = this.now();
    this.keyParses += 1;
    const check: ChainCheck = checkCertificateChain(pem, this.trust, now);
    if (!check.ok) return this.remember(url, check);
    return this.remember(url, { ok: true, publicKey: check.publicKey }, check.validUntil);
  }

  private remember(url: string, result: SigningKeyLookup, validUntil?: number): SigningKeyLookup {
    const expiresAt = result.ok ? (validUntil as number) : this.now() + this.failureTtlMs;
    if (!result.ok && this.failureTtlMs <= 0) return result;
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(url, { result, expiresAt });
    return result;
  }
}
