import { type DevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import fc from 'fast-check';
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCertFetcher } from './cert-fetcher';
import { type AlexaVerificationEnv, alexaVerification } from './middleware';
import { REJECTION_REASONS } from './reasons';
import { envelope, MERCHANT_ID, makeCa, makeSigner, NOW, SKILL_ID } from './test-fixtures';
import { type AlexaVerifier, createAlexaVerifier, type VerifyResult } from './verifier';

/**
 * Hostile input against request verification: whatever the headers and bytes, the verifier answers
 * (never throws), names a known reason, and accepts nothing but the exact bytes our key signed.
 * Fixed seeds keep failures reproducible; the run counts keep the file under a few seconds.
 */
const OTHER_SKILL_ID = 'amzn1.ask.skill.00000000-0000-4000-8000-000000000002';
const OTHER_MERCHANT_ID = '0190f5a4-0000-7000-8000-000000000002';
const enc = (s: string) => new TextEncoder().encode(s);
const runs = (seed: number, numRuns = 300) => ({ seed, numRuns });
const signedHeaders = (raw: string | Uint8Array, by: DevSigner): Record<string, string> => ({
  ...signAlexaRequest(raw, by),
});

let signer: DevSigner;
let stranger: DevSigner;
let verifier: AlexaVerifier;
let app: Hono<AlexaVerificationEnv>;
let handled = 0;

beforeAll(async () => {
  const [ca, strangerCa] = await Promise.all([makeCa('ECDSA'), makeCa('ECDSA')]);
  const [mine, theirs] = await Promise.all([
    makeSigner(ca, 'fuzz'),
    makeSigner(strangerCa, 'fuzz-stranger', { freshKey: true }),
  ]);
  signer = mine.signer;
  stranger = theirs.signer;
  verifier = createAlexaVerifier({
    resolveSkill: async (id) =>
      id === SKILL_ID
        ? { merchantId: MERCHANT_ID }
        : id === OTHER_SKILL_ID
          ? { merchantId: OTHER_MERCHANT_ID }
          : null,
    now: () => NOW,
    trustedRoots: [ca.certPem],
    fetcher: createCertFetcher({
      prepublished: { 'fuzz.pem': mine.issued.chainPem, 'fuzz-stranger.pem': theirs.issued.chainPem },
      fetch: async () => {
        throw new Error('offline: fuzzing must never reach the network');
      },
    }),
  });
  app = new Hono<AlexaVerificationEnv>();
  app.post('/alexa', alexaVerification({ verifier }), (c) => {
    handled++;
    return c.json({ skill: c.get('alexaSkill') });
  });
}, 30_000);

/** Reasons seen, so a test can show its input reached past the first checks. */
const seen = new Set<string>();

