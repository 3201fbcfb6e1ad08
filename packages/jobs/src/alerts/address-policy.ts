import { BlockList, isIP } from 'node:net';

/*
 * Which addresses a webhook may reach. A webhook URL is typed by a merchant's owner and called by the
 * server, so without this an owner could make the server probe its own network (cloud metadata at
 * 169.254.169.254, an admin port on 127.0.0.1, a database on 10.x): server-side request forgery. Every
 * address a hostname resolves to is checked, and the connection is made to a checked address only
 * (webhook-request.ts pins it), so DNS cannot answer one address to the check and another to the call.
 */

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Never reachable from a webhook: private, link-local, shared, reserved, multicast and documentation ranges. */
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address an IPv6 one carries (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96), if any. */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const hi = Number.parseInt(hex[1] as string, 16);
  const lo = Number.parseInt(hex[2] as string, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export type AddressPolicy = {
  /** Loopback (127.0.0.0/8, ::1) is allowed outside production only, so tests can run a local receiver. */
  allowLoopback: boolean;
};

/** Why `address` may not be called, in words that follow "it is"; undefined when it may. */
export function refusedAddress(address: string, policy: AddressPolicy): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  const v4 = family === 6 ? embeddedIpv4(address) : undefined;
  if (v4) return refusedAddress(v4, policy);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(address, type)) {
    return policy.allowLoopback ? undefined : 'a loopback address (this server itself)';
  }
  if (internal.check(address, type)) {
    return 'a private, link-local or reserved address, not one on the public internet';
  }
  return undefined;
}
