// Who is calling: the TLS layer has already checked that the client certificate chains to the
// federation root; here, on every request (not only at the handshake, so a change of status
// takes effect on kept-alive connections too), its fingerprint is mapped to a registered member.
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { ApiError } from '@khoj/platform';
import type { MiddlewareHandler } from 'hono';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';

export function requireMember(services: HubServices): MiddlewareHandler<HubEnv> {
  return async (c, next) => {
    const socket = c.env.incoming.socket as TLSSocket;
    const certificate = socket.authorized ? socket.getPeerX509Certificate?.() : undefined;
    if (!certificate)
      throw new ApiError('CLIENT_CERT_REQUIRED', 'a client certificate from the federation CA is required');
    const fingerprint = createHash('sha256').update(certificate.raw).digest('hex');
    const member = await services.members.byFingerprint(fingerprint);
    if (!member) throw new ApiError('NODE_NOT_REGISTERED', 'this certificate belongs to no registered node');
    if (member.status !== 'active')
      throw new ApiError('NODE_NOT_REGISTERED', `node ${member.nodeId} is ${member.status}`);
    c.set('member', member);
    await next();
  };
}
