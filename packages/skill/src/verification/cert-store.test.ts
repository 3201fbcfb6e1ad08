import { type DevCa, type DevSigner, signAlexaRequest } from '@pitchline/alexa-kit/dev-ca';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrustStore, type TrustStore } from './cert-chain';
import { CertStore } from './cert-store';
import { DAY, envelope, MERCHANT_ID, makeCa, makeSigner, NOW, SKILL_ID } from './test-fixtures';
import { createAlexaVerifier } from './verifier';

const URL_A = 'https://s3.amazonaws.com/echo.api/a.pem';
const URL_B = 'https://s3.amazonaws.com/echo.api/b.pem';
const URL_C = 'https://s3.amazonaws.com/echo.api/c.pem';
const URL_D = 'https://s3.amazonaws.com/echo.api/d.pem';

describe('CertStore', () => {
  let ca: DevCa;
  let trust: TrustStore;
  let chain: string;

  beforeAll(async () => {
    ca = await makeCa('ECDSA');
    trust = createTrustStore([], [ca.certPem]);
    chain = (await makeSigner(ca, 'a')).issued.chainPem;
  });

  function counting(serve: (url: string) => string | Promise<string>) {
    const calls: string[] = [];
    return {
      calls,
      fetcher: async (url: string) => {
        calls.push(url);
        await new Promise((r) => setTimeout(r, 20));
        return serve(url);
      },
    };
  }

  it('shares one download among concurrent requests and parses the key once for many', async () => {
    const { calls, fetcher } = counting(() => chain);
    const store = new CertStore({ fetcher, trust, now: () => NOW });
    const first = await Promise.all(Array.from({ length: 25 }, () => store.get(URL_A)));
    for (let i = 0; i < 200; i += 1) await store.get(URL_A);
    expect(calls).toEqual([URL_A]);
    expect(store.stats()).toEqual({ downloads: 1, keyParses: 1, cached: 1, failed: 0, limited: 0 });
    // Every request gets the same KeyObject: nothing is re-parsed per request.
    const keys = new Set(first.map((r) => (r.ok ? r.publicKey : undefined)));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toBeDefined();
  });

  it('keeps failures briefly, then tries again', async () => {
    let clock = NOW;
    const { calls, fetcher } = counting(() => {
      throw new Error('S3 is down');
    });
    const store = new CertStore({ fetcher, trust, now: () => clock, failureTtlMs: 10_000 });
    expect(await store.get(URL_A)).toMatchObject({
      ok: false,
      reason: 'cert_fetch_failed',
      detail: 'S3 is down',
    });
    await store.get(URL_A);
    expect(calls).toHaveLength(1);
    clock += 10_001;
    await store.get(URL_A);
    expect(calls).toHaveLength(2);
  });

  it('is bounded, evicting the least recently used URL', async () => {
    const { calls, fetcher } = counting(() => chain);
    const store = new CertStore({ fetcher, trust, now: () => NOW, maxEntries: 2 });
    await store.get(URL_A);
    await store.get(URL_B);
    await store.get(URL_A); // A is now the most recent
    await store.get(URL_C); // evicts B
    expect(store.stats().cached).toBe(2);
    await store.get(URL_A);
    expect(calls).toEqual([URL_A, URL_B, URL_C]);
    await store.get(URL_B);
    expect(calls).toEqual([URL_A, URL_B, URL_C, URL_B]);
  });

  it('downloads again once the signing certificate expires, picking up a rotated certificate', async () => {
    const expiresAt = NOW + 60_000;
    const old = await makeSigner(ca, 'a', { notAfter: expiresAt });
    const rotated = await makeSigner(ca, 'a', { notAfter: NOW + 30 * DAY, freshKey: true });
    let serving = old.issued.chainPem;
    const { calls, fetcher } = counting(() => serving);
    let clock = NOW;
    const verifier = createAlexaVerifier({
      resolveSkill: async () => ({ merchantId: MERCHANT_ID }),
      now: () => clock,
      certStore: new CertStore({ fetcher, trust, now: () => clock }),
    });
    const request = (signer: DevSigner) => {
      const body = envelope({ timestamp: clock });
      return verifier.verify(
        new Headers({ ...signAlexaRequest(body, signer), SignatureCertChainUrl: URL_A }),
        Buffer.from(body),
      );
    };

    expect((await request(old.signer)).ok).toBe(true);
    clock = expiresAt - 1_000;
    expect((await request(old.signer)).ok).toBe(true);
    expect(calls).toHaveLength(1);

    serving = rotated.issued.chainPem;
    clock = expiresAt + 1_000;
    const afterExpiry = await request(rotated.signer);
    expect(afterExpiry).toMatchObject({ ok: true, skill: { skillId: SKILL_ID } });
    expect(calls).toHaveLength(2);
    expect(verifier.certStore?.stats()).toMatchObject({ downloads: 2, keyParses: 2 });
    // The old key is gone with the old certificate.
    expect(await request(old.signer)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('a flood of unique bad certificate URLs neither evicts a valid chain nor fetches more than the cap', async () => {
    let clock = NOW;
    const { calls, fetcher } = counting((url) => (url === URL_A ? chain : 'not a certificate'));
    const store = new CertStore({ fetcher, trust, now: () => clock, maxFetchesPerMinute: 5 });
    expect(await store.get(URL_A)).toMatchObject({ ok: true });

    const flood = Array.from({ length: 500 }, (_, i) => `https://s3.amazonaws.com/echo.api/junk-${i}.pem`);
    const results = [];
    for (const url of flood) results.push(await store.get(url));
    expect(results.every((r) => !r.ok)).toBe(true);
    // The cap counts distinct URLs fetched in the minute, the valid one included.
    expect(calls.filter((u) => u !== URL_A)).toHaveLength(4);
    expect(results.filter((r) => !r.ok && r.reason === 'cert_fetch_limited')).toHaveLength(496);

    // The valid chain is still cached: no download, same answer.
    expect(await store.get(URL_A)).toMatchObject({ ok: true });
    expect(calls.filter((u) => u === URL_A)).toHaveLength(1);
    // A URL that failed is remembered (negative cache): asked again, it is not fetched again.
    const failedOnce = calls[1] as string;
    expect(await store.get(failedOnce)).toMatchObject({ ok: false, reason: 'cert_invalid' });
    expect(calls).toHaveLength(5);

    // Next minute the budget is back.
    clock += 60_000;
    await store.get('https://s3.amazonaws.com/echo.api/later.pem');
    expect(calls).toHaveLength(6);
  });

  it('a known-good URL is fetched again after expiry even while the minute budget is spent', async () => {
    const expiresAt = NOW + 60_000;
    const shortLived = (await makeSigner(ca, 'a', { notAfter: expiresAt })).issued.chainPem;
    let clock = NOW;
    const { calls, fetcher } = counting((url) => (url === URL_A ? shortLived : 'junk'));
    const store = new CertStore({ fetcher, trust, now: () => clock, maxFetchesPerMinute: 2 });
    expect(await store.get(URL_A)).toMatchObject({ ok: true });
    clock = expiresAt + 1;
    // Another minute: two junk URLs spend its budget, a third is refused without a download.
    await store.get(URL_B);
    await store.get(URL_C);
    expect(await store.get(URL_D)).toMatchObject({ ok: false, reason: 'cert_fetch_limited' });
    // A's chain expired: it is downloaded again (and now fails validation as expired, which is the
    // point: the check happened rather than being refused by the cap).
    expect(await store.get(URL_A)).toMatchObject({ ok: false, reason: 'cert_expired' });
    expect(calls).toEqual([URL_A, URL_B, URL_C, URL_A]);
  });
});
