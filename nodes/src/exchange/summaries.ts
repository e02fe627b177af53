// Receiving `case.summary`: a newer version of a case replaces the older one; an older version
// arriving late changes nothing, nor does one at or below a retraction's version (its tombstone).
// The scope is enforced again here: a purpose this node's federation policy does not accept, a
// scope already expired, or a scope that does not name this node is refused with its code; any
// field outside the tier is dropped before anything is stored, and the drop is audited.
import { type Envelope, Purpose, recipientMatches, type SharedCase } from '@khoj/contracts';
import { and, eq, lt } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { keyForeignSummary } from '../cross-border/foreign-keys.ts';
import { matchForeignSummary } from '../cross-border/match-summary.ts';
import { foreignSummaries, foreignTombstones } from '../db/schema/index.ts';
import type { NodeServices } from '../services.ts';
import { summaryTier, withinTier } from '../sharing/minimise.ts';
import { consentExpired } from '../sharing/policy.ts';
import type { ApplyTx } from './handlers.ts';
import { EnvelopeRejected, type OpeningKeys, openCaseSummary } from './seal.ts';

export type ReceivedSummary = {
  shared: SharedCase;
  /** Paths of fields that arrived outside the envelope's tier and were dropped. */
  dropped: string[];
  /** Set by apply when the summary was stored (not older than what is held, not retracted). */
  stored: boolean;
};

/** This node's accepted purposes, from the signed configuration (the hub's default: all). */
export async function acceptedPurposes(services: NodeServices): Promise<readonly Purpose[]> {
  const config = await services.trust.current();
  return config?.policy.nodes[services.identity.nodeId]?.acceptsPurposes ?? Purpose.options;
}

export async function openSharedCase(
  envelope: Envelope,
  keys: OpeningKeys,
  services: NodeServices,
): Promise<ReceivedSummary> {
  const shared = await openCaseSummary(envelope, keys);
  const self = services.identity.nodeId;
  const accepted = await acceptedPurposes(services);
  const refused = [...new Set([...envelope.purposes, ...shared.scope.purposes])].filter(
    (purpose) => !accepted.includes(purpose),
  );
  if (refused.length > 0)
    throw new EnvelopeRejected(
      'ERR_PURPOSE_NOT_ACCEPTED',
      `${self} does not accept ${refused.join(', ')} (its federation policy)`,
    );
  if (consentExpired(shared.scope, services.clock()))
    throw new EnvelopeRejected('ERR_SCOPE_EXPIRED', `the consent scope expired at ${shared.scope.expiresAt}`);
  if (!shared.scope.recipients.some((pattern) => recipientMatches(pattern, self)))
    throw new EnvelopeRejected(
      'ERR_NOT_AUTHORISED',
      `the consent scope names ${shared.scope.recipients.join(', ')}, not ${self}`,
    );
  const { summary, dropped } = withinTier(shared.summary, summaryTier(shared.scope.fields), {
    derive: false,
  });
  return { shared: { ...shared, summary }, dropped, stored: false };
}

export async function applyCaseSummary(
  tx: ApplyTx,
  services: NodeServices,
  envelope: Envelope,
  received: ReceivedSummary,
): Promise<void> {
  const { shared, dropped } = received;
  if (dropped.length > 0) {
    await appendAudit(tx, {
      actorId: `node:${envelope.origin}`,
      action: 'envelope.fields_dropped',
      recordType: 'envelope',
      recordId: envelope.id,
      reason: `outside the ${shared.scope.fields} tier: ${dropped.join(', ')}`,
    });
  }
  const [tombstone] = await tx
    .select({ version: foreignTombstones.version })
    .from(foreignTombstones)
    .where(
      and(eq(foreignTombstones.origin, envelope.origin), eq(foreignTombstones.caseId, shared.summary.caseId)),
    );
  // Retracted at this version or later: a summary delayed past its retraction stays deleted.
  if (tombstone && tombstone.version >= shared.summary.version) return;
  const row = {
    origin: envelope.origin,
    caseId: shared.summary.caseId,
    version: shared.summary.version,
    envelopeId: envelope.id,
    summary: shared.summary,
    purposes: shared.scope.purposes,
    fields: shared.scope.fields,
    receivedAt: services.clock(),
    expiresAt: new Date(shared.scope.expiresAt),
  };
  const stored = await tx
    .insert(foreignSummaries)
    .values(row)
    .onConflictDoUpdate({
      target: [foreignSummaries.origin, foreignSummaries.caseId],
      set: row,
      setWhere: lt(foreignSummaries.version, row.version),
    })
    .returning({ version: foreignSummaries.version });
  received.stored = stored.length > 0;
  // Its blocking keys, so that reports registered here later find it (cross-border/local-reports.ts).
  if (received.stored) await keyForeignSummary(tx, envelope.origin, shared.summary);
}

/** Once stored: match the summary against this node's own reports (cross-border candidates). */
export function afterCaseSummary(
  services: NodeServices,
  envelope: Envelope,
  received: ReceivedSummary,
): void {
  if (received.stored) matchForeignSummary(services, envelope, received.shared);
}
