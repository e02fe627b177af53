// Deny by default. Every route states in its contract (`x-khoj-permission`) what it needs; this
// middleware finds the route's entry, identifies the caller (API token or session cookie, with
// a CSRF check for cookie-borne unsafe requests), and refuses what the permission matrix does
// not allow. A route missing from the contracts is unreachable.
import { PERMISSION_KEY, PERMISSIONS, type RouteAccess } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { routePath } from 'hono/route';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { actorForSession, actorForToken } from './accounts.ts';
import { mayAttempt } from './permissions.ts';

export const SESSION_COOKIE = 'khoj_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type ContractRoute = { method: string; path: string; [PERMISSION_KEY]?: string };

/** `GET /v1/reports/:caseId` → its access, from the route contracts; unknown values are dropped. */
export function accessTable(routes: readonly ContractRoute[]): Map<string, RouteAccess> {
  const table = new Map<string, RouteAccess>();
  for (const route of routes) {
    const access = route[PERMISSION_KEY];
    if (isRouteAccess(access))
      table.set(`${route.method.toUpperCase()} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`, access);
  }
  return table;
}

export function isRouteAccess(value: unknown): value is RouteAccess {
  return value === 'public' || value === 'signed-in' || (PERMISSIONS as readonly unknown[]).includes(value);
}

export function authorize(
  services: NodeServices,
  routes: readonly ContractRoute[],
): MiddlewareHandler<NodeEnv> {
  const table = accessTable(routes);
  return async (c, next) => {
    const key = `${c.req.method} ${routePath(c, -1)}`;
    const access = table.get(key);
    if (!access) throw new ApiError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`);
    if (access === 'public') return next();

    const now = services.clock();
    const bearer = c.req.header('authorization')?.match(/^Bearer (\S+)$/i)?.[1];
    const cookie = getCookie(c, SESSION_COOKIE);
    if (bearer) {
      const actor = await actorForToken(services.db, bearer, now);
      if (actor === 'expired') throw new ApiError('UNAUTHENTICATED', 'this API token has expired');
      if (!actor) throw new ApiError('UNAUTHENTICATED', 'unknown or revoked API token');
      c.set('actor', actor);
    } else if (cookie) {
      const session = await actorForSession(services.db, cookie, now);
      if (!session) throw new ApiError('UNAUTHENTICATED', 'the session has ended: sign in again');
      if (!SAFE_METHODS.has(c.req.method) && c.req.header('x-csrf-token') !== session.csrfToken) {
        throw new ApiError('CSRF_TOKEN_INVALID', 'missing or wrong x-csrf-token header');
      }
      c.set('actor', session.actor);
    } else {
      throw new ApiError('UNAUTHENTICATED', 'sign in, or send an API token as "Authorization: Bearer …"');
    }

    if (access !== 'signed-in' && !mayAttempt(c.get('actor'), access)) {
      throw new ApiError('FORBIDDEN', `your role may not ${access}`);
    }
    return next();
  };
}
