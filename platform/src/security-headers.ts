// The headers every response of every khoj service carries, whatever answered it (a route, the
// validation hook, onError, notFound, hono's own 4xx): nearly every answer holds personal data or
// could, so none is cached, sniffed into another type, framed or followed by a Referer.
import type { MiddlewareHandler } from 'hono';

/** For JSON APIs: nothing may load from a response, and nothing may frame it. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

const FIXED_HEADERS = [
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
  ['x-frame-options', 'DENY'],
] as const;

export type SecurityHeaderOptions = {
  /**
   * The Content-Security-Policy of responses that set none themselves; API_CONTENT_SECURITY_POLICY
   * unless given. Server-rendered pages set a strict policy without inline script, such as
   * `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'`.
   * `frame-ancestors 'none'` is added to any policy that does not say it.
   */
  contentSecurityPolicy?: string;
};

/**
 * Sets the headers after the rest of the chain has answered, so that they are on every response.
 * A route may set its own Content-Security-Policy (a stricter one, such as `sandbox` for a photo)
 * and its own Cache-Control (a static asset may be cached); both are kept, and `frame-ancestors
 * 'none'` is added to a route's policy that lacks it. The others are always set.
 */
export function securityHeaders(options: SecurityHeaderOptions = {}): MiddlewareHandler {
  const defaultPolicy = withFrameAncestors(options.contentSecurityPolicy ?? API_CONTENT_SECURITY_POLICY);
  return async (c, next) => {
    await next();
    let headers = c.res.headers;
    try {
      headers.set(FIXED_HEADERS[0][0], FIXED_HEADERS[0][1]);
    } catch {
      // Immutable headers (a Response from fetch or Response.redirect): answer with a copy.
      c.res = new Response(c.res.body, c.res);
      headers = c.res.headers;
    }
    for (const [name, value] of FIXED_HEADERS) headers.set(name, value);
    if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
    const own = headers.get('content-security-policy');
    headers.set('content-security-policy', own === null ? defaultPolicy : withFrameAncestors(own));
  };
}

function withFrameAncestors(policy: string): string {
  return /(?:^|;)\s*frame-ancestors\s/i.test(policy) ? policy : `${policy}; frame-ancestors 'none'`;
}
