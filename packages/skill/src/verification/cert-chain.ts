import { type KeyObject, X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { ALEXA_SIGNING_SAN } from '@pitchline/alexa-kit/protocol';
import type { RejectionReason } from './reasons';

/** The name Amazon's signing certificate must carry in its subjectAltName (shared with the dev CA). */
export { ALEXA_SIGNING_SAN };

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/** Amazon's chains are three or four certificates; more is a malformed or hostile download. */
const MAX_CHAIN_LENGTH = 10;

export function splitPemCertificates(text: string): string[] {
  return text.match(PEM_CERT) ?? [];
}

/** Trusted roots, parsed once and indexed by subject so a chain walk does not scan them all. */
export class TrustStore {
  private readonly bySubject = new Map<string, X509Certificate[]>();
  readonly size: number;

  constructor(rootPems: readonly string[]) {
    let size = 0;
    for (const pem of rootPems) {
      for (const block of splitPemCertificates(pem)) {
        const cert = new X509Certificate(block);
        const list = this.bySubject.get(cert.subject);
        if (list) list.push(cert);
        else this.bySubject.set(cert.subject, [cert]);
        size += 1;
      }
    }
    this.size = size;
  }

  /** A trusted root that issued and signed `cert`, if any. */
  issuerOf(cert: X509Certificate): X509Certificate | undefined {
    for (const root of this.bySubject.get(cert.issuer) ?? []) {
      if (cert.checkIssued(root) && cert.verify(root.publicKey)) return root;
    }
    return undefined;
  }
}

let defaultRoots: readonly string[] | undefined;

/** Node's bundled Mozilla roots (which hold Amazon's RSA and ECC roots), plus extra PEM text. */
export function createTrustStore(
  extraRootsPem: readonly string[] = [],
  baseRoots?: readonly string[],
): TrustStore {
  defaultRoots ??= rootCertificates;
  return new TrustStore([...(baseRoots ?? defaultRoots), ...extraRootsPem]);
}

export type ChainCheck =
  | {
      ok: true;
      leaf: X509Certificate;
      /** Parsed once here and cached with the chain: re-parsing per request costs ~8x throughput. */
      publicKey: KeyObject;
      /** The earliest notAfter on the path (ms): the chain is no longer valid after it. */
      validUntil: number;
    }
  | { ok: false; reason: RejectionReason; detail: string };

type Failure = Extract<ChainCheck, { ok: false }>;

function dates(cert: X509Certificate): { from: number; to: number } {
  return { from: Date.parse(cert.validFrom), to: Date.parse(cert.validTo) };
}

function checkDates(cert: X509Certificate, role: string, now: number): Failure | { to: number } {
  const { from, to } = dates(cert);
  if (Number.isNaN(from) || Number.isNaN(to)) {
    return { ok: false, reason: 'cert_invalid', detail: `${role} has unreadable validity dates` };
  }
  if (now < from)
    return { ok: false, reason: 'cert_not_yet_valid', detail: `${role} valid from ${cert.validFrom}` };
  if (now > to) return { ok: false, reason: 'cert_expired', detail: `${role} expired ${cert.validTo}` };
  return { to };
}

/**
 * Validates a downloaded chain (leaf first, as Amazon publishes it): every certificate on the path is
 * within its dates, each is issued and signed by the next, the path ends at a trusted root, and the
 * leaf is an RSA key naming echo-api.amazon.com. Intermediates are taken from the download in any
 * order; only the trust store can end the path, so a self-signed certificate in the download is
 * worth nothing.
 */
export function checkCertificateChain(pemText: string, trust: TrustStore, now: number): ChainCheck {
  const blocks = splitPemCertificates(pemText);
  if (blocks.length === 0)
    return { ok: false, reason: 'cert_invalid', detail: 'no PEM certificate in download' };
  if (blocks.length > MAX_CHAIN_LENGTH) {
    return { ok: false, reason: 'cert_invalid', detail: `${blocks.length} certificates in chain` };
  }
  let certs: X509Certificate[];
  try {
    certs = blocks.map((b) => new X509Certificate(b));
  } catch (err) {
    return {
      ok: false,
      reason: 'cert_invalid',
      detail: `certificate does not parse: ${(err as Error).message}`,
    };
  }
  const leaf = certs[0] as X509Certificate;

  const leafDates = checkDates(leaf, 'signing certificate', now);
  if ('ok' in leafDates) return leafDates;
  if (leaf.checkHost(ALEXA_SIGNING_SAN, { subject: 'never', wildcards: false }) === undefined) {
    return {
      ok: false,
      reason: 'cert_san_mismatch',
      detail: `signing certificate SAN (${leaf.subjectAltName ?? 'none'}) lacks DNS:${ALEXA_SIGNING_SAN}`,
    };
  }
  const publicKey = leaf.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa') {
    return {
      ok: false,
      reason: 'cert_invalid',
      detail: `signing key is ${publicKey.asymmetricKeyType}, not rsa`,
    };
  }

  let validUntil = leafDates.to;
  let current = leaf;
  const unused = certs.slice(1);
  for (let depth = 0; depth <= MAX_CHAIN_LENGTH; depth += 1) {
    const root = trust.issuerOf(current);
    if (root) {
      const rootDates = checkDates(root, `trusted root ${root.subject}`, now);
      if ('ok' in rootDates) return rootDates;
      return { ok: true, leaf, publicKey, validUntil: Math.min(validUntil, rootDates.to) };
    }
    const index = unused.findIndex((c) => c.ca && current.checkIssued(c) && current.verify(c.publicKey));
    if (index < 0) break;
    const issuer = unused.splice(index, 1)[0] as X509Certificate;
    const issuerDates = checkDates(issuer, `intermediate ${issuer.subject}`, now);
    if ('ok' in issuerDates) return issuerDates;
    validUntil = Math.min(validUntil, issuerDates.to);
    current = issuer;
  }
  return {
    ok: false,
    reason: 'cert_untrusted',
    detail: `no trusted root issued ${current.subject.replaceAll('\n', ', ')} (issuer ${current.issuer.replaceAll('\n', ', ')})`,
  };
}
