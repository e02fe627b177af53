// GET /v1/members: the directory of members and their public keys, for nodes to encrypt to
// recipients and verify origins. (The signed federation configuration replaces it.)

import type { OpenAPIHono } from '@hono/zod-openapi';
import { membersRoute } from '@khoj/contracts';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';

export function registerMemberRoutes(app: OpenAPIHono<HubEnv>, services: HubServices): void {
  app.openapi(membersRoute, async (c) => {
    const rows = await services.members.list();
    const members = rows
      .filter((row) => row.status === 'active')
      .map((row) => ({
        nodeId: row.nodeId,
        displayName: row.displayName,
        certificateFingerprints: [row.certificateFingerprint],
        signingKeys: [row.signingKey],
        encryptionKeys: [row.encryptionKey],
      }));
    return c.json({ members }, 200);
  });
}
