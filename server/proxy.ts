/**
 * Who the client is and whether it came over HTTPS, when the records service runs behind the council's
 * reverse proxy. A proxy is trusted only when configured (TRUST_PROXY): then the client address is the
 * nearest address in X-Forwarded-For that is not a trusted proxy (proxy-addr, as Express does it), and
 * X-Forwarded-Proto says whether the client's connection was HTTPS. Untrusted, both headers are ignored: a
 * client cannot name itself someone else to the rate limits or the audit trail, nor mark itself secure.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import proxyaddr from 'proxy-addr';

export interface RequestOrigin {
  /** The client's address, which rate limits and the audit trail name. */
  clientAddress: (c: Context) => string;
  /** Whether the client reached the service over HTTPS (cookies are then Secure, and HSTS is sent). */
  isHttps: (c: Context) => boolean;
}

/** TRUST_PROXY as configured: unset trusts no proxy; else proxy-addr's list ("loopback", "10.0.0.0/8", …). */
export function parseTrustProxy(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '' || value.trim() === 'false') return [];
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Throws a readable error for an entry proxy-addr does not understand. */
export function checkTrustProxy(entries: readonly string[]): void {
  proxyaddr.compile([...entries]);
}

const socketAddress = (c: Context): string | undefined => {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
};

export function requestOrigin(trusted: readonly string[]): RequestOrigin {
  const trust = proxyaddr.compile([...trusted]);
  const peerIsTrusted = (c: Context) => {
    const peer = socketAddress(c);
    return trusted.length > 0 && peer !== undefined && trust(peer, 0);
  };
  return {
    clientAddress: (c) => {
      const peer = socketAddress(c);
      if (peer === undefined) return 'unknown';
      if (trusted.length === 0) return peer;
      // proxy-addr reads a Node request; only these two fields.
      const request = {
        headers: { 'x-forwarded-for': c.req.header('X-Forwarded-For') },
        connection: { remoteAddress: peer },
        socket: { remoteAddress: peer },
      } as unknown as Parameters<typeof proxyaddr>[0];
      return proxyaddr(request, trust);
    },
    isHttps: (c) => {
      if (new URL(c.req.url).protocol === 'https:') return true;
      if (!peerIsTrusted(c)) return false;
      // The proxy nearest us says what the client's connection was (the last value, if several).
      const proto = c.req.header('X-Forwarded-Proto')?.split(',').pop()?.trim().toLowerCase();
      return proto === 'https';
    },
  };
}
