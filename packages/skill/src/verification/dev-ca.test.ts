import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  issueSigningCertificate,
  loadOrCreateDevSigner,
  signAlexaRequest,
} from '@pitchline/alexa-kit/dev-ca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertFetcher } from './cert-fetcher';
import { checkCertUrl } from './cert-url';
import { envelope, MERCHANT_ID, SKILL_ID } from './test-fixtures';
import { createAlexaVerifier } from './verifier';

describe('loadOrCreateDevSigner', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dev-signer-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates one CA and signer even when two callers race, and reuses them afterwards', async () => {
    const [a, b] = await Promise.all([loadOrCreateDevSigner(dir), loadOrCreateDevSigner(dir)]);
    expect(a.ca.certPem).toBe(b.ca.certPem);
    expect(a.signer.certUrl).toBe(b.signer.certUrl);
    expect(checkCertUrl(a.signer.certUrl).ok).toBe(true);
    const again = await loadOrCreateDevSigner(dir);
    expect(again.signer.certUrl).toBe(a.signer.certUrl);
    expect(await readdir(a.chainsDir)).toEqual([a.signer.certUrl.split('/').pop()]);
    expect(await readdir(dir)).not.toContain('.lock');
  });

  it('signs requests that the real verifier accepts, with trust and chains read from the files', async () => {
    const tools = await loadOrCreateDevSigner(dir);
    // The server's side: only file paths cross the process boundary.
    const verifier = createAlexaVerifier({
      resolveSkill: async (id) => (id === SKILL_ID ? { merchantId: MERCHANT_ID } : null),
      extraTrustedRoots: [await readFile(tools.caCertPath, 'utf8')],
      fetcher: createCertFetcher({ prepublishedDir: tools.chainsDir }),
    });
    const body = envelope({ timestamp: Date.now() });
    const result = await verifier.verify(
      new Headers({ ...signAlexaRequest(body, tools.signer) }),
      Buffer.from(body),
    );
    expect(result).toMatchObject({ ok: true, skill: { skillId: SKILL_ID, merchantId: MERCHANT_ID } });

    // Without the dev root, the same request is untrusted: the dev CA is the only thing let in.
    const strict = createAlexaVerifier({
      resolveSkill: async () => ({ merchantId: MERCHANT_ID }),
      fetcher: createCertFetcher({ prepublishedDir: tools.chainsDir }),
    });
    const refused = await strict.verify(
      new Headers({ ...signAlexaRequest(body, tools.signer) }),
      Buffer.from(body),
    );
    expect(refused).toMatchObject({ ok: false, reason: 'cert_untrusted' });
  });

  it('renews an expiring signing certificate under the same CA, at a new URL', async () => {
    const before = await loadOrCreateDevSigner(dir);
    const nearlyExpired = await issueSigningCertificate(before.ca, {
      keyPem: await readFile(join(dir, 'signer.key.pem'), 'utf8'),
      notBefore: new Date(Date.now() - 10 * 86_400_000),
      notAfter: new Date(Date.now() + 3_600_000),
    });
    await writeFile(join(dir, 'signer.pem'), nearlyExpired.certPem);
    await writeFile(join(dir, 'signer.key.pem'), nearlyExpired.keyPem);
    const after = await loadOrCreateDevSigner(dir);
    expect(after.ca.certPem).toBe(before.ca.certPem);
    expect(after.signer.certUrl).not.toBe(before.signer.certUrl);
    const leaf = new X509Certificate(await readFile(join(dir, 'signer.pem'), 'utf8'));
    expect(Date.parse(leaf.validTo)).toBeGreaterThan(Date.now() + 300 * 86_400_000);
  });
});
