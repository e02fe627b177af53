// What the hub's HTTP boundary (platform's createServiceApp) guarantees, over real TLS on both
// listeners: the security headers on the answer of every registered route, whoever asks, and a
// document too deep to walk (or holding text no store can take) refused with its code before the
// hub reads it. Before the limit, an envelope with 200,000 levels of nesting in its JWE's
// unprotected header overflowed the stack in canonical JSON: 500, before its signature was checked.
import { type Envelope, MAX_DOCUMENT_DEPTH } from '@khoj/contracts';
import { count, eq } from 'drizzle-orm';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubApp } from './app.ts';
import { envelopeRefusals, envelopes } from './db/schema/index.ts';
import { sealedEnvelope } from './testing/envelopes.ts';
import { adminIdentity, type Identity, startTrustHub, type TrustHub } from './testing/trust-fixture.ts';

const SECURITY_HEADERS = {
  'cache-control': /no-store/,
  'x-content-type-options': /^nosniff$/,
  'referrer-policy': /^no-referrer$/,
  'x-frame-options': /^DENY$/,
  'content-security-policy': /^default-src 'none';.*frame-ancestors 'none'$/,
};

/**
 * Answers that are public documents, not personal data, revalidated by ETag instead of never
 * stored (their routes set `no-cache` themselves; the security headers keep a route's own
 * Cache-Control). Another route answering without `no-store` is a decision this list records.
 */
const REVALIDATED_PUBLIC_DOCUMENTS = ['GET /v1/crl', 'GET /v1/crl.pem', 'GET /v1/federation-config'];

/** Raw requests (any method, any body text) over TLS, presenting `identity` if given. */
function rawClient(baseUrl: string, caPem: string, identity?: Identity) {
  const dispatcher = new Agent({
    connect: { ca: caPem, ...(identity ? { cert: identity.certPem, key: identity.keyPem } : {}) },
  });
  return {
    async request(method: string, path: string, body?: string) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        dispatcher,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body,
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text };
    },
    close: () => dispatcher.close(),
  };
}

/** `levels` arrays inside one another, as JSON text (JSON.stringify would overflow the stack). */
const nestedArrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('the hub HTTP boundary', () => {
  let hub: TrustHub;
  const clients: ReturnType<typeof rawClient>[] = [];
  const client = (url: string | undefined, identity?: Identity) => {
    const made = rawClient(url as string, hub.fed.root.certPem, identity);
    clients.push(made);
    return made;
  };

  beforeAll(async () => {
    hub = await startTrustHub('pglite', { nodeIds: ['NP', 'BD'] });
  });
  afterAll(async () => {
    await Promise.all(clients.map((made) => made.close()));
    await hub?.stop();
  });

  it('puts the security headers on the answer of every registered route, on both listeners, whoever asks', async () => {
    const routes = createHubApp(hub.services).routes.filter((route) => route.method !== 'ALL');
    expect(routes.length).toBeGreaterThan(25);
    const callers = {
      member: client(hub.server.url, hub.fed.node('NP')),
      admin: client(hub.server.url, adminIdentity(hub.fed, 'asha', 'admin')),
      anonymous: client(hub.server.publicUrl),
    };
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, (_, param: string) => `${param}_0123456789abcdefghijklmnop`);
      const unsafe = route.method !== 'GET' && route.method !== 'HEAD';
      for (const [who, caller] of Object.entries(callers)) {
        const response = await caller.request(route.method, path, unsafe ? '{}' : undefined);
        const publicDocument =
          response.status === 200 && REVALIDATED_PUBLIC_DOCUMENTS.includes(`${route.method} ${route.path}`);
        for (const [header, pattern] of Object.entries(SECURITY_HEADERS)) {
          const name = `${route.method} ${route.path} as ${who} → ${response.status}: ${header}`;
          const expected = header === 'cache-control' && publicDocument ? /^no-cache$/ : pattern;
          expect(response.headers.get(header) ?? '', name).toMatch(expected);
        }
      }
    }
    const unknown = await callers.anonymous.request('GET', '/nowhere');
    expect(unknown.status).toBe(404);
    for (const [header, pattern] of Object.entries(SECURITY_HEADERS)) {
      expect(unknown.headers.get(header) ?? '').toMatch(pattern);
    }
  });

  describe('an envelope nested too deep', () => {
    const refusals = async () =>
      (await hub.services.db.select({ n: count() }).from(envelopeRefusals))[0]?.n ?? 0;
    const stored = async (id: string) =>
      hub.services.db.select({ id: envelopes.id }).from(envelopes).where(eq(envelopes.id, id));

    /** A real envelope of NP's, with `unprotected` (in its JWE) replaced by `unprotected`'s JSON text. */
    async function envelopeText(unprotected: string): Promise<{ envelope: Envelope; text: string }> {
      const envelope = await sealedEnvelope(hub.fed.node('NP'), [hub.fed.node('BD')]);
      const marked = { ...envelope, payload: { ...envelope.payload, unprotected: { x: '@MARK@' } } };
      return { envelope, text: JSON.stringify(marked).replace('"@MARK@"', unprotected) };
    }

    it('is refused with 400 DOCUMENT_TOO_DEEP, alone or in a batch, and nothing is stored', async () => {
      const np = client(hub.server.url, hub.fed.node('NP'));
      const before = await refusals();
      for (const levels of [MAX_DOCUMENT_DEPTH, 200_000]) {
        const { envelope, text } = await envelopeText(nestedArrays(levels));
        const single = await np.request('POST', '/v1/envelopes', text);
        expect(single.status, `${levels} levels`).toBe(400);
        expect(JSON.parse(single.text).error.code).toBe('DOCUMENT_TOO_DEEP');
        const batch = await np.request('POST', '/v1/envelopes/batch', `{"envelopes":[${text}]}`);
        expect(batch.status, `${levels} levels in a batch`).toBe(400);
        expect(JSON.parse(batch.text).error.code).toBe('DOCUMENT_TOO_DEEP');
        expect(await stored(envelope.id)).toEqual([]);
      }
      expect(await refusals()).toBe(before);
      // The hub keeps serving, and a sound envelope is still taken.
      const sound = await sealedEnvelope(hub.fed.node('NP'), [hub.fed.node('BD')]);
      expect((await np.request('POST', '/v1/envelopes', JSON.stringify(sound))).status).toBe(201);
    });

    it('holding NUL in a value or a key is refused with 400 INPUT_ENCODING_INVALID, nothing stored', async () => {
      const np = client(hub.server.url, hub.fed.node('NP'));
      for (const unprotected of ['{"x":"\\u0000"}', '{"\\u0000":"x"}', '{"x":[{"y":"\\ud800"}]}']) {
        const { envelope, text } = await envelopeText(unprotected);
        for (const [path, body] of [
          ['/v1/envelopes', text],
          ['/v1/envelopes/batch', `{"envelopes":[${text}]}`],
        ] as const) {
          const response = await np.request('POST', path, body);
          expect(response.status, `${path} ${unprotected}`).toBe(400);
          expect(JSON.parse(response.text).error.code).toBe('INPUT_ENCODING_INVALID');
        }
        expect(await stored(envelope.id)).toEqual([]);
      }
    });
  });
});
