import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createRoute, z } from '@hono/zod-openapi';
import type { ErrorBody } from '@khoj/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError, createServiceApp, type RequestVariables } from './http.ts';

function testApp() {
  const lines: Record<string, unknown>[] = [];
  const app = createServiceApp<{ Variables: RequestVariables }>({
    service: 'test',
    maxBodyBytes: 64,
    log: (line) => lines.push(line),
  });
  const route = createRoute({
    method: 'post',
    path: '/things',
    request: { body: { content: { 'application/json': { schema: z.object({ name: z.string().min(2) }) } } } },
    responses: { 200: { description: 'ok' } },
  });
  app.openapi(route, (c) => c.json({ name: c.req.valid('json').name }, 200));
  app.get('/missing', () => {
    throw new ApiError('CASE_NOT_FOUND', 'no case case_x');
  });
  app.get('/crash', () => {
    throw new Error('connection string postgres://secret@db leaked?');
  });
  return { app, lines };
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