function expectRejected(result: VerifyResult): void {
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.skill)}`);
  seen.add(result.reason);
  expect(REJECTION_REASONS).toContain(result.reason);
  expect(result.detail.length).toBeLessThanOrEqual(500);
}

/** Header names the verifier reads, in any case, beside noise. */
const headerName = fc.oneof(
  fc.constantFrom('Signature-256', 'signature-256', 'SIGNATURECERTCHAINURL', 'SignatureCertChainUrl'),
  fc.string({ minLength: 1, maxLength: 20 }),
);
const headerValue = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.uint8Array({ minLength: 0, maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom(
    'https://s3.amazonaws.com/echo.api/echo-api-cert.pem',
    'https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem',
    'https://S3.AMAZONAWS.COM:443/echo.api/x.pem',
    'http://s3.amazonaws.com/echo.api/x.pem',
    'file:///etc/passwd',
    'https://127.0.0.1/echo.api/x.pem',
  ),
);
const headers = fc.dictionary(headerName, headerValue, { maxKeys: 4 });

/** Bodies from pure noise to almost-right envelopes. */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 2000 }),
  fc.string({ unit: 'binary', maxLength: 500 }).map(enc),
  fc.json({ maxDepth: 4 }).map(enc),
  fc
    .record({
      type: fc.oneof(fc.string(), fc.constantFrom('LaunchRequest', 'AlexaSkillEvent.SkillEnabled')),
      applicationId: fc.oneof(fc.string(), fc.constantFrom(SKILL_ID, OTHER_SKILL_ID)),
      timestamp: fc.oneof(
        fc.string(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
    })
    .map((o) => enc(envelope(o))),
);

describe('the Alexa verifier under hostile input', () => {
  it('never throws and never accepts unsigned or wrongly signed input', async () => {
    seen.clear();
    await fc.assert(
      fc.asyncProperty(headers, body, async (h, b) => {
        expectRejected(await verifier.verify(h, b));
      }),
      runs(6001),
    );
    // The noise reached every stage: parsing, the envelope, the skill, the headers.
    for (const reason of ['invalid_json', 'invalid_envelope', 'unknown_skill', 'missing_headers'])
      expect(seen).toContain(reason);
  });

  it('rejects any change to a signed body, however small', async () => {
    const base = enc(envelope());
    const edit = fc.oneof(
      fc.record({ op: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
    );
    const signature = signedHeaders(base, signer);
    expect((await verifier.verify(signature, base)).ok).toBe(true);
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        let bytes = Buffer.from(base);
        for (const e of edits) {
          const at = e.at % (bytes.length + (e.op === 'insert' ? 1 : 0));
          if (e.op === 'flip' && bytes.length > 0) {
            bytes = Buffer.from(bytes);
            bytes[at] = (bytes[at] as number) ^ e.mask;
          } else if (e.op === 'insert') {
            bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([e.byte]), bytes.subarray(at)]);
          } else if (e.op === 'delete' && bytes.length > 0) {
            bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
          }
        }
        fc.pre(!bytes.equals(base));
        expectRejected(await verifier.verify(signature, bytes));
      }),
      runs(6002),
    );
  });

  it('rejects a good body under any other signature: random, another body’s, an untrusted key’s', async () => {
    const good = envelope();
    const forged = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 512 }).map((b) => Buffer.from(b).toString('base64')),
      fc
        .string({ minLength: 1, maxLength: 40 })
        .map((s) => signAlexaRequest(envelope({ extra: s }), signer)['Signature-256']),
      fc.constant(signAlexaRequest(good, stranger)['Signature-256']),
    );
    await fc.assert(
      fc.asyncProperty(forged, fc.constantFrom(signer.certUrl, stranger.certUrl), async (sig, url) => {
        expectRejected(
          await verifier.verify({ 'Signature-256': sig, SignatureCertChainUrl: url }, enc(good)),
        );
      }),
      runs(6003, 200),
    );
  });

  it('a correctly signed envelope only ever resolves to the merchant its applicationId names', async () => {
    const appId = fc.oneof(fc.constantFrom(SKILL_ID, OTHER_SKILL_ID), fc.string({ maxLength: 60 }));
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(appId, appId, fc.boolean(), async (inContext, inSession, dropSession) => {
        const parsed = JSON.parse(envelope({ applicationId: inContext }));
        if (dropSession) delete parsed.session;
        else parsed.session.application.applicationId = inSession;
        const raw = JSON.stringify(parsed);
        const result = await verifier.verify(signedHeaders(raw, signer), enc(raw));
        if (!result.ok) {
          expectRejected(result);
          return;
        }
        // Accepted: both places named the same known skill, and it maps to that skill's merchant only.
        accepted++;
        if (!dropSession) expect(inSession).toBe(inContext);
        expect(result.skill).toEqual(
          inContext === SKILL_ID
            ? { skillId: SKILL_ID, merchantId: MERCHANT_ID }
            : { skillId: OTHER_SKILL_ID, merchantId: OTHER_MERCHANT_ID },
        );
      }),
      runs(6004),
    );
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('the /alexa middleware under hostile HTTP', () => {
  it('answers 400 (415 for a non-JSON type) with a known reason to any unsigned request, and never runs the handler', async () => {
    const contentType = fc.oneof(
      fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x', ''),
      fc.string({ maxLength: 40 }),
    );
    const before = handled;
    await fc.assert(
      fc.asyncProperty(headers, body, contentType, async (h, b, ct) => {
        const init: Record<string, string> = {};
        for (const [k, v] of Object.entries(h)) {
          // Headers the Fetch API itself refuses (non-ByteString) are what an HTTP parser would refuse too.
          if (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k) && /^[\t\x20-\x7e\x80-\xff]*$/.test(v)) init[k] = v;
        }
        if (/^[\t\x20-\x7e]*$/.test(ct)) init['content-type'] = ct;
        const res = await app.request('/alexa', { method: 'POST', body: b, headers: init });
        expect([400, 415]).toContain(res.status);
        const answer = (await res.json()) as { error: string };
        expect(REJECTION_REASONS).toContain(answer.error);
      }),
      runs(6005, 200),
    );
    expect(handled).toBe(before);
  });
});
