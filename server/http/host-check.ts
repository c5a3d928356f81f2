/**
 * Refuses requests whose `Host` is not one this server answers to (421), so a page on an
 * attacker's domain that DNS-rebinds to this machine cannot drive the API or the sync endpoint
 * with a signed-in browser. By default the server answers to localhost names and the machine's
 * own names and addresses; `PUBLIC_URL` and `ALLOWED_HOSTS` add more.
 */
import { Elysia } from 'elysia';
import { hostname, networkInterfaces } from 'node:os';
import { HttpError, problemResponse } from './problem.ts';

/** Which `Host` names are accepted: exact names, `.example.com` suffixes, or anything (`*`). */
export interface HostPolicy {
  any: boolean;
  names: Set<string>;
  suffixes: string[];
}

/** The host name of a `Host` header, lower-case, without port or IPv6 brackets. */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']'));
  // One colon: name and port. More: a bare IPv6 address, which has no port without brackets.
  const colon = value.indexOf(':');
  return colon === -1 || value.indexOf(':', colon + 1) !== -1 ? value : value.slice(0, colon);
}

/** The names a machine is reachable by without any configuration. */
export function machineNames(): string[] {
  const names = ['localhost', '127.0.0.1', '::1', hostname().toLowerCase()];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) names.push(address.address.toLowerCase().replace(/%.*$/, ''));
  }
  return names;
}

/** The policy for `ALLOWED_HOSTS` (null: the defaults) and `PUBLIC_URL`. */
export function hostPolicy(allowedHosts: string[] | null, publicUrl: string | null): HostPolicy {
  const entries = allowedHosts ?? machineNames();
  const policy: HostPolicy = { any: false, names: new Set(), suffixes: ['.localhost'] };
  for (const entry of entries) {
    if (entry === '*') policy.any = true;
    else if (entry.startsWith('.')) policy.suffixes.push(entry.toLowerCase());
    else policy.names.add(hostName(entry));
  }
  if (publicUrl) policy.names.add(new URL(publicUrl).hostname.toLowerCase().replace(/^\[|\]$/g, ''));
  return policy;
}

export function hostAllowed(policy: HostPolicy, header: string | null): boolean {
  if (policy.any) return true;
  if (!header) return false;
  const name = hostName(header);
  return policy.names.has(name) || policy.suffixes.some((suffix) => name.endsWith(suffix));
}

/** The check, first of all request hooks. */
export function hostCheck(policy: HostPolicy) {
  return new Elysia({ name: 'host-check' }).onRequest(({ request }) => {
    const host = request.headers.get('host');
    if (hostAllowed(policy, host)) return;
    const error = new HttpError(
      421,
      'Misdirected Request',
      `this server does not answer to the host ${JSON.stringify((host ?? '').slice(0, 100))}; add it to ALLOWED_HOSTS or set PUBLIC_URL`,
    );
    return problemResponse(error, new URL(request.url).pathname);
  });
}
