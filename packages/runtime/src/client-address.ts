import { BlockList, isIP } from 'node:net';

/*
 * Who the client is, for per-IP login limits. Without trusted proxies it is the socket's peer and
 * X-Forwarded-For is ignored (anyone can write that header). With TRUST_PROXY, a request whose peer is a
 * trusted proxy is attributed to the right-most X-Forwarded-For hop that is not itself a trusted proxy:
 * each proxy appends the address it saw, so hops left of the first untrusted one are the client's own
 * claims and cannot be believed.
 */

/** One TRUST_PROXY entry: an IP address or a CIDR block; undefined when it is neither. */
export function parseTrustedProxy(
  entry: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, ...rest] = entry.trim().split('/');
  if (rest.length > 0) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(max)) || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    return undefined;
  }
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
function normalize(address: string): string {
  const trimmed = address.trim();
  return trimmed.toLowerCase().startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4
    ? trimmed.slice(7)
    : trimmed;
}

export function trustedProxyList(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseTrustedProxy(entry);
    if (!parsed) throw new Error(`not an IP address or CIDR block: ${entry}`);
    list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return (address) => {
    const normalized = normalize(address);
    const version = isIP(normalized);
    return version !== 0 && list.check(normalized, version === 4 ? 'ipv4' : 'ipv6');
  };
}

/** The socket's peer (what @hono/node-server's incoming request carries). */
function socketPeer(c: { env: unknown }): string | undefined {
  return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
    ?.remoteAddress;
}

/** The client's address for a request: the socket's peer, or with trusted proxies the hop they vouch for. */
export function clientAddressFrom(trustedProxies: readonly string[]) {
  const isTrusted = trustedProxyList(trustedProxies);
  return (c: { env: unknown; req: { header(name: string): string | undefined } }): string | undefined => {
    const peer = socketPeer(c);
    if (peer === undefined || trustedProxies.length === 0 || !isTrusted(peer)) return peer && normalize(peer);
    const hops = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map(normalize)
      .filter((hop) => isIP(hop) !== 0);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] as string;
      if (!isTrusted(hop)) return hop;
    }
    // Every hop is a proxy of ours (a health check from inside, say): the left-most is the origin.
    return hops[0] ?? normalize(peer);
  };
}
