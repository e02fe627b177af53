// What every route about one case does first: find it, answer 404 when the actor may not read it
// (its existence is not revealed) and 403 when they may read it but not do what they ask; and
// the audit entry such a route writes. A plain read finds the case and records the read in one
// transaction.
import { ApiError } from '@khoj/platform';
import type { Context } from 'hono';
import { type Action, type Actor, mayActOnCase } from '../access/permissions.ts';
import { type AuditInput, appendAudit } from '../audit/audit.store.ts';
import type { CaseRow } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { caseScope } from './report.ts';
import { findCase } from './reports.store.ts';

export async function caseFor(
  services: NodeServices,
  actor: Actor,
  caseId: string,
  action: Action,
): Promise<CaseRow> {
  return allowed(await findCase(services.db, caseId), actor, caseId, action);
}

/**
 * The case, read and audited in one transaction: the lookup and the audit entry go to the
 * database together (one round trip, see appendAudit), and a refusal rolls the entry back, so a
 * read that is not allowed leaves no entry, as before.
 */
export async function readCase(
  services: NodeServices,
  actor: Actor,
  caseId: string,
  audit: AuditInput,
): Promise<CaseRow> {
  return services.db.transaction(async (tx) => {
    const [row] = await Promise.all([findCase(tx, caseId), appendAudit(tx, audit)]);
    return allowed(row, actor, caseId, 'case.read');
  });
}

function allowed(row: CaseRow | undefined, actor: Actor, caseId: string, action: Action): CaseRow {
  if (!row || !mayActOnCase(actor, 'case.read', caseScope(row)))
    throw new ApiError('CASE_NOT_FOUND', `no case ${caseId}`);
  if (!mayActOnCase(actor, action, caseScope(row)))
    throw new ApiError('FORBIDDEN', `you may not ${action} case ${caseId}`);
  return row;
}

/** An audit entry about a case, by the request's actor, stamped with the request id. */
export function caseAudit(
  c: Context<NodeEnv>,
  services: Pick<NodeServices, 'clock'>,
  action: string,
  recordId: string,
  reason?: string | null,
): AuditInput {
  return {
    actorId: c.get('actor').userId,
    unitId: c.get('actor').unitId,
    action,
    recordType: 'case',
    recordId,
    reason: reason ?? null,
    requestId: c.get('requestId'),
    at: services.clock(),
  };
}
