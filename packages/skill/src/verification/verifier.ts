import type { RequestEnvelope } from 'ask-sdk-model';
import { z } from 'zod';
import { createTrustStore } from './cert-chain';
import { type CertFetcher, createCertFetcher } from './cert-fetcher';
import { CertStore } from './cert-store';
import { type CertUrlCheck, checkCertUrl } from './cert-url';
import { boundDetail, type RejectionReason } from './reasons';
import { checkBodySignature } from './signature';
import { checkTimestamp } from './timestamp';

/** Alexa requests are at most a few KB; Amazon caps them well under this. */
export const MAX_BODY_BYTES = 256 * 1024;

export const SIGNATURE_HEADER = 'signature-256';
export const CERT_URL_HEADER = 'signaturecertchainurl';

export interface VerifiedSkill {
  skillId: string;
  merchantId: string;
}

export type ResolveSkill = (applicationId: string) => Promise<{ merchantId: string } | null>;

export interface Rejection {
  reason: RejectionReason;
  detail: string;
  /** The applicationId the request claimed, once the body parsed (not authenticated before the signature). */
  skillId?: string;
  merchantId?: string;
}

export type VerifyResult =
  | { ok: true; envelope: RequestEnvelope; skill: VerifiedSkill }
  | ({ ok: false } & Rejection);

export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface AlexaVerifierOptions {
  resolveSkill: ResolveSkill;
  /**
   * Off only for local development (the server refuses it in production): skips certificate,
   * signature and timestamp checks; size, JSON and skill id are still enforced.
   */
  verify?: boolean;
  now?: () => number;
  /** PEM text of extra trusted roots (our development CA), added to Node's bundled roots. */
  extraTrustedRoots?: readonly string[];
  /** Replaces Node's bundled roots (tests use it to prove an unknown root is refused). */
  trustedRoots?: readonly string[];
  /** Defaults to createCertFetcher() (global fetch, 5 s timeout, 64 KB cap). */
  fetcher?: CertFetcher;
  /** A ready store; otherwise one is built from trust + fetcher. */
  certStore?: CertStore;
  maxBodyBytes?: number;
}

export interface AlexaVerifier {
  verify(headers: HeaderSource, rawBody: Uint8Array): Promise<VerifyResult>;
  readonly certStore: CertStore | undefined;
  readonly maxBodyBytes: number;
}

const applicationSchema = z.object({ applicationId: z.string().min(1).max(200) });

/** Only what verification reads; the rest of the envelope is passed through untouched. */
export const envelopeSchema = z.object({
  version: z.string().max(20),
  request: z.object({
    type: z.string().min(1).max(200),
    requestId: z.string().max(200).optional(),
    timestamp: z.string().max(64),
  }),
  context: z.object({
    System: z.object({ application: applicationSchema.optional() }).optional(),
  }),
  session: z.object({ application: applicationSchema.optional() }).optional(),
});

type EnvelopeFields = z.infer<typeof envelopeSchema>;

/** The fields verification reads, or zod's first complaint. Exported for the cross-check test. */
export function parseEnvelopeFields(
  json: unknown,
): { success: true; data: EnvelopeFields } | { success: false; detail: string } {
  const parsed = envelopeSchema.safeParse(json);
  if (parsed.success) return { success: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  return { success: false, detail: issue ? `${issue.path.join('.')}: ${issue.message}` : 'not an envelope' };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function header(headers: HeaderSource, lowerName: string): string | undefined {
  if (headers instanceof Headers) return headers.get(lowerName) ?? undefined;
  for (const key in headers) {
    if (key.toLowerCase() !== lowerName) continue;
    const value = headers[key];
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

function reject(reason: RejectionReason, detail: string, extra?: Partial<VerifiedSkill>): VerifyResult {
  return { ok: false, reason, detail: boundDetail(detail), ...extra };
}

export function createAlexaVerifier(options: AlexaVerifierOptions): AlexaVerifier {
  const enabled = options.verify ?? true;
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const { resolveSkill } = options;
  const certStore = !enabled
    ? undefined
    : (options.certStore ??
      new CertStore({
        fetcher: options.fetcher ?? createCertFetcher(),
        trust: createTrustStore(options.extraTrustedRoots, options.trustedRoots),
        now,
      }));

  const urlChecks = new Map<string, CertUrlCheck>();

  async function verify(headers: HeaderSource, rawBody: Uint8Array): Promise<VerifyResult> {
    if (rawBody.byteLength > maxBodyBytes) {
      return reject('body_too_large', `body of ${rawBody.byteLength} bytes exceeds ${maxBodyBytes}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(utf8.decode(rawBody));
    } catch (err) {
      return reject('invalid_json', (err as Error).message);
    }
    const parsed = parseEnvelopeFields(json);
    if (!parsed.success) return reject('invalid_envelope', parsed.detail);
    const { request, context, session } = parsed.data;

    const fromContext = context.System?.application?.applicationId;
    const fromSession = session?.application?.applicationId;
    const skillId = fromContext ?? fromSession;
    if (skillId === undefined) return reject('invalid_envelope', 'no applicationId');
    if (fromContext !== undefined && fromSession !== undefined && fromContext !== fromSession) {
      return reject('invalid_envelope', 'context and session name different applicationIds', { skillId });
    }
    const found = await resolveSkill(skillId);
    if (!found)
      return reject('unknown_skill', `applicationId ${skillId} is not a configured skill`, { skillId });
    const skill: VerifiedSkill = { skillId, merchantId: found.merchantId };

    if (certStore) {
      const signature = header(headers, SIGNATURE_HEADER);
      const certUrl = header(headers, CERT_URL_HEADER);
      if (!signature || !certUrl) {
        const missing = [!signature && 'Signature-256', !certUrl && 'SignatureCertChainUrl'].filter(Boolean);
        return reject('missing_headers', `missing ${missing.join(', ')}`, skill);
      }
      let url = urlChecks.get(certUrl);
      if (!url) {
        url = checkCertUrl(certUrl);
        // Amazon uses a handful of URLs: remembering verdicts saves a URL parse per request.
        if (urlChecks.size >= 64) urlChecks.clear();
        urlChecks.set(certUrl, url);
      }
      if (!url.ok) return reject('bad_cert_url', url.detail, skill);
      // Before the download: a replayed or junk request should not cost a fetch.
      const time = checkTimestamp(request.timestamp, request.type, now());
      if (!time.ok) return reject(time.reason, time.detail, skill);
      const key = await certStore.get(url.url);
      if (!key.ok) return reject(key.reason, key.detail, skill);
      if (!checkBodySignature(rawBody, signature, key.publicKey)) {
        return reject('bad_signature', 'Signature-256 does not match the body', skill);
      }
    }
    return { ok: true, envelope: json as RequestEnvelope, skill };
  }

  return { verify, certStore, maxBodyBytes };
}
