// What every khoj HTTP service shares: request ids, a server span per request continuing the
// caller's W3C trace, the security headers on every response, text and documents refused at the
// boundary (input-boundary.ts), the one error shape, the zod-openapi hook that turns invalid
// input into a 400 with a stable code, and error logs that never hold the data (error-log.ts).
import { OpenAPIHono } from '@hono/zod-openapi';
import { type ErrorCode, InputError, statusForCode } from '@khoj/contracts';
import { context as otelContext, propagation } from '@opentelemetry/api';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { describeError } from './error-log.ts';
import { bodyRefusalOf, refuseUnacceptableInput } from './input-boundary.ts';
import { type SecurityHeaderOptions, securityHeaders } from './security-headers.ts';
import { inSpan, SpanKind } from './tracing.ts';

/** An error that crosses the HTTP boundary with its code; anything else becomes INTERNAL. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

export type RequestVariables = { requestId: string };

export function errorBody(code: ErrorCode, message: string, requestId: string) {
  return { error: { code, message, requestId } };
}

export function errorResponse(c: Context, code: ErrorCode, message: string) {
  const requestId = (c.get('requestId') as string | undefined) ?? 'unknown';
  return c.json(errorBody(code, message, requestId), statusForCode(code));
}

/**
 * A hono app with khoj's security headers, request id, tracing, body limit, input checks and
 * error handling wired in, in that order: the headers are set last on the way out, so they are
 * on every answer (onError's and notFound's included); a bad URL or header is refused before
 * the app's own middleware runs, a bad JSON or form body as it is first read (input-boundary.ts).
 */
export function createServiceApp<E extends Env & { Variables: RequestVariables }>(
  options: {
    service: string;
    maxBodyBytes: number;
    log?: (line: Record<string, unknown>) => void;
  } & SecurityHeaderOptions,
): OpenAPIHono<E> {
  const log = options.log ?? ((line) => console.error(JSON.stringify(line)));
  const app = new OpenAPIHono<E>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const issues = result.error.issues
          .slice(0, 5)
          .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
        return errorResponse(c, 'VALIDATION_FAILED', issues.join('; '));
      }
    },
  });
  app.use(securityHeaders(options));
  app.use(requestContext(options.service));
  app.use(
    limitBody(options.maxBodyBytes, (c) =>
      errorResponse(c, 'PAYLOAD_TOO_LARGE', `request body over ${options.maxBodyBytes} bytes`),
    ),
  );
  app.use(refuseUnacceptableInput((c, refusal) => errorResponse(c, refusal.code, refusal.message)));
  app.onError((error, c) => {
    // InputError: contracts' refusal of text or depth (canonicalJson, parseJsonDocument) in a route.
    if (error instanceof ApiError || error instanceof InputError) {
      return errorResponse(c, error.code, error.message);
    }
    // A body refused as it was read, reported by hono's validator as merely "malformed".
    const refusal = error instanceof HTTPException ? bodyRefusalOf(c) : undefined;
    if (refusal) return errorResponse(c, refusal.code, refusal.message);
    if (error instanceof HTTPException && error.status < 500) {
      // hono's own 4xx (e.g. a body that is not JSON), mapped onto our codes.
      const code =
        error.status === 413 ? 'PAYLOAD_TOO_LARGE' : error.status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
      return errorResponse(c, code, error.message || 'invalid request');
    }
    // Never String(error) or its stack as such: a failed query's message holds its SQL and parameters.
    log({
      level: 'error',
      service: options.service,
      requestId: c.get('requestId'),
      route: `${c.req.method} ${routePath(c, -1)}`,
      error: describeError(error),
    });
    return errorResponse(c, 'INTERNAL', 'internal error');
  });
  app.notFound((c) => errorResponse(c, 'NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`));
  return app;
}

/**
 * Refuses a body over `maxBytes`. A declared Content-Length is checked from the header alone:
 * Node's HTTP parser never hands a handler more body than the header declares. Only a body
 * without one (chunked) goes through hono's bodyLimit, which counts the bytes as they stream —
 * it reads `c.req.raw.body`, which makes @hono/node-server build a web stream for the request
 * (≈ 0.12 ms of CPU per request at the hub, measured), so it is kept off the common path.
 */
function limitBody(
  maxBytes: number,
  onError: (c: Context) => Response | Promise<Response>,
): MiddlewareHandler {
  const streaming = bodyLimit({ maxSize: maxBytes, onError });
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      const length = Number(declared);
      if (!Number.isSafeInteger(length) || length < 0)
        return errorResponse(c, 'VALIDATION_FAILED', 'invalid Content-Length');
      return length > maxBytes ? onError(c) : next();
    }
    return streaming(c, next);
  };
}

function requestContext(service: string): MiddlewareHandler {
  return async (c, next) => {
    c.set('requestId', `req_${crypto.randomUUID().replaceAll('-', '')}`);
    const carrier = { traceparent: c.req.header('traceparent') ?? '' };
    const incoming = propagation.extract(otelContext.active(), carrier);
    await otelContext.with(incoming, () =>
      inSpan(
        `${c.req.method} ${routePath(c, -1)}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': c.req.method,
            'url.path': c.req.path,
            'khoj.service': service,
          },
        },
        async (span) => {
          await next();
          span.setAttribute('http.response.status_code', c.res.status);
        },
      ),
    );
    c.header('x-request-id', c.get('requestId'));
  };
}
