import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { serve } from '@hono/node-server';
import { createRoute, z } from '@hono/zod-openapi';
import { canonicalJson, type ErrorBody } from '@khoj/contracts';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { bodyLimit } from 'hono/body-limit';
import { describe, expect, it } from 'vitest';
import { ApiError, createServiceApp, type RequestVariables } from './http.ts';

function testApp(options: { maxBodyBytes?: number; contentSecurityPolicy?: string } = {}) {
  const lines: Record<string, unknown>[] = [];
  /** What the routes below were handed, so a test can show a refused request reached none. */
  const received: unknown[] = [];
  const app = createServiceApp<{ Variables: RequestVariables }>({
    service: 'test',
    maxBodyBytes: options.maxBodyBytes ?? 64,
    log: (line) => lines.push(line),
    ...(options.contentSecurityPolicy ? { contentSecurityPolicy: options.contentSecurityPolicy } : {}),
  });
  const route = createRoute({
    method: 'post',
    path: '/things',
    request: { body: { content: { 'application/json': { schema: z.object({ name: z.string().min(2) }) } } } },
    responses: { 200: { description: 'ok' } },
  });
  app.openapi(route, (c) => {
    received.push(c.req.valid('json'));
    return c.json({ name: c.req.valid('json').name }, 200);
  });
  app.post('/documents', async (c) => {
    const document = await c.req.json();
    received.push(document);
    return c.json({ digest: canonicalJson(document).length }, 200);
  });
  app.get('/search/:term', (c) => {
    received.push({ term: c.req.param('term'), q: c.req.query('q') });
    return c.json({ results: [] }, 200);
  });
  app.post('/forms', async (c) => {
    received.push(await c.req.parseBody());
    return c.json({ ok: true }, 200);
  });
  // A route with its own, smaller limit (as the node's photo and sighting routes have): it must
  // still find the body unread after the boundary's checks.
  app.post(
    '/limited',
    bodyLimit({ maxSize: 32, onError: (c) => c.json({ limited: true }, 413) }),
    async (c) => {
      const document = await c.req.json();
      received.push(document);
      return c.json(document, 200);
    },
  );
  app.get('/framed', (c) =>
    c.body('<p>photo</p>', 200, {
      'content-type': 'text/html',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
    }),
  );
  app.get('/missing', () => {
    throw new ApiError('CASE_NOT_FOUND', 'no case case_x');
  });
  app.get('/crash', () => {
    throw new Error('connection string postgres://secret@db leaked?');
  });
  return { app, lines, received };
}

const errorOf = async (response: Response) => ((await response.json()) as ErrorBody).error;

