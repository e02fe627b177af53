// Receiving `case.summary`: a newer version of a case replaces the older one; an older version
// arriving late changes nothing.
import type { Envelope, SharedCase } from '@khoj/contracts';
import { lt } from 'drizzle-orm';
import { foreignSummaries } from '../db/schema/index.ts';
import type { NodeServices } from '../services.ts';
import type { ApplyTx } from './handlers.ts';
import { type OpeningKeys, openCaseSummary } from './seal.ts';

export function openSharedCase(envelope: Envelope, keys: OpeningKeys): Promise<SharedCase> {
  return openCaseSummary(envelope, keys);
}

export async function applyCaseSummary(
  tx: ApplyTx,
  services: NodeServices,
  envelope: Envelope,
  shared: SharedCase,
): Promise<void> {
  const row = {
    origin: envelope.origin,
    caseId: shared.summary.caseId,
    version: shared.summary.version,
    envelopeId: envelope.id,
    summary: shared.summary,
    purposes: shared.scope.purposes,
    fields: shared.scope.fields,
    receivedAt: services.clock(),
  };
  await tx
    .insert(foreignSummaries)
    .values(row)
    .onConflictDoUpdate({
      target: [foreignSummaries.origin, foreignSummaries.caseId],
      set: row,
      setWhere: lt(foreignSummaries.version, row.version),
    });
}
