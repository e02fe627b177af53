// Sign-in, sign-out and "who am I" for browsers (session cookie + CSRF token). Sign-in sits
// behind per-client and per-account limits (sign-in-limits.ts).
import type { OpenAPIHono } from '@hono/zod-openapi';
import { currentUserRoute, signInRoute, signOutRoute } from '@khoj/contracts';
import { ApiError, errorResponse } from '@khoj/platform';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { NodeEnv } from '../env.ts';
import { clientAddress, clientKey } from '../intake/rate-limit.ts';
import type { NodeServices } from '../services.ts';
import { SESSION_HOURS, signIn, signOut } from './accounts.ts';
import { SESSION_COOKIE } from './authorize.ts';
import { createSignInGate, DEFAULT_SIGN_IN_LIMITS } from './sign-in-limits.ts';

export function registerAccessRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  const gate = createSignInGate(services.signInCounters, DEFAULT_SIGN_IN_LIMITS);

  app.openapi(signInRoute, async (c) => {
    const { username, password } = c.req.valid('json');
    const client = clientKey(clientAddress(c, services.config.trustedProxies ?? []));
    const attempt = { username, password, client };
    const result = await signIn(services.db, gate, attempt, services.clock(), services.log);
    if (!result.ok && result.code === 'RATE_LIMITED') {
      c.header('retry-after', String(result.retryAfterSeconds));
      return errorResponse(
        c,
        'RATE_LIMITED',
        `too many sign-in attempts from your address: try again in ${result.retryAfterSeconds} s`,
      );
    }
    // One answer for an unknown user, a wrong password and a client held off the account.
    if (!result.ok) throw new ApiError('UNAUTHENTICATED', 'wrong username or password');
    setCookie(c, SESSION_COOKIE, result.secret, {
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: SESSION_HOURS * 3600,
    });
    const { user } = result;
    return c.json(
      {
        user: {
          userId: user.id,
          username: user.username,
          displayName: user.displayName,
          role: user.role,
          unitId: user.unitId,
        },
        csrfToken: result.csrfToken,
        expiresAt: result.expiresAt.toISOString(),
      },
      200,
    );
  });

  app.openapi(signOutRoute, async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) await signOut(services.db, cookie);
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
    return c.body(null, 204);
  });

  app.openapi(currentUserRoute, async (c) => {
    const actor = c.get('actor');
    return c.json(
      {
        userId: actor.userId,
        username: actor.username,
        displayName: actor.displayName,
        role: actor.role,
        unitId: actor.unitId,
      },
      200,
    );
  });
}
