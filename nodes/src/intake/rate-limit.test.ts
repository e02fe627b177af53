// Per-client rate limits: the token bucket, the client key, and the public routes answering 429
// with retry-after once a client is over its limit — with a small limit and a pinned clock, and
// once through the node app with its default limits.
import { count } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNodeConfig } from '../config.ts';
import { cases } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { clientAddress, clientKey, createTokenBucket, DEFAULT_INTAKE_LIMITS } from './rate-limit.ts';
import { body, intakeApp, missingReport } from './test-fixtures.ts';

describe('the token bucket', () => {
  it('allows `limit` at once, then one more per window/limit, and says when', () => {
    let now = 0;
    const bucket = createTokenBucket({ limit: 3, windowSeconds: 60 }, { now: () => now });
    expect([1, 2, 3].map(() => bucket.take('a').ok)).toEqual([true, true, true]);
    expect(bucket.take('a')).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(bucket.take('b').ok).toBe(true);
    now = 19_000;
    expect(bucket.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now = 20_000;
    expect(bucket.take('a').ok).toBe(true);
    expect(bucket.take('a').ok).toBe(false);
    now = 10 * 60_000;
    expect([1, 2, 3, 4].map(() => bucket.take('a').ok)).toEqual([true, true, true, false]);
  });

  it('forgets the least recently seen client beyond maxClients, never more', () => {
    const bucket = createTokenBucket({ limit: 1, windowSeconds: 60 }, { now: () => 0, maxClients: 2 });
    for (const client of ['a', 'b', 'c']) expect(bucket.take(client).ok).toBe(true);
    expect(bucket.take('c').ok).toBe(false);
    expect(bucket.take('b').ok).toBe(false);
    expect(bucket.take('a').ok).toBe(true); // forgotten: starts again
  });
});

describe('the client key', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s → %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
  });
});

describe('the client address behind trusted proxies (KHOJ_TRUSTED_PROXIES)', () => {
  const proxies = ['10.0.0.5', '10.0.0.6'];
  const addressOf = async (peer: string, forwardedFor?: string, trusted = proxies) => {
    const app = new Hono<NodeEnv>().get('/', (c) => c.text(clientAddress(c, trusted) ?? 'none'));
    const headers: Record<string, string> =
      forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor };
    const response = await app.request('/', { headers }, {
      incoming: { socket: { remoteAddress: peer } },
    } as never);
    return response.text();
  };

  it('believes X-Forwarded-For only from a trusted proxy, and only its right-most untrusted entry', async () => {
    // A client talking to the node directly cannot name another client.
    expect(await addressOf('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(await addressOf('203.0.113.7', '198.51.100.1', [])).toBe('203.0.113.7');
    // Through the terminator: the address it saw, not what the client wrote to the left of it.
    expect(await addressOf('10.0.0.5', '198.51.100.1')).toBe('198.51.100.1');
    expect(await addressOf('::ffff:10.0.0.5', 'forged, 198.51.100.1')).toBe('198.51.100.1');
    expect(await addressOf('10.0.0.5', '198.51.100.9, 198.51.100.1, 10.0.0.6')).toBe('198.51.100.1');
    // Entries with a port, as some terminators write them.
    expect(await addressOf('10.0.0.5', '198.51.100.1:51234')).toBe('198.51.100.1');
    expect(await addressOf('10.0.0.5', '[2001:db8::7]:443')).toBe('2001:db8::7');
    // An IPv6 proxy is trusted by its exact address, not its /64.
    const v6 = ['2001:db8:1:2::10'];
    expect(await addressOf('2001:db8:1:2:0:0:0:10', '198.51.100.1', v6)).toBe('198.51.100.1');
    expect(await addressOf('2001:db8:1:2::11', '198.51.100.1', v6)).toBe('2001:db8:1:2::11');
    // No header, or one that is not a list of addresses: the proxy itself, one client.
    expect(await addressOf('10.0.0.5')).toBe('10.0.0.5');
    expect(await addressOf('10.0.0.5', 'not an address')).toBe('10.0.0.5');
  });

  it('refuses a configuration that lists anything but addresses, naming the variable', () => {
    const env = { KHOJ_NODE_HOME: '/tmp/node' };
    expect(readNodeConfig({ ...env, KHOJ_TRUSTED_PROXIES: '10.0.0.5, ::1' }).trustedProxies).toEqual([
      '10.0.0.5',
      '::1',
    ]);
    expect(readNodeConfig(env).trustedProxies).toEqual([]);
    expect(() => readNodeConfig({ ...env, KHOJ_TRUSTED_PROXIES: 'proxy.example' })).toThrow(
      /KHOJ_TRUSTED_PROXIES/,
    );
  });
});

describe('the public routes under their limits', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await createTestNode('IN-WB');
    await node.unit({ type: 'police_station' });
  });
  afterAll(async () => node?.cleanup());

  const caseCount = async () => (await node.services.db.select({ n: count() }).from(cases))[0]?.n;

  it('answers 429 RATE_LIMITED with retry-after past the limit, per client, until the bucket refills', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const call = intakeApp(node, {
      limits: {
        ...DEFAULT_INTAKE_LIMITS,
        submissions: { limit: 2, windowSeconds: 600 },
        searches: { limit: 3, windowSeconds: 60 },
      },
      now: () => now,
    });
    const before = await caseCount();
    // Invalid submissions count too: the limit comes before validation.
    expect((await call('POST', '/v1/public/reports/missing', {})).status).toBe(400);
    expect((await call('POST', '/v1/public/sightings', {})).status).toBe(400);
    const limited = await call('POST', '/v1/public/reports/missing', missingReport);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('300');
    expect((await body(limited)).error.code).toBe('RATE_LIMITED');
    expect(await caseCount()).toBe(before);
    // Another client is not affected; another address in the same IPv6 /64 is the same client.
    expect((await call('POST', '/v1/public/reports/missing', missingReport, '198.51.100.1')).status).toBe(
      202,
    );
    for (let i = 0; i < 3; i++)
      expect((await call('GET', '/v1/public/notices', undefined, '2001:db8::1')).status).toBe(200);
    const searches = await call('GET', '/v1/public/notices', undefined, '2001:db8::2');
    expect(searches.status).toBe(429);
    expect(searches.headers.get('retry-after')).toBe('20');
    now += 20_000;
    expect((await call('GET', '/v1/public/notices', undefined, '2001:db8::3')).status).toBe(200);
  });

  it('limits the node app itself (default: 10 reports per 10 minutes per client)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= DEFAULT_INTAKE_LIMITS.submissions.limit; i++)
      statuses.push((await node.request(undefined, 'POST', '/v1/public/sightings', { bad: i })).status);
    expect(statuses).toEqual([...Array(10).fill(400), 429]);
  });
});
