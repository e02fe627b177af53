// The trust routes nodes use: enrolment (no client certificate yet), renewal of the caller's
// certificate and rotation of its keys (mutual TLS), and what the hub publishes to anyone:
// the CRLs and the signed federation configuration (ETag = version, If-None-Match → 304).
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  crlPemRoute,
  crlRoute,
  currentCertificateRoute,
  enrolmentChallengeRoute,
  enrolmentStatusRoute,
  federationConfigRoute,
  keyChallengeRoute,
  renewCertificateRoute,
  rotateKeysRoute,
  submitEnrolmentRoute,
} from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';
import { crlDer, currentCrl, currentCrlsPem } from './crl.store.ts';
import { bearerToken, enrolmentChallenge, enrolmentStatusFor, submitEnrolment } from './enrolment.ts';
import { currentFederationConfig } from './federation-config.store.ts';
import { issuedCertificate } from './issuance.ts';
import { keyChallenge, newestCertificate, renewCertificate, rotateKeys } from './renewal.ts';

export function registerTrustRoutes(app: OpenAPIHono<HubEnv>, services: HubServices): void {
  app.openapi(enrolmentChallengeRoute, async (c) => {
    return c.json(await enrolmentChallenge(services, c.req.valid('json').token), 200);
  });

  app.openapi(submitEnrolmentRoute, async (c) => {
    const status = await submitEnrolment(services, c.req.valid('json'), c.get('requestId'));
    return c.json(status, 202);
  });

  app.openapi(enrolmentStatusRoute, async (c) => {
    const { enrolmentId } = c.req.valid('param');
    const token = bearerToken(c.req.valid('header').authorization);
    return c.json(await enrolmentStatusFor(services, enrolmentId, token), 200);
  });

  app.openapi(renewCertificateRoute, async (c) => {
    const { csrPem } = c.req.valid('json');
    const issued = await renewCertificate(services, c.get('member'), csrPem, c.get('requestId'));
    return c.json(issuedCertificate(issued), 201);
  });

  app.openapi(currentCertificateRoute, async (c) => {
    const newest = await newestCertificate(services, c.get('member').nodeId);
    if (!newest) throw new ApiError('CERT_REVOKED', 'no unrevoked certificate for this node');
    return c.json(issuedCertificate(newest), 200);
  });

  app.openapi(keyChallengeRoute, async (c) => {
    const { encryptionKey } = c.req.valid('json');
    return c.json(await keyChallenge(services, c.get('member'), encryptionKey), 200);
  });

  app.openapi(rotateKeysRoute, async (c) => {
    const keys = await rotateKeys(services, c.get('member'), c.req.valid('json'), c.get('requestId'));
    return c.json(keys, 201);
  });

  app.openapi(crlRoute, async (c) => {
    const { issuer } = c.req.valid('query');
    const crl = await currentCrl(services, issuer);
    return c.body(Buffer.from(crlDer(crl)), 200, {
      'content-type': 'application/pkix-crl',
      'cache-control': 'no-cache',
    }) as never;
  });

  app.openapi(crlPemRoute, async (c) => {
    return c.body(await currentCrlsPem(services), 200, {
      'content-type': 'application/x-pem-file',
      'cache-control': 'no-cache',
    }) as never;
  });

  app.openapi(federationConfigRoute, async (c) => {
    const config = await currentFederationConfig(services);
    const etag = `"${config.version}"`;
    const headers = { etag, 'cache-control': 'no-cache' };
    if (matchesEtag(c.req.valid('header')['if-none-match'], config.version)) {
      return c.body(null, 304, headers) as never;
    }
    return c.body(config.jws, 200, { ...headers, 'content-type': 'application/jose' }) as never;
  });
}

/** RFC 9110 §13.1.2: `*`, or a list of (possibly weak) entity tags, one of them the version. */
export function matchesEtag(ifNoneMatch: string | undefined, version: number): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === `"${version}"`);
}
