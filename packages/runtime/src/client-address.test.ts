import { describe, expect, it } from 'vitest';
import { clientAddressFrom, parseTrustedProxy } from './client-address';

/** A request as @hono/node-server hands it to a handler: the socket's peer and the headers. */
const request = (peer: string, forwardedFor?: string) => ({
  env: { incoming: { socket: { remoteAddress: peer } } },
  req: { header: (name: string) => (name === 'x-forwarded-for' ? forwardedFor : undefined) },
});

describe('client address', () => {
  it('ignores X-Forwarded-For without trusted proxies (anyone can write it)', () => {
    expect(clientAddressFrom([])(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientAddressFrom(['10.0.0.0/8'])(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
  });

  it('takes the right-most hop that is not a trusted proxy, so a forged left part does not count', () => {
    const clientIp = clientAddressFrom(['10.0.0.0/8', '127.0.0.1']);
    expect(clientIp(request('10.1.2.3', '198.51.100.1'))).toBe('198.51.100.1');
    expect(clientIp(request('10.1.2.3', '1.2.3.4, 198.51.100.1, 10.9.9.9'))).toBe('198.51.100.1');
    expect(clientIp(request('::ffff:127.0.0.1', '198.51.100.7'))).toBe('198.51.100.7');
    // Nothing forwarded, or only our own proxies: the left-most (or the peer) is all there is.
    expect(clientIp(request('10.1.2.3'))).toBe('10.1.2.3');
    expect(clientIp(request('10.1.2.3', '10.2.2.2, 10.3.3.3'))).toBe('10.2.2.2');
  });

  it('accepts addresses and CIDR blocks of both families, nothing else', () => {
    expect(parseTrustedProxy('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseTrustedProxy('fd00::/8')?.family).toBe('ipv6');
    expect(parseTrustedProxy('::1')?.prefix).toBe(128);
    for (const bad of ['proxy.local', '10.0.0.0/33', '10.0.0.0/x', '1.2.3.4/8/9', '']) {
      expect(parseTrustedProxy(bad)).toBeUndefined();
    }
  });
});
