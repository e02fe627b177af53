// Who is calling, decided per request (not only at the handshake, so a revocation or suspension
// takes effect on kept-alive connections too). Every route states in its contract what it needs
// (`x-khoj-hub-access`): `public` (no certificate), `member` (an enrolled node) or an
// administrator permission. The TLS layer has checked the chain to the federation root; here the
// certificate's dates against the hub's clock, its key usage (clientAuth), its serial against
// the revocations, and whose it is. A route whose contract names no access is unreachable.
import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import {
  ADMIN_ROLE_PERMISSIONS,
  HUB_ACCESS_KEY,
  HUB_ADMIN_PERMISSIONS,
  type HubAccess,
} from '@khoj/contracts';
import { adminFromCertificate, assertClientCertificateUsage, isPkiError } from '@khoj/pki';
import { ApiError } from '@khoj/platform';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';
import { normalSerial } from './ca-store.ts';
import { x509Fingerprint } from './certificate-facts.ts';
import { findRevocation } from './members.store.ts';

type ContractRoute = { method: string; path: string; [HUB_ACCESS_KEY]?: string };

/** `GET /v1/enrolments/:enrolmentId` → its access, from the route contracts. */
export function accessTable(routes: readonly ContractRoute[]): Map<string, HubAccess> {
  const table = new Map<string, HubAccess>();
  for (const route of routes) {
    const access = route[HUB_ACCESS_KEY];
    if (isHubAccess(access)) {
      table.set(`${route.method.toUpperCase()} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`, access);
    }
  }
  return table;
}

function isHubAccess(value: unknown): value is HubAccess {
  return (
    value === 'public' || value === 'member' || (HUB_ADMIN_PERMISSIONS as readonly unknown[]).includes(value)
  );
}

export function authenticate(
  services: HubServices,
  routes: readonly ContractRoute[],
): MiddlewareHandler<HubEnv> {
  const table = accessTable(routes);
  return async (c, next) => {
    const access = table.get(`${c.req.method} ${routePath(c, -1)}`);
    if (!access) throw new ApiError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`);
    if (access === 'public') return next();
    const { certificate, fingerprint } = checkedPeerCertificate(c, services.clock());
    if (access === 'member') await identifyMember(c, services, certificate, fingerprint);
    else await identifyAdmin(c, services, certificate, access);
    return next();
  };
}

/**
 * Per connection, the peer certificate parsed and checked for client use once: it cannot change
 * on the connection, because renegotiation (which could present another) is turned off for it.
 */
const checkedConnections = new WeakMap<TLSSocket, { certificate: X509Certificate; fingerprint: string }>();

/** The client certificate of this connection, valid now and made for TLS client use. */
function checkedPeerCertificate(
  c: Context<HubEnv>,
  now: Date,
): { certificate: X509Certificate; fingerprint: string } {
  const socket = c.env.incoming.socket as TLSSocket;
  let checked = checkedConnections.get(socket);
  if (!checked) {
    const certificate = socket.authorized ? socket.getPeerX509Certificate?.() : undefined;
    if (!certificate) {
      throw new ApiError('CLIENT_CERT_REQUIRED', 'a client certificate from the federation CA is required');
    }
    try {
      assertClientCertificateUsage(certificate);
    } catch (error) {
      if (isPkiError(error)) throw new ApiError('CLIENT_CERT_INVALID', error.message);
      throw error;
    }
    socket.disableRenegotiation?.();
    checked = { certificate, fingerprint: x509Fingerprint(certificate) };
    checkedConnections.set(socket, checked);
  }
  const { certificate } = checked;
  // A long-lived connection outlives the handshake's date check: re-check against our clock.
  if (now < certificate.validFromDate || now >= certificate.validToDate) {
    throw new ApiError(
      'CLIENT_CERT_INVALID',
      `the client certificate is valid only from ${certificate.validFrom} to ${certificate.validTo}`,
    );
  }
  return checked;
}

async function identifyMember(
  c: Context<HubEnv>,
  services: HubServices,
  certificate: X509Certificate,
  fingerprint: string,
) {
  const { holder, trust } = await services.members.identify(fingerprint);
  if (!holder) throw new ApiError('NODE_NOT_REGISTERED', 'this certificate belongs to no registered node');
  const { member, revocation } = holder;
  if (revocation || holder.certificate.serialHex !== normalSerial(certificate.serialNumber)) {
    throw new ApiError(
      'CERT_REVOKED',
      `the certificate of ${member.nodeId} was revoked (${revocation?.reason ?? 'unknown'})`,
    );
  }
  if (member.status === 'revoked') throw new ApiError('CERT_REVOKED', `node ${member.nodeId} is revoked`);
  if (member.status !== 'active')
    throw new ApiError('NODE_NOT_REGISTERED', `node ${member.nodeId} is ${member.status}`);
  c.set('member', member);
  c.set('trust', trust);
}

async function identifyAdmin(
  c: Context<HubEnv>,
  services: HubServices,
  certificate: X509Certificate,
  permission: Exclude<HubAccess, 'public' | 'member'>,
) {
  let admin: ReturnType<typeof adminFromCertificate>;
  try {
    admin = adminFromCertificate(certificate);
  } catch (error) {
    if (isPkiError(error))
      throw new ApiError('ADMIN_CERT_REQUIRED', `an administrator certificate is required: ${error.message}`);
    throw error;
  }
  const serialHex = normalSerial(certificate.serialNumber);
  const revocation = await findRevocation(services.db, serialHex);
  if (revocation)
    throw new ApiError('CERT_REVOKED', `the certificate of administrator ${admin.name} was revoked`);
  if (!ADMIN_ROLE_PERMISSIONS[admin.role].includes(permission)) {
    throw new ApiError('FORBIDDEN', `the ${admin.role} role may not ${permission.replace('admin.', '')}`);
  }
  c.set('admin', { ...admin, serialHex });
}
