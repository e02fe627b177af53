// GET /v1/transparency/checkpoint, /proofs/{envelopeId} and /consistency, for members.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { checkpointRoute, consistencyProofRoute, inclusionProofRoute } from '@khoj/contracts';
import type { HubEnv } from '../env.ts';
import type { HubServices } from '../services.ts';
import { currentCheckpoint, proveConsistency, proveInclusion } from './transparency.ts';

export function registerTransparencyRoutes(app: OpenAPIHono<HubEnv>, services: HubServices): void {
  app.openapi(checkpointRoute, async (c) => c.json(await currentCheckpoint(services), 200));

  app.openapi(inclusionProofRoute, async (c) => {
    const { envelopeId } = c.req.valid('param');
    const { treeSize } = c.req.valid('query');
    return c.json(await proveInclusion(services, c.get('member').nodeId, envelopeId, treeSize), 200);
  });

  app.openapi(consistencyProofRoute, async (c) => {
    const { from, to } = c.req.valid('query');
    return c.json(await proveConsistency(services, from, to), 200);
  });
}
