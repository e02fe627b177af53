// Citizen intake and public notices, registered as one route group: the public submissions and
// notice search behind per-client rate limits, and the officers' verification queue.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  MAX_INTAKE_PHOTO_BYTES,
  noticePhotoRoute,
  searchNoticesRoute,
  submitMissingReportRoute,
  submitSightingRoute,
} from '@khoj/contracts';
import { errorResponse } from '@khoj/platform';
import { bodyLimit } from 'hono/body-limit';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { registerNoticeRoutes } from './notices.routes.ts';
import { registerQueueRoutes } from './queue.routes.ts';
import { createTokenBucket, DEFAULT_INTAKE_LIMITS, type IntakeLimits, rateLimited } from './rate-limit.ts';
import { registerSubmissionRoutes } from './submit.routes.ts';

/**
 * A sighting's body: the photo as base64 (4/3 of its bytes) and the text around it. The app-wide
 * body limit applies first, so this only bites once the app allows more than it.
 */
export const MAX_SIGHTING_BODY_BYTES = Math.ceil((MAX_INTAKE_PHOTO_BYTES * 4) / 3) + 64 * 1024;

export type IntakeOptions = {
  limits?: IntakeLimits;
  /** Milliseconds, for the rate limiter; the services' clock by default. */
  now?: () => number;
};

/** `/v1/reports/{caseId}` → `/v1/reports/:caseId`: hono's form of a contract path. */
const honoPath = (route: { path: string }) => route.path.replace(/\{(\w+)\}/g, ':$1');

export function registerIntakeRoutes(
  app: OpenAPIHono<NodeEnv>,
  services: NodeServices,
  options: IntakeOptions = {},
): void {
  const limits = options.limits ?? DEFAULT_INTAKE_LIMITS;
  const now = options.now ?? (() => services.clock().getTime());
  // One bucket for both kinds of report: a client reporting a lot is limited however it reports.
  const proxies = services.config.trustedProxies ?? [];
  const submissions = rateLimited(createTokenBucket(limits.submissions, { now }), 'reports', proxies);
  const searches = rateLimited(createTokenBucket(limits.searches, { now }), 'searches', proxies);
  // Middleware before the routes, so that it runs before their validation: an invalid request
  // counts against the limit as much as a valid one.
  app.use(honoPath(submitMissingReportRoute), submissions);
  app.use(honoPath(submitSightingRoute), submissions);
  app.use(
    honoPath(submitSightingRoute),
    bodyLimit({
      maxSize: MAX_SIGHTING_BODY_BYTES,
      onError: (c) =>
        errorResponse(c, 'PAYLOAD_TOO_LARGE', `request body over ${MAX_SIGHTING_BODY_BYTES} bytes`),
    }),
  );
  app.use(honoPath(searchNoticesRoute), searches);
  app.use(
    honoPath(noticePhotoRoute),
    rateLimited(createTokenBucket(limits.photos, { now }), 'photos', proxies),
  );
  registerSubmissionRoutes(app, services);
  registerNoticeRoutes(app, services);
  registerQueueRoutes(app, services);
}
