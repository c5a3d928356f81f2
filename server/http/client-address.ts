/**
 * The address of the client behind a request, for per-address limits. Without `TRUST_PROXY` it
 * is the socket's peer and `X-Forwarded-For` is ignored: anyone can write that header. With it,
 * the header is read from the right, where each proxy appended the address it was connected
 * from, and only as far as the proxies are trusted: the rightmost address that is not a trusted
 * proxy is the client. What lies left of it is whatever the client claimed, and never used.
 */
import { BlockList, isIP } from 'node:net';
import type { TrustProxy } from '../config.ts';

/** Finds a request's client address from its socket peer and its `X-Forwarded-For` header. */
export type ClientAddress = (peer: string, forwardedFor: string | null) => string;

/** An address as a proxy may write it: without IPv6 brackets, a port, or an IPv4-mapped prefix. */
function normalize(address: string): string {
  let value = address.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) value = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  return value.startsWith('::ffff:') && isIP(value.slice(7)) === 4 ? value.slice(7) : value;
}

function proxyList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

/** The addresses of an `X-Forwarded-For` header and the peer, leftmost (the client's claim) first. */
function chainOf(peer: string, forwardedFor: string | null): string[] {
  return [...(forwardedFor ?? '').split(','), peer].map(normalize).filter((entry) => entry !== '');
}

/** The client-address rule `TRUST_PROXY` describes (see `config.ts`). */
export function clientAddressRule(trust: TrustProxy): ClientAddress {
  if (trust === null) return (peer) => normalize(peer);
  if ('hops' in trust) {
    const { hops } = trust;
    // Each trusted hop appended one address: the client is `hops` entries left of the peer.
    return (peer, forwardedFor) => {
      const chain = chainOf(peer, forwardedFor);
      return chain[Math.max(0, chain.length - 1 - hops)]!;
    };
  }
  const proxies = proxyList(trust.cidrs);
  const trusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (peer, forwardedFor) => {
    const chain = chainOf(peer, forwardedFor);
    let index = chain.length - 1;
    while (index > 0 && trusted(chain[index]!)) index--;
    return chain[index]!;
  };
}
