// What every khoj HTTP service shares: request ids, a server span per request continuing the
// caller's W3C trace, the one error shape, and the zod-openapi hook that turns invalid input
// into a 400 with a stable code.
import { OpenAPIHono } from '@hono/zod-openapi';
import { type ErrorCode, statusForCode } from '@khoj/contracts';
import { context as otelContext, propagation } from '@opentelemetry/api';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
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

/** A hono app with khoj's request id, tracing, body limit and error handling wired in. */
export function createServiceApp<E extends Env & { Variables: RequestVariables }>(options: {
  service: string;
  maxBodyBytes: number;
  log?: (line: Record<string, unknown>) => void;
}): OpenAPIHono<E> {
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
  app.use(requestContext(options.service));
  app.use(
    limitBody(options.maxBodyBytes, (c) =>
      errorResponse(c, 'PAYLOAD_TOO_LARGE', `request body over ${options.maxBodyBytes} bytes`),
    ),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error.code, error.message);
    if (error instanceof HTTPException && error.status < 500) {
      // hono's own 4xx (e.g. a body that is not JSON), mapped onto our codes.
      const code =
        error.status === 413 ? 'PAYLOAD_TOO_LARGE' : error.status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
      return errorResponse(c, code, error.message || 'invalid request');
    }
    log({
      level: 'error',
      service: options.service,
      requestId: c.get('requestId'),
      error: String(error),
      stack: (error as Error).stack,
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
