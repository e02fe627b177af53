// The cross-border candidate routes: for a report of this node, the cases of other nodes that may
// be the same child — found here against a received summary, or notified by the node that found
// them — best first, each with its explanation, both sides' decisions, the other side's case once
// received at the full tier, and the repatriation recorded on it. Visible to whoever may read the
// report's match candidates (an unknown candidate or one out of reach reads as not found); every
// read is audited. The workflow on a candidate is in workflow.routes.ts.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { getCrossBorderCandidateRoute, listCrossBorderCandidatesRoute } from '@khoj/contracts';
import { appendAudit } from '../audit/audit.store.ts';
import { caseAudit, caseFor } from '../cases/case-access.ts';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { candidateFor, candidateView, candidateViews } from './candidate-view.ts';
import { candidatesForCase } from './cross-border.store.ts';
import { registerCrossBorderWorkflowRoutes } from './workflow.routes.ts';

export function registerCrossBorderRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  app.openapi(listCrossBorderCandidatesRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { status } = c.req.valid('query');
    const row = await caseFor(services, c.get('actor'), caseId, 'match.read');
    const rows = await candidatesForCase(
      services.db,
      row.id,
      status ? [status] : ['proposed', 'confirmed', 'closed'],
    );
    await appendAudit(services.db, caseAudit(c, services, 'match.cross_border.read', row.id));
    const candidates = await candidateViews(services.db, rows, row, c.get('actor'));
    return c.json({ caseId: row.id, candidates }, 200);
  });

  app.openapi(getCrossBorderCandidateRoute, async (c) => {
    const { candidateId } = c.req.valid('param');
    const { row, local } = await candidateFor(services, c.get('actor'), candidateId, 'match.read');
    await appendAudit(
      services.db,
      caseAudit(c, services, 'match.cross_border.read', local.id, `candidate ${candidateId}`),
    );
    return c.json(await candidateView(services.db, row, local, c.get('actor')), 200);
  });

  registerCrossBorderWorkflowRoutes(app, services);
}
