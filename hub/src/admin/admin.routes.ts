// The administration API: each route's permission is in its contract (admin.read, .approve,
// .manage) and checked with the role in the caller's administrator certificate before the
// handler runs (trust/client-certificate.ts); handlers call the domain functions the CLI uses.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  approveEnrolmentRoute,
  configHistoryRoute,
  createInvitationRoute,
  denyEnrolmentRoute,
  expiringCertificatesRoute,
  listEnrolmentsRoute,
  listInvitationsRoute,
  listNodesRoute,
  renewNodeRoute,
  revokeCertificateRoute,
  revokeNodeRoute,
  setNodePolicyRoute,
  verifyAuditRoute,
} from '@khoj/contracts';
import { verifyHubAudit } from '../audit/audit.store.ts';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';
import { federationConfigHistory } from '../trust/federation-config.store.ts';
import { issuedCertificate } from '../trust/issuance.ts';
import { approveEnrolment, denyEnrolment, listEnrolments } from './enrolment-decisions.ts';
import { createInvitation, listInvitations } from './invitations.ts';
import { expiringCertificates, listNodes, renewNode, setNodePolicy } from './nodes.ts';
import { revokeCertificate, revokeNode } from './revocation.ts';

export function registerAdminRoutes(app: OpenAPIHono<HubEnv>, services: HubServices): void {
  const actor = (c: { get(key: 'admin'): HubEnv['Variables']['admin'] }) => `admin:${c.get('admin').name}`;

  app.openapi(listInvitationsRoute, async (c) =>
    c.json({ invitations: await listInvitations(services) }, 200),
  );

  app.openapi(createInvitationRoute, async (c) => {
    const created = await createInvitation(services, c.req.valid('json'), actor(c), c.get('requestId'));
    return c.json(created, 201);
  });

  app.openapi(listEnrolmentsRoute, async (c) => {
    const { status } = c.req.valid('query');
    return c.json({ enrolments: await listEnrolments(services, status) }, 200);
  });

  app.openapi(approveEnrolmentRoute, async (c) => {
    const { enrolmentId } = c.req.valid('param');
    return c.json(
      await approveEnrolment(services, enrolmentId, c.get('admin').name, c.get('requestId')),
      200,
    );
  });

  app.openapi(denyEnrolmentRoute, async (c) => {
    const { enrolmentId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    return c.json(
      await denyEnrolment(services, enrolmentId, c.get('admin').name, reason, c.get('requestId')),
      200,
    );
  });

  app.openapi(listNodesRoute, async (c) => c.json({ nodes: await listNodes(services) }, 200));

  app.openapi(revokeNodeRoute, async (c) => {
    const { nodeId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    return c.json(await revokeNode(services, nodeId, reason, actor(c), c.get('requestId')), 200);
  });

  app.openapi(revokeCertificateRoute, async (c) => {
    const { serialHex } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    return c.json(await revokeCertificate(services, serialHex, reason, actor(c), c.get('requestId')), 200);
  });

  app.openapi(renewNodeRoute, async (c) => {
    const { nodeId } = c.req.valid('param');
    return c.json(issuedCertificate(await renewNode(services, nodeId, actor(c), c.get('requestId'))), 201);
  });

  app.openapi(setNodePolicyRoute, async (c) => {
    const { nodeId } = c.req.valid('param');
    return c.json(
      await setNodePolicy(services, nodeId, c.req.valid('json'), actor(c), c.get('requestId')),
      200,
    );
  });

  app.openapi(expiringCertificatesRoute, async (c) => {
    const { withinDays } = c.req.valid('query');
    return c.json({ withinDays, certificates: await expiringCertificates(services, withinDays) }, 200);
  });

  app.openapi(configHistoryRoute, async (c) => {
    const versions = await federationConfigHistory(services.db);
    return c.json(
      {
        versions: versions.map((row) => ({
          version: row.version,
          issuedAt: row.issuedAt.toISOString(),
          expiresAt: row.expiresAt.toISOString(),
          reason: row.reason,
        })),
      },
      200,
    );
  });

  app.openapi(verifyAuditRoute, async (c) => c.json(await verifyHubAudit(services.db), 200));
}