const post = (app: ReturnType<typeof testApp>['app'], body: string) =>
  app.request('/things', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the service app', () => {
  it('answers invalid input with 400 VALIDATION_FAILED naming the field', async () => {
    const { app } = testApp();
    const response = await post(app, JSON.stringify({ name: 'x' }));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/^name: /);
    expect(error.requestId).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get('x-request-id')).toBe(error.requestId);
  });

  it('answers a body that is not JSON with 400 and an oversized one with 413', async () => {
    const { app } = testApp();
    expect((await post(app, '{"name":')).status).toBe(400);
    const big = await post(app, JSON.stringify({ name: 'x'.repeat(100) }));
    expect(big.status).toBe(413);
    expect((await errorOf(big)).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses an oversized body over a real socket, whether its length is declared or chunked', async () => {
    const { app } = testApp();
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const send = (body: string, chunked: boolean) =>
      new Promise<{ status: number; code: string | undefined }>((resolve, reject) => {
        const request = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/things',
            headers: {
              'content-type': 'application/json',
              ...(chunked
                ? { 'transfer-encoding': 'chunked' }
                : { 'content-length': Buffer.byteLength(body) }),
            },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk) => {
              text += chunk;
            });
            response.on('end', () =>
              resolve({ status: response.statusCode ?? 0, code: JSON.parse(text).error?.code }),
            );
          },
        );
        request.on('error', reject);
        // Chunked: written in two pieces, so the size is only known by counting.
        if (chunked) request.write(body.slice(0, 10));
        request.end(chunked ? body.slice(10) : body);
      });
    try {
      const small = JSON.stringify({ name: 'Rina' });
      const big = JSON.stringify({ name: 'x'.repeat(100) });
      expect(await send(small, false)).toEqual({ status: 200, code: undefined });
      expect(await send(small, true)).toEqual({ status: 200, code: undefined });
      expect(await send(big, false)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      expect(await send(big, true)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('maps an ApiError to its status and keeps its message', async () => {
    const { app } = testApp();
    const response = await app.request('/missing');
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toMatchObject({
      code: 'CASE_NOT_FOUND',
      message: 'no case case_x',
    });
  });

  it('never echoes an unexpected error: 500 INTERNAL outside, the details in the log', async () => {
    const { app, lines } = testApp();
    const response = await app.request('/crash');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('secret');
    expect(JSON.parse(text).error).toMatchObject({ code: 'INTERNAL', message: 'internal error' });
    expect(JSON.stringify(lines)).toContain('postgres://secret@db');
  });

  it('answers unknown routes with 404 NOT_FOUND in the same shape', async () => {
    const { app } = testApp();
    const response = await app.request('/nowhere');
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('NOT_FOUND');
  });
});

describe('text refused at the boundary', () => {
  const refusedWith = async (response: Response, code: string) => {
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe(code);
  };
  const postJson = (app: ReturnType<typeof testApp>['app'], path: string, body: string) =>
    app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('refuses a NUL or another control character in the query or a path parameter, before the route', async () => {
    const { app, received } = testApp();
    for (const path of [
      '/search/rupa?q=%00',
      '/search/rupa?q=a%1Bb',
      '/search/rupa?q%00=1',
      '/search/ru%00pa',
      '/search/ru%0Apa',
      '/search/rupa?q=%E0%A4',
      '/search/rupa?q=%ZZ',
      '/search/%ED%A0%80',
    ]) {
      const response = await app.request(path);
      expect(response.status, path).toBe(400);
      expect((await errorOf(response)).code, path).toBe('INPUT_ENCODING_INVALID');
    }
    expect(received).toEqual([]);
    const fine = await app.request('/search/r%C3%BApa?q=%E0%A6%B0%E0%A7%82%E0%A6%AA%E0%A6%BE+m%0Aond%25al');
    expect(fine.status).toBe(200);
    expect(received).toEqual([{ term: 'rúpa', q: 'রূপা m\nond%al' }]);
  });

  it('names the query parameter but never echoes the value', async () => {
    const { app } = testApp();
    const error = await errorOf(await app.request('/search/x?q=Rupa%00Mondal'));
    expect(error.message).toBe('query parameter q holds U+0000, a control character');
  });

  it('refuses a control character in a header', async () => {
    const { app, received } = testApp();
    // fetch's Headers refuse NUL, CR and LF themselves (and so does Node's HTTP parser).
    const response = await app.request('/search/rupa', { headers: { 'x-note': 'a\u0001b' } });
    await refusedWith(response, 'INPUT_ENCODING_INVALID');
    expect(received).toEqual([]);
    expect((await app.request('/search/rupa', { headers: { 'x-note': 'a\tb' } })).status).toBe(200);
  });

  it('refuses NUL in a JSON value or key at any depth, escaped or raw, and a lone surrogate', async () => {
    const { app, received } = testApp({ maxBodyBytes: 4096 });
    for (const body of [
      '{"name":"Ru\\u0000pa"}',
      '{"name":"Rupa","na\\u0000me":"x"}',
      '{"name":"Rupa","deep":[{"a":{"b":"\\u0000"}}]}',
      '{"name":"Rupa\u0000"}',
      '{"name":"\\ud800Rupa"}',
      '{"name":"Rupa\\b"}',
    ]) {
      await refusedWith(await post(app, body), 'INPUT_ENCODING_INVALID');
      await refusedWith(await postJson(app, '/documents', body), 'INPUT_ENCODING_INVALID');
    }
    expect(received).toEqual([]);
    const fine = await post(app, '{"name":"রূপা\\n\\t\\ud83d\\udc67"}');
    expect(fine.status).toBe(200);
    expect(received).toEqual([{ name: 'রূপা\n\t👧' }]);
  });

  it("leaves the body unread for a route's own body limit, and checks it when the route reads it", async () => {
    const { app, received, lines } = testApp();
    expect((await postJson(app, '/limited', '{"name":"Rupa"}')).status).toBe(200);
    expect((await postJson(app, '/limited', `{"name":"${'x'.repeat(40)}"}`)).status).toBe(413);
    await refusedWith(await postJson(app, '/limited', '{"name":"\u0000"}'), 'INPUT_ENCODING_INVALID');
    expect(received).toEqual([{ name: 'Rupa' }]);
    expect(lines).toEqual([]);
  });

  it('refuses a body that is not UTF-8', async () => {
    const { app, received } = testApp();
    const response = await app.request('/things', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    await refusedWith(response, 'INPUT_ENCODING_INVALID');
    expect(received).toEqual([]);
  });

  it('refuses a control character in a form body', async () => {
    const { app, received } = testApp();
    const response = await app.request('/forms', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Ru%00pa',
    });
    await refusedWith(response, 'INPUT_ENCODING_INVALID');
    expect(received).toEqual([]);
  });

  it('refuses a document nested too deep before parsing it, at 65 levels as at 200,000', async () => {
    const { app, received, lines } = testApp({ maxBodyBytes: 2 * 1024 * 1024 });
    const deep = (levels: number) =>
      `{"name":"Rupa","unprotected":${'['.repeat(levels)}${']'.repeat(levels)}}`;
    for (const levels of [64, 200_000]) {
      await refusedWith(await postJson(app, '/documents', deep(levels)), 'DOCUMENT_TOO_DEEP');
      await refusedWith(await post(app, deep(levels)), 'DOCUMENT_TOO_DEEP');
    }
    expect(received).toEqual([]);
    expect((await postJson(app, '/documents', deep(62))).status).toBe(200);
    expect(lines).toEqual([]);
  });

  it('answers a too-deep value met inside a route (canonicalJson) with 400, not 500', async () => {
    const { app, lines } = testApp();
    app.get('/deep', () => {
      let value: unknown = 1;
      for (let i = 0; i < 100; i++) value = [value];
      return new Response(canonicalJson(value));
    });
    await refusedWith(await app.request('/deep'), 'DOCUMENT_TOO_DEEP');
    expect(lines).toEqual([]);
  });
});

describe('error logs', () => {
  it('never hold a failed statement, its parameters or what the database quoted from them', async () => {
    const { app, lines } = testApp();
    const db = drizzle(new PGlite());
    app.get('/store', async () => {
      await db.execute(sql`select ${'Rupa Mondal, 9830012345\u0000'}::text as name, ${'seven'}::int as age`);
      return new Response('stored');
    });
    app.get('/cast', async () => {
      await db.execute(sql`select ${'Rupa Mondal 9830012345'}::int`);
      return new Response('stored');
    });
    for (const path of ['/store', '/cast']) {
      const response = await app.request(path);
      expect(response.status).toBe(500);
      expect((await errorOf(response)).code).toBe('INTERNAL');
    }
    const logged = JSON.stringify(lines);
    expect(logged).not.toMatch(/select|Rupa|9830012345|seven/i);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 'error',
      route: 'GET /store',
      error: { class: 'DrizzleQueryError', cause: { code: '22021' } },
    });
    expect(lines[1]).toMatchObject({ error: { class: 'DrizzleQueryError', cause: { code: '22P02' } } });
  });

  it('keep a short message and the frames of any other error', async () => {
    const { app, lines } = testApp();
    app.get('/long', () => {
      throw new Error(`failed: ${'x'.repeat(5000)}`);
    });
    await app.request('/long');
    const error = lines[0]?.error as { message: string; frames: string[] };
    expect(error.message.length).toBeLessThanOrEqual(201);
    expect(error.frames[0]).toMatch(/^at /);
  });
});

