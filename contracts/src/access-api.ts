// Sign-in and what signed-in users may do. Every node route declares the permission it needs in
// `x-khoj-permission` (visible in the OpenAPI document); the node refuses any route without one.
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses } from './errors.ts';
import { jsonResponse } from './openapi-parts.ts';

export const PERMISSIONS = [
  'case.read',
  'case.create',
  'case.update',
  'case.transition',
  'case.progress',
  'intake.verify',
  'stats.read',
  'unit.read',
  'unit.manage',
  'user.manage',
  'token.manage',
  'audit.read',
  'data.import',
  'data.export',
  'match.read',
  'match.decide',
  'query.ask',
  'detail.decide',
  'sharing.read',
  'sharing.manage',
  /** Case summaries received from other nodes, within the role's reach of their place. */
  'foreign.read',
  /** What the hub refused or dropped of this node's envelopes: exchange diagnostics. */
  'exchange.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** `public`: no sign-in (health, sign-in, citizen intake); `signed-in`: any user. */
export type RouteAccess = Permission | 'public' | 'signed-in';
export const PERMISSION_KEY = 'x-khoj-permission';

export const ROLES = [
  'police_officer',
  'cci_staff',
  'cwc_member',
  'dcpu_officer',
  'scpu_officer',
  'ahtu_officer',
  'dm_sp_viewer',
  'node_admin',
] as const;
export const Role = z.enum(ROLES).openapi('Role');
export type Role = z.infer<typeof Role>;

export const CurrentUser = z
  .object({
    userId: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: Role,
    unitId: z.string(),
  })
  .openapi('CurrentUser');

export const SignInRequest = z
  .object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) })
  .openapi('SignInRequest');

export const SignedIn = z
  .object({
    user: CurrentUser,
    /** Echo in `x-csrf-token` on every unsafe request made with the session cookie. */
    csrfToken: z.string(),
    expiresAt: z.iso.datetime({ offset: true }),
  })
  .openapi('SignedIn');

export const signInRoute = createRoute({
  method: 'post',
  path: '/v1/auth/sign-in',
  operationId: 'signIn',
  [PERMISSION_KEY]: 'public',
  summary: 'Sign in with a password: sets the session cookie',
  request: { body: { required: true, content: { 'application/json': { schema: SignInRequest } } } },
  responses: { 200: jsonResponse(SignedIn, 'Signed in'), ...errorResponses(400, 401, 429) },
});

export const signOutRoute = createRoute({
  method: 'post',
  path: '/v1/auth/sign-out',
  operationId: 'signOut',
  [PERMISSION_KEY]: 'signed-in',
  responses: { 204: { description: 'Signed out' }, ...errorResponses(401, 403) },
});

export const currentUserRoute = createRoute({
  method: 'get',
  path: '/v1/auth/me',
  operationId: 'currentUser',
  [PERMISSION_KEY]: 'signed-in',
  responses: { 200: jsonResponse(CurrentUser, 'The signed-in user'), ...errorResponses(401) },
});

export const accessRoutes = [signInRoute, signOutRoute, currentUserRoute] as const;
