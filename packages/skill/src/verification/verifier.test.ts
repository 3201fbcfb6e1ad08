import { type DevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCertFetcher } from './cert-fetcher';
import { DAY, envelope, MERCHANT_ID, makeCa, makeSigner, NOW, SKILL_ID } from './test-fixtures';
import { type AlexaVerifier, createAlexaVerifier, type VerifyResult } from './verifier';

const enc = (s: string) => new TextEncoder().encode(s);

describe('createAlexaVerifier', () => {
  const signers: Record<string, DevSigner> = {};
  let verifier: AlexaVerifier;
  let clock = NOW;
  const networkCalls: string[] = [];

  beforeAll(async () => {
    const [rsaRoot, ecRoot, stranger] = await Promise.all([makeCa('RSA'), makeCa('ECDSA'), makeCa('ECDSA')]);
    const made = await Promise.all([
      makeSigner(rsaRoot, 'rsa'),
      makeSigner(ecRoot, 'ec'),
      makeSigner(ecRoot, 'expired', { notBefore: NOW - 20 * DAY, notAfter: NOW - DAY }),
      makeSigner(ecRoot, 'early', { notBefore: NOW + DAY, notAfter: NOW + 20 * DAY }),
      makeSigner(stranger, 'stranger', { freshKey: true }),
      makeSigner(ecRoot, 'wrong-san', { san: ['pitchline.example'] }),
    ]);
    const chains: Record<string, string> = {};
    for (const { issued, signer } of made) {
      const name = signer.certUrl.split('/').pop() as string;
      chains[name] = issued.chainPem;
      signers[name.replace('.pem', '')] = signer;
    }
    verifier = createAlexaVerifier({
      resolveSkill: async (id) => (id === SKILL_ID ? { merchantId: MERCHANT_ID } : null),
      now: () => clock,
      extraTrustedRoots: [rsaRoot.certPem, ecRoot.certPem],
      fetcher: createCertFetcher({
        prepublished: chains,
        fetch: async (url) => {
          networkCalls.push(String(url));
          throw new Error('offline');
        },
      }),
    });
  });

  function signed(body: string, signer: DevSigner, certUrl?: string) {
    const headers: Record<string, string> = { ...signAlexaRequest(body, signer) };
    if (certUrl !== undefined) headers.SignatureCertChainUrl = certUrl;
    return verifier.verify(new Headers(headers), enc(body));
  }

  function expectRejected(result: VerifyResult, reason: string) {
    expect(result.ok ? 'accepted' : result.reason).toBe(reason);
  }

  it.each(['rsa', 'ec'])(
    'accepts a request signed under the %s root, returning the envelope and merchant',
    async (n) => {
      clock = NOW;
      const body = envelope();
      const result = await signed(body, signers[n] as DevSigner);
      expect(result).toEqual({
        ok: true,
        envelope: JSON.parse(body),
        skill: { skillId: SKILL_ID, merchantId: MERCHANT_ID },
      });
    },
  );

  it('rejects a wrong signature, a body changed by one byte, and a signature by another key', async () => {
    clock = NOW;
    const signer = signers.rsa as DevSigner;
    const body = envelope();
    const other = envelope({ extra: 'other' });
    const sig = signAlexaRequest(other, signer);
    expectRejected(await verifier.verify(new Headers({ ...sig }), enc(body)), 'bad_signature');

    const tampered = enc(body);
    const at = body.indexOf('en-US') + 4;
    tampered[at] = 'T'.charCodeAt(0); // still valid JSON: en-UT
    const good = new Headers({ ...signAlexaRequest(body, signer) });
    expectRejected(await verifier.verify(good, tampered), 'bad_signature');
    expect((await verifier.verify(good, enc(body))).ok).toBe(true);

    const foreign = {
      ...signAlexaRequest(body, signers.stranger as DevSigner),
      SignatureCertChainUrl: signer.certUrl,
    };
    expectRejected(await verifier.verify(new Headers(foreign), enc(body)), 'bad_signature');
    const garbage = { ...signAlexaRequest(body, signer), 'Signature-256': 'not base64!' };
    expectRejected(await verifier.verify(new Headers(garbage), enc(body)), 'bad_signature');
  });

  it('rejects expired, not-yet-valid, untrusted and SAN-mismatched certificates', async () => {
    clock = NOW;
    const body = envelope();
    expectRejected(await signed(body, signers.expired as DevSigner), 'cert_expired');
    expectRejected(await signed(body, signers.early as DevSigner), 'cert_not_yet_valid');
    expectRejected(await signed(body, signers.stranger as DevSigner), 'cert_untrusted');
    expectRejected(await signed(body, signers['wrong-san'] as DevSigner), 'cert_san_mismatch');
  });

  it('applies the URL rules before any download', async () => {
    clock = NOW;
    const body = envelope();
    const signer = signers.rsa as DevSigner;
    for (const url of [
      'https://s3.amazonaws.com/echo.api/../evil/rsa.pem',
      'http://s3.amazonaws.com/echo.api/rsa.pem',
      'https://s3.amazonaws.com:563/echo.api/rsa.pem',
      'https://s3.amazonaws.com.evil.com/echo.api/rsa.pem',
      'https://s3.amazonaws.com/EcHo.aPi/rsa.pem',
    ]) {
      expectRejected(await signed(body, signer, url), 'bad_cert_url');
    }
    for (const url of [
      'https://s3.amazonaws.com:443/echo.api/../echo.api/rsa.pem',
      'https://S3.AMAZONAWS.COM/echo.api/rsa.pem',
    ]) {
      expect((await signed(body, signer, url)).ok).toBe(true);
    }
    expect(networkCalls).toEqual([]);
  });

  it('holds requests to 150 s either way, and skill events to an hour', async () => {
    const signer = signers.ec as DevSigner;
    const at = (offset: number, type?: string) =>
      envelope({ timestamp: NOW + offset, ...(type ? { type } : {}) });
    clock = NOW;
    expect((await signed(at(-149_000), signer)).ok).toBe(true);
    expect((await signed(at(149_000), signer)).ok).toBe(true);
    expectRejected(await signed(at(-151_000), signer), 'stale_timestamp');
    expectRejected(await signed(at(151_000), signer), 'future_timestamp');
    const event = 'AlexaSkillEvent.SkillDisabled';
    expect((await signed(at(-3_000_000, event), signer)).ok).toBe(true);
    expectRejected(await signed(at(-3_700_000, event), signer), 'stale_timestamp');
    expectRejected(await signed(at(3_700_000, event), signer), 'future_timestamp');
  });

  it('rejects an unknown skill id, with the claimed id, and does not download for it', async () => {
    clock = NOW;
    const before = verifier.certStore?.stats().downloads;
    const result = await signed(
      envelope({ applicationId: 'amzn1.ask.skill.nobody' }),
      signers.rsa as DevSigner,
    );
    expect(result).toMatchObject({ ok: false, reason: 'unknown_skill', skillId: 'amzn1.ask.skill.nobody' });
    expect(result).not.toHaveProperty('merchantId');
    expect(verifier.certStore?.stats().downloads).toBe(before);
  });

  it('names the merchant on rejections after the skill is known', async () => {
    clock = NOW;
    const result = await signed(envelope(), signers.stranger as DevSigner);
    expect(result).toMatchObject({ ok: false, skillId: SKILL_ID, merchantId: MERCHANT_ID });
  });

  it('rejects missing headers, read case-insensitively from a plain record too', async () => {
    clock = NOW;
    const body = envelope();
    const { 'Signature-256': sig, SignatureCertChainUrl: url } = signAlexaRequest(
      body,
      signers.rsa as DevSigner,
    );
    expectRejected(await verifier.verify({ 'signature-256': sig }, enc(body)), 'missing_headers');
    expectRejected(await verifier.verify({ signaturecertchainurl: url }, enc(body)), 'missing_headers');
    expectRejected(
      await verifier.verify({ 'Signature-256': '', SignatureCertChainUrl: url }, enc(body)),
      'missing_headers',
    );
    expect(
      (await verifier.verify({ 'SIGNATURE-256': sig, signatureCertChainURL: [url] }, enc(body))).ok,
    ).toBe(true);
  });

  it('rejects bodies that are not JSON, not UTF-8, not an envelope, or over 256 KB', async () => {
    clock = NOW;
    const headers = new Headers();
    expectRejected(await verifier.verify(headers, enc('{"version":')), 'invalid_json');
    expectRejected(await verifier.verify(headers, new Uint8Array([0x7b, 0xff, 0x7d])), 'invalid_json');
    expectRejected(await verifier.verify(headers, enc('[1,2]')), 'invalid_envelope');
    expectRejected(await verifier.verify(headers, enc('{"version":"1.0","request":{}}')), 'invalid_envelope');
    const noId = JSON.parse(envelope());
    delete noId.context.System.application;
    delete noId.session.application;
    expectRejected(await verifier.verify(headers, enc(JSON.stringify(noId))), 'invalid_envelope');
    const big = envelope({ extra: 'x'.repeat(256 * 1024) });
    expectRejected(await signed(big, signers.rsa as DevSigner), 'body_too_large');
  });

  it('with verify: false skips certificates, signature and time but still checks size, JSON and skill', async () => {
    const dev = createAlexaVerifier({
      verify: false,
      resolveSkill: async (id) => (id === SKILL_ID ? { merchantId: MERCHANT_ID } : null),
    });
    expect(dev.certStore).toBeUndefined();
    const old = envelope({ timestamp: NOW - 365 * DAY });
    expect(await dev.verify({}, enc(old))).toMatchObject({ ok: true, skill: { merchantId: MERCHANT_ID } });
    expectRejected(await dev.verify({}, enc(envelope({ applicationId: 'nope' }))), 'unknown_skill');
    expectRejected(await dev.verify({}, enc('nope')), 'invalid_json');
    expectRejected(await dev.verify({}, enc(envelope({ extra: 'x'.repeat(300_000) }))), 'body_too_large');
  });
});
