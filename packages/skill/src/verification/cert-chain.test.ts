import 'reflect-metadata';
import { createPrivateKey, KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { DevCa } from '@pitchline/alexa-kit/dev-ca';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCertificateChain, createTrustStore, splitPemCertificates, type TrustStore } from './cert-chain';
import { DAY, makeCa, makeSigner, NOW } from './test-fixtures';

/** An intermediate CA under `root` (dev-ca only issues root → leaf; Amazon's chains have intermediates). */
async function makeIntermediate(root: DevCa, ca: boolean): Promise<DevCa> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256' };
  const rootKey = await webcrypto.subtle.importKey(
    'pkcs8',
    createPrivateKey(root.keyPem).export({ type: 'pkcs8', format: 'der' }),
    alg,
    false,
    ['sign'],
  );
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create(
    {
      subject: `CN=Test Intermediate ${ca ? 'CA' : 'not a CA'}`,
      issuer: new x509.X509Certificate(root.certPem).subject,
      publicKey: keys.publicKey,
      signingKey: rootKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      notBefore: new Date(NOW - 100 * DAY),
      notAfter: new Date(NOW + 100 * DAY),
      extensions: [new x509.BasicConstraintsExtension(ca, undefined, true)],
    },
    webcrypto,
  );
  return {
    certPem: cert.toString('pem'),
    keyPem: KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

describe('checkCertificateChain', () => {
  let rsaRoot: DevCa;
  let ecRoot: DevCa;
  let trust: TrustStore;

  beforeAll(async () => {
    [rsaRoot, ecRoot] = await Promise.all([makeCa('RSA'), makeCa('ECDSA')]);
    trust = createTrustStore([rsaRoot.certPem, ecRoot.certPem]);
  });

  it.each(['RSA', 'ECDSA'] as const)(
    'accepts a leaf under a trusted %s root and caches until notAfter',
    async (alg) => {
      const { issued } = await makeSigner(alg === 'RSA' ? rsaRoot : ecRoot, 'x', { notAfter: NOW + 7 * DAY });
      const result = checkCertificateChain(issued.chainPem, trust, NOW);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.publicKey.asymmetricKeyType).toBe('rsa');
      expect(result.validUntil).toBe(NOW + 7 * DAY);
    },
  );

  it('keeps Node bundled roots alongside the extra ones', () => {
    const withDefaults = createTrustStore([rsaRoot.certPem]);
    expect(withDefaults.size).toBeGreaterThan(100);
  });

  it('rejects expired and not-yet-valid leaves', async () => {
    const { issued: expired } = await makeSigner(rsaRoot, 'x', {
      notBefore: NOW - 10 * DAY,
      notAfter: NOW - DAY,
    });
    expect(checkCertificateChain(expired.chainPem, trust, NOW)).toMatchObject({
      ok: false,
      reason: 'cert_expired',
    });
    const { issued: early } = await makeSigner(rsaRoot, 'x', {
      notBefore: NOW + DAY,
      notAfter: NOW + 10 * DAY,
    });
    expect(checkCertificateChain(early.chainPem, trust, NOW)).toMatchObject({
      ok: false,
      reason: 'cert_not_yet_valid',
    });
  });

  it('rejects a chain to a root that is not trusted, even when the download includes that root', async () => {
    const stranger = await makeCa('ECDSA');
    const { issued } = await makeSigner(stranger, 'x');
    expect(splitPemCertificates(issued.chainPem)).toHaveLength(2);
    expect(checkCertificateChain(issued.chainPem, trust, NOW)).toMatchObject({
      ok: false,
      reason: 'cert_untrusted',
    });
    // The default trust set does not know our CA either.
    expect(checkCertificateChain(issued.chainPem, createTrustStore(), NOW)).toMatchObject({
      reason: 'cert_untrusted',
    });
  });

  it('rejects a leaf forged with a trusted root subject but another key', async () => {
    const impostor = await makeCa('ECDSA');
    // Issuer name and key identifiers copied from ecRoot, signature from another key: the name alone
    // must never link a certificate to a root.
    const { issued } = await makeSigner({ certPem: ecRoot.certPem, keyPem: impostor.keyPem }, 'x');
    expect(checkCertificateChain(issued.chainPem, trust, NOW)).toMatchObject({
      ok: false,
      reason: 'cert_untrusted',
    });
  });

  it('rejects a leaf without DNS:echo-api.amazon.com', async () => {
    for (const san of [['echo-api.amazon.com.evil.com'], ['*.amazon.com'], ['evil.com'], []]) {
      const { issued } = await makeSigner(rsaRoot, 'x', { san });
      expect(checkCertificateChain(issued.chainPem, trust, NOW)).toMatchObject({
        ok: false,
        reason: 'cert_san_mismatch',
      });
    }
    const { issued } = await makeSigner(rsaRoot, 'x', { san: ['other.example', 'echo-api.amazon.com'] });
    expect(checkCertificateChain(issued.chainPem, trust, NOW).ok).toBe(true);
  });

  it('walks intermediates in any order, and refuses an intermediate that is not a CA', async () => {
    const inter = await makeIntermediate(ecRoot, true);
    const { issued } = await makeSigner(inter, 'x', { notAfter: NOW + 200 * DAY });
    const [leafPem] = splitPemCertificates(issued.chainPem);
    const shuffled = [leafPem, ecRoot.certPem, inter.certPem].join('\n');
    const ok = checkCertificateChain(shuffled, trust, NOW);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.validUntil).toBe(NOW + 100 * DAY);
    expect(checkCertificateChain(leafPem as string, trust, NOW)).toMatchObject({ reason: 'cert_untrusted' });
    // The intermediate's own expiry ends the chain, though the leaf is still valid.
    expect(checkCertificateChain(shuffled, trust, NOW + 101 * DAY)).toMatchObject({
      reason: 'cert_expired',
      detail: expect.stringMatching(/^intermediate/),
    });

    const notCa = await makeIntermediate(ecRoot, false);
    const { issued: underNotCa } = await makeSigner(notCa, 'x');
    expect(checkCertificateChain(underNotCa.chainPem, trust, NOW)).toMatchObject({
      reason: 'cert_untrusted',
    });
  });

  it('rejects downloads that are not certificates', () => {
    expect(checkCertificateChain('hello', trust, NOW)).toMatchObject({ reason: 'cert_invalid' });
    const garbage = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    expect(checkCertificateChain(garbage, trust, NOW)).toMatchObject({ reason: 'cert_invalid' });
  });
});