describe('security headers', () => {
  const EXPECTED = {
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  };
  const headersOf = (response: Response) =>
    Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, response.headers.get(name)]));

  it('are on every answer: success, validation refusal, input refusal, ApiError, 500, 404, 413, hono 4xx', async () => {
    const { app } = testApp();
    const answers = [
      await post(app, JSON.stringify({ name: 'Rupa' })),
      await post(app, JSON.stringify({ name: 'x' })),
      await post(app, '{"name":'),
      await post(app, JSON.stringify({ name: 'x'.repeat(100) })),
      await app.request('/search/x?q=%00'),
      await app.request('/missing'),
      await app.request('/crash'),
      await app.request('/nowhere'),
      await app.request('/things', { method: 'PATCH' }),
    ];
    expect(answers.map((response) => response.status)).toEqual([200, 400, 400, 413, 400, 404, 500, 404, 404]);
    for (const response of answers) expect(headersOf(response)).toEqual(EXPECTED);
  });

  it("keep a route's own stricter policy and caching, adding frame-ancestors", async () => {
    const { app } = testApp();
    const response = await app.request('/framed');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; sandbox; frame-ancestors 'none'",
    );
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('take the policy pages need as an option', async () => {
    const { app } = testApp({ contentSecurityPolicy: "default-src 'self'; form-action 'self'" });
    const response = await app.request('/nowhere');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'self'; form-action 'self'; frame-ancestors 'none'",
    );
  });
});
