// Sign-in, sign-out and "who am I" for browsers (session cookie + CSRF token).
import type { OpenAPIHono } from '@hono/zod-openapi';
import { currentUserRoute, signInRoute, signOutRoute } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { SESSION_HOURS, signIn, signOut } from './accounts.ts';
import { SESSION_COOKIE } from './authorize.ts';

export function registerAccessRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  app.openapi(signInRoute, async (c) => {
    const { username, password } = c.req.valid('json');
    const result = await signIn(services.db, username, password, services.clock());
    if (!result.ok) {
      throw new ApiError(
        result.code,
        result.code === 'ACCOUNT_LOCKED'
          ? 'too many failed sign-ins: this account is locked for a while'
          : 'wrong username or password',
      );
    }
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
