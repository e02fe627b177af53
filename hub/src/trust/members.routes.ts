// GET /v1/members: the directory of members and their public keys valid now (after a rotation,
// the previous key too until its overlap ends), for nodes to encrypt to recipients and verify
// origins. (The signed federation configuration replaces it.)

import type { OpenAPIHono } from '@hono/zod-openapi';
import { membersRoute, type PublicJwk } from '@khoj/contracts';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';

export function registerMemberRoutes(app: OpenAPIHono<HubEnv>, services: HubServices): void {
  app.openapi(membersRoute, async (c) => {
    const rows = await services.members.list();
    const keys = await services.members.keysAt(services.clock());
    const keysOf = (nodeId: string, use: string, current: PublicJwk) => {
      const valid = keys.filter((key) => key.nodeId === nodeId && key.use === use).map((key) => key.jwk);
      return valid.length > 0 ? valid : [current];
    };
    const members = rows
      .filter((row) => row.status === 'active')
      .map((row) => ({
        nodeId: row.nodeId,
        displayName: row.displayName,
        certificateFingerprints: [row.certificateFingerprint],
        signingKeys: keysOf(row.nodeId, 'signing', row.signingKey),
        encryptionKeys: keysOf(row.nodeId, 'encryption', row.encryptionKey),
      }));
    return c.json({ members }, 200);
  });
}
