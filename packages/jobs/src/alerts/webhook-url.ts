import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type AddressPolicy, refusedAddress } from './address-policy';

/*
 * Whether a webhook URL may be called, checked when a rule is saved and again before every delivery
 * (DNS may have changed since). The answer names what is wrong in words an owner can act on.
 */

export type ResolvedAddress = { address: string; family: number };
export type Lookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: Lookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export type WebhookPolicy = AddressPolicy & { lookup?: Lookup };

/** The policy of a server: loopback only outside production. */
export function webhookPolicyFor(production: boolean, lookup?: Lookup): WebhookPolicy {
  return { allowLoopback: !production, lookup };
}

export type UrlCheck = { ok: true; url: URL; addresses: ResolvedAddress[] } | { ok: false; reason: string };

const refuse = (reason: string): UrlCheck => ({ ok: false, reason });

/** The host as DNS and the address check read it: IPv6 literals lose their brackets. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

export async function checkWebhookUrl(raw: string, policy: WebhookPolicy): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return refuse('This is not a web address: enter a full URL starting with https://');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refuse(`Webhooks are sent over http or https only, not ${url.protocol.replace(/:$/, '')}.`);
  }
  if (url.username || url.password) {
    return refuse('Leave the user name and password out of the URL; deliveries are signed instead.');
  }
  const host = bareHost(url);
  if (isIP(host)) {
    const why = refusedAddress(host, policy);
    return why
      ? refuse(`This server does not send webhooks to ${host}: it is ${why}.`)
      : { ok: true, url, addresses: [] };
  }
  let addresses: ResolvedAddress[];
  try {
    addresses = await (policy.lookup ?? systemLookup)(host);
  } catch {
    return refuse(`${host} cannot be reached: its name does not resolve to any address.`);
  }
  if (addresses.length === 0) return refuse(`${host} cannot be reached: its name resolves to no address.`);
  for (const { address } of addresses) {
    const why = refusedAddress(address, policy);
    if (why)
      return refuse(`This server does not send webhooks to ${host}: it resolves to ${address}, ${why}.`);
  }
  return { ok: true, url, addresses };
}
