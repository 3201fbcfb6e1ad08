import { describe, expect, it } from 'vitest';
import { refusedAddress } from './address-policy';
import { checkWebhookUrl, type Lookup, webhookPolicyFor } from './webhook-url';

/** A DNS of our own: names map to addresses; anything else does not resolve (ENOTFOUND). */
const dns: Record<string, string[]> = {
  'hooks.example.com': ['93.184.215.14'],
  'sneaky.example.com': ['127.0.0.1'],
  'half-private.example.com': ['93.184.215.14', '10.1.2.3'],
  'metadata.example.com': ['169.254.169.254'],
  'v6-private.example.com': ['fd00::1'],
};
const lookup: Lookup = async (host) => {
  const addresses = dns[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const production = webhookPolicyFor(true, lookup);
const development = webhookPolicyFor(false, lookup);

describe('checkWebhookUrl', () => {
  it.each([
    ['file:///etc/passwd', 'http or https only, not file'],
    ['ftp://hooks.example.com/x', 'http or https only, not ftp'],
    ['gopher://hooks.example.com/', 'http or https only, not gopher'],
    ['not a url', 'not a web address'],
    ['https://user:pass@hooks.example.com/x', 'user name and password'],
    ['http://10.0.0.1/hook', '10.0.0.1: it is a private'],
    ['http://192.168.1.10/hook', '192.168.1.10: it is a private'],
    ['http://172.20.0.5/hook', '172.20.0.5: it is a private'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254: it is a private, link-local'],
    ['http://100.64.0.1/', '100.64.0.1: it is a private'],
    ['http://0.0.0.0:8080/', '0.0.0.0: it is a private'],
    ['http://127.0.0.1:9000/hook', '127.0.0.1: it is a loopback'],
    ['http://[::1]/hook', '::1: it is a loopback'],
    // Other spellings of 127.0.0.1 that URL parsers accept: the parsed host is what is checked.
    ['http://2130706433/hook', '127.0.0.1: it is a loopback'],
    ['http://0x7f.1/hook', '127.0.0.1: it is a loopback'],
    ['http://[::ffff:127.0.0.1]/hook', 'it is a loopback'],
    ['http://[::ffff:a9fe:a9fe]/hook', 'it is a private, link-local'],
    ['http://[fe80::1]/hook', 'fe80::1: it is a private'],
    ['http://[fd12:3456::1]/hook', 'fd12:3456::1: it is a private'],
    ['https://sneaky.example.com/hook', 'sneaky.example.com: it resolves to 127.0.0.1, a loopback address'],
    ['https://half-private.example.com/hook', 'resolves to 10.1.2.3, a private'],
    ['https://metadata.example.com/', 'resolves to 169.254.169.254'],
    ['https://v6-private.example.com/', 'resolves to fd00::1'],
    ['https://no-such-host.invalid/hook', 'no-such-host.invalid cannot be reached'],
  ])('refuses %s on a production server', async (url, words) => {
    const result = await checkWebhookUrl(url, production);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(words);
  });

  it('accepts a public https URL, with every address it resolves to', async () => {
    const result = await checkWebhookUrl('https://hooks.example.com/services/T0/B0/x', production);
    expect(result).toMatchObject({ ok: true, addresses: [{ address: '93.184.215.14', family: 4 }] });
  });

  it('allows loopback outside production only (a local receiver in tests), never the private ranges', async () => {
    for (const url of ['http://127.0.0.1:9000/hook', 'http://[::1]:9000/', 'http://sneaky.example.com/']) {
      expect((await checkWebhookUrl(url, development)).ok).toBe(true);
      expect((await checkWebhookUrl(url, production)).ok).toBe(false);
    }
    for (const url of ['http://10.0.0.1/', 'http://169.254.169.254/', 'https://half-private.example.com/']) {
      expect((await checkWebhookUrl(url, development)).ok).toBe(false);
    }
  });
});

describe('refusedAddress', () => {
  it('lets public addresses through and names what is wrong with the others', () => {
    expect(refusedAddress('8.8.8.8', { allowLoopback: false })).toBeUndefined();
    expect(refusedAddress('2606:4700::1111', { allowLoopback: false })).toBeUndefined();
    expect(refusedAddress('64:ff9b::10.0.0.1', { allowLoopback: false })).toContain('a private');
    expect(refusedAddress('64:ff9b::8.8.8.8', { allowLoopback: false })).toBeUndefined();
    expect(refusedAddress('224.0.0.1', { allowLoopback: true })).toContain('reserved');
    expect(refusedAddress('nonsense', { allowLoopback: true })).toContain('not an IP address');
  });
});
