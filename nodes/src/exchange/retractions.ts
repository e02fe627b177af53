// Receiving `case.retraction`: the origin withdraws a case it shared. The summary is deleted (its
// blocking keys with it, by the foreign key's cascade), a tombstone is kept (a summary of that version or older arriving late is then ignored, see
// summaries.ts), the open cross-border candidates this node found for it are closed, and the whole
// is audited — in the transaction that logs the envelope, so it happens once. A retraction for a
// case this node never held still leaves its tombstone: the summary may be on its way.
import { CaseRetraction, type Envelope } from '@khoj/contracts';
import { and, eq, lte, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { closeFoundHere } from '../cross-border/cross-border.store.ts';
import { foreignSummaries, foreignTombstones } from '../db/schema/index.ts';
import type { NodeServices } from '../services.ts';
import type { ApplyTx, EnvelopeHandler } from './handlers.ts';
import { EnvelopeRejected, type OpeningKeys, openEnvelope } from './seal.ts';

export const caseRetractionHandler: EnvelopeHandler<CaseRetraction> = {
  async open(envelope: Envelope, keys: OpeningKeys): Promise<CaseRetraction> {
    const retraction = await openEnvelope(envelope, keys, CaseRetraction);
    if (retraction.origin !== envelope.origin)
      throw new EnvelopeRejected(
        'ERR_ORIGIN_MISMATCH',
        `retraction of ${retraction.origin}'s case sent by ${envelope.origin}`,
      );
    return retraction;
  },

  async apply(tx: ApplyTx, services: NodeServices, envelope: Envelope, retraction: CaseRetraction) {
    const now = services.clock();
    const deleted = await tx
      .delete(foreignSummaries)
      .where(
        and(
          eq(foreignSummaries.origin, envelope.origin),
          eq(foreignSummaries.caseId, retraction.caseId),
          lte(foreignSummaries.version, retraction.version),
        ),
      )
      .returning({ version: foreignSummaries.version });
    await tx
      .insert(foreignTombstones)
      .values({
        origin: envelope.origin,
        caseId: retraction.caseId,
        version: retraction.version,
        reason: retraction.reason,
        envelopeId: envelope.id,
        retractedAt: new Date(retraction.retractedAt),
      })
      .onConflictDoUpdate({
        target: [foreignTombstones.origin, foreignTombstones.caseId],
        set: {
          version: sql`greatest(${foreignTombstones.version}, excluded.version)`,
          reason: retraction.reason,
          envelopeId: envelope.id,
          retractedAt: new Date(retraction.retractedAt),
        },
      });
    const closed = await closeFoundHere(
      tx,
      envelope.origin,
      retraction.caseId,
      `retracted: ${retraction.reason}`,
      now,
      [],
      // Confirmed matches too: a child reunited (or a case withdrawn) ends the match here as well.
      'all',
    );
    await appendAudit(tx, {
      actorId: `node:${envelope.origin}`,
      action: 'case.retraction.applied',
      recordType: 'envelope',
      recordId: envelope.id,
      reason: `${envelope.origin}/${retraction.caseId} v${retraction.version} ${retraction.reason}: ${
        deleted.length > 0 ? 'summary deleted' : 'no summary held'
      }, ${closed.length} candidate(s) closed`,
      at: now,
    });
  },
};
