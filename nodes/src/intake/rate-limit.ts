// Per-client rate limits for the public routes: a token bucket per client address, in memory.
// That is exact for the embedded node (one process); several API processes each keep their own
// buckets, so a client gets up to N times the limit — a Redis-backed bucket is the fix there.
// The client is the TCP peer: X-Forwarded-For is ignored, since anyone can write it (behind a
// trusted reverse proxy the proxy must do the limiting, or the proxy address must be configured).

import { isIP } from 'node:net';
import { errorResponse } from '@khoj/platform';
import type { Context, MiddlewareHandler } from 'hono';
import type { NodeEnv } from '../env.ts';

/** `limit` requests per `windowSeconds`, refilled continuously. */
export type RateLimit = { limit: number; windowSeconds: number };
export type IntakeLimits = { submissions: RateLimit; searches: RateLimit; photos: RateLimit };

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = {
  submissions: { limit: 10, windowSeconds: 600 },
  searches: { limit: 60, windowSeconds: 60 },
  // A page of notices shows up to 50 photos.
  photos: { limit: 300, windowSeconds: 60 },
};

export type Verdict = { ok: true } | { ok: false; retryAfterSeconds: number };
export type TokenBucket = { take(client: string): Verdict };

/**
 * At most `maxClients` buckets are kept; the least recently seen goes first (a forgotten client
 * merely starts again with a full bucket), so a flood of addresses cannot exhaust memory.
 */
export function createTokenBucket(
  rate: RateLimit,
  options: { now?: () => number; maxClients?: number } = {},
): TokenBucket {
  const now = options.now ?? Date.now;
  const maxClients = options.maxClients ?? 50_000;
  const perMs = rate.limit / (rate.windowSeconds * 1000);
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(client) {
      const at = now();
      const previous = buckets.get(client);
      const tokens = previous
        ? Math.min(rate.limit, previous.tokens + Math.max(0, at - previous.at) * perMs)
        : rate.limit;
      // Re-inserting moves the client to the end: Map order is then least recently seen first.
      buckets.delete(client);
      if (tokens < 1) {
        buckets.set(client, { tokens, at });
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
      }
      buckets.set(client, { tokens: tokens - 1, at });
      if (buckets.size > maxClients) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      return { ok: true };
    },
  };
}

/**
 * The key a client is limited under: its IPv4 address, or the /64 prefix of its IPv6 address
 * (one subscriber usually holds a whole /64 and can hop between its addresses at will).
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = address.match(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i)?.[1];
  if (mapped) return mapped;
  if (!address.includes(':')) return address;
  const bare = address.split('%')[0] ?? address; // drop a zone index (fe80::1%eth0)
  const [head = '', tail] = bare.split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  // An embedded IPv4 address at the end stands for two groups.
  const backCount = back.reduce((n, group) => n + (group.includes('.') ? 2 : 1), 0);
  const full = [...front, ...Array<string>(Math.max(0, 8 - front.length - backCount)).fill('0'), ...back];
  return `${full
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The address of the client a request came from, as `clientKey` wants it: the socket's peer,
 * unless that peer is one of `trustedProxies` (the node's TLS terminators, KHOJ_TRUSTED_PROXIES):
 * then the right-most `X-Forwarded-For` entry that is not itself a trusted proxy — what the
 * nearest trusted proxy saw. Entries further left are written by the client and never believed.
 * `incoming` is absent when the app is called in-process (app.request): undefined then.
 */
export function clientAddress(c: Context<NodeEnv>, trustedProxies: readonly string[]): string | undefined {
  const peer = c.env?.incoming?.socket?.remoteAddress;
  if (!peer || trustedProxies.length === 0) return peer;
  // Exact addresses: a proxy's /64 (clientKey's bucket) is not the proxy.
  const trusted = new Set(trustedProxies.map(exactAddress));
  if (!trusted.has(exactAddress(peer))) return peer;
  const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',');
  for (let index = forwarded.length - 1; index >= 0; index--) {
    const entry = withoutPort(forwarded[index] ?? '');
    if (isIP(entry) === 0) return peer; // a malformed chain: the proxy's own address, limited as one
    if (!trusted.has(exactAddress(entry))) return entry;
  }
  return peer;
}

/** One spelling per address: IPv4 as is (also when IPv4-mapped), IPv6 compressed and lower-case. */
function exactAddress(address: string): string {
  const mapped = address.match(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i)?.[1];
  if (mapped) return mapped;
  if (isIP(address) !== 6) return address;
  try {
    return new URL(`http://[${address.split('%')[0]}]`).hostname;
  } catch {
    return address;
  }
}

/** `1.2.3.4:5678` and `[2001:db8::1]:443`, as some terminators write them, without the port. */
function withoutPort(entry: string): string {
  const trimmed = entry.trim();
  const bracketed = trimmed.match(/^\[([^\]]+)\](?::\d+)?$/)?.[1];
  if (bracketed) return bracketed;
  const v4 = trimmed.match(/^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/)?.[1];
  return v4 ?? trimmed;
}

/** Refuses a request over its client's limit with 429 RATE_LIMITED and `retry-after`. */
export function rateLimited(
  bucket: TokenBucket,
  what: string,
  trustedProxies: readonly string[] = [],
): MiddlewareHandler<NodeEnv> {
  return async (c, next) => {
    const verdict = bucket.take(clientKey(clientAddress(c, trustedProxies)));
    if (!verdict.ok) {
      c.header('retry-after', String(verdict.retryAfterSeconds));
      return errorResponse(
        c,
        'RATE_LIMITED',
        `too many ${what} from your address: try again in ${verdict.retryAfterSeconds} s`,
      );
    }
    await next();
  };
}
