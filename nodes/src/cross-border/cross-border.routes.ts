// The cross-border candidate route: for a report of this node, the cases of other nodes that may
// be the same child — found here against a received summary, or notified by the node that found
// them — best first, each with its explanation. Visible to whoever may read the report's match
// candidates; every read is audited.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { type CrossBorderCandidate, listCrossBorderCandidatesRoute } from '@khoj/contracts';
import { appendAudit } from '../audit/audit.store.ts';
import { caseAudit, caseFor } from '../cases/case-access.ts';
import type { CaseRow, CrossBorderCandidateRow } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import { explanationSteps } from '../matching/explanation.ts';
import type { NodeServices } from '../services.ts';
import { candidatesForCase } from './cross-border.store.ts';

export function registerCrossBorderRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  app.openapi(listCrossBorderCandidatesRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { status } = c.req.valid('query');
    const row = await caseFor(services, c.get('actor'), caseId, 'match.read');
    const rows = await candidatesForCase(services.db, row.id, status ? [status] : ['proposed', 'closed']);
    await appendAudit(services.db, caseAudit(c, services, 'match.cross_border.read', row.id));
    return c.json({ caseId: row.id, candidates: rows.map((candidate) => toCandidate(candidate, row)) }, 200);
  });
}

function toCandidate(row: CrossBorderCandidateRow, local: CaseRow): CrossBorderCandidate {
  return {
    candidateId: row.id,
    role: row.role,
    localCaseId: row.localCaseId,
    localKind: local.kind,
    foreign: { origin: row.foreignOrigin, reference: row.foreignReference, version: row.foreignVersion },
    probability: row.probability,
    band: row.band,
    status: row.status,
    closedReason: row.closedReason,
    explanation: explanationSteps(row.explanation),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
