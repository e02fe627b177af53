// Cross-border matching of this node's own reports as they are registered or changed: a summary
// received last week must still find the child rescued today. Run by the matcher for each pass
// (matching/matcher.ts `alsoMatch`, wired in workers.ts), after a report's keys are committed and
// before its version is marked matched, so a crash in between matches it again. Each report is
// blocked against the held summaries of the other side (foreign-keys.ts: an index probe, not a
// scan), scored by the engine at the tier each summary was received, and its pairs at or above the
// review threshold become found_here candidates with a notice to the origin (found-here.ts), as
// when a summary arrives. Its open candidates are scored again with it: those that no longer reach
// the threshold, or whose summary is no longer held, are closed; so are those of a report leaving
// the pool (closed, matched elsewhere, no longer verified). Summaries whose scope has expired are
// not matched, even before the origin's retraction arrives.
import type { CaseSummary, Envelope, Purpose } from '@khoj/contracts';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { crossBorderCandidates, foreignSummaries } from '../db/schema/index.ts';
import type { ApplyTx } from '../exchange/handlers.ts';
import type { Recipient } from '../exchange/seal.ts';
import type { MatchedReports } from '../matching/matcher.ts';
import { type ProbeCandidate, probeModel } from '../matching/probe.ts';
import { type PreparedProfile, prepareProfile, scorePair } from '../matching/score/index.ts';
import { matchThresholds } from '../matching/thresholds.ts';
import type { NodeServices } from '../services.ts';
import { pairOf } from './cross-border.store.ts';
import { blockForeignSummaries } from './foreign-keys.ts';
import { type HeldSummaryRef, proposeFoundHere } from './found-here.ts';
import { profileFromSummary } from './match-summary.ts';
import { sendMatchEvent } from './workflow.ts';

/** What the matcher runs for each pass on this node. */
export function matchReportsAbroad(services: NodeServices): (pass: MatchedReports) => Promise<void> {
  return (pass) => matchLocalReports(services, pass);
}

type Held = HeldSummaryRef & { summary: CaseSummary };

const NOT_HELD = 'the summary is no longer held (retracted or expired)';

const heldKey = (origin: string, caseId: string) => `${origin}/${caseId}`;

export async function matchLocalReports(services: NodeServices, pass: MatchedReports): Promise<void> {
  if (pass.active.length === 0 && pass.leaving.length === 0) return;
  const now = services.clock();
  const pairs = await blockForeignSummaries(
    services.db,
    pass.active.map((report) => ({
      caseId: report.caseId,
      side: report.prepared.side,
      birth: report.keys.birth,
      keys: report.keys.keys,
    })),
  );
  const held = await heldSummaries(
    services.db,
    pairs.map((pair) => pair.caseId),
    now,
  );
  const { parameters, frequencies } = await probeModel(services);
  const thresholds = matchThresholds(services.config);
  const preparedSummaries = new Map<string, PreparedProfile>();
  /** Per local report: the summaries it reaches the review threshold with. */
  const kept = new Map<string, { summary: Held; candidate: ProbeCandidate }[]>();
  for (const report of pass.active) {
    const reached: { summary: Held; candidate: ProbeCandidate }[] = [];
    for (const pair of pairs) {
      if (pair.localCaseId !== report.caseId) continue;
      const summary = held.get(heldKey(pair.origin, pair.caseId));
      if (!summary || summary.summary.kind === report.prepared.side) continue;
      const key = heldKey(summary.origin, summary.caseId);
      let foreign = preparedSummaries.get(key);
      if (!foreign) {
        foreign = prepareProfile(profileFromSummary(summary));
        preparedSummaries.set(key, foreign);
      }
      const [missing, found] =
        report.prepared.side === 'missing' ? [report.prepared, foreign] : [foreign, report.prepared];
      const scored = scorePair(missing, found, parameters, frequencies);
      if (scored.probability < thresholds.review) continue;
      reached.push({
        summary,
        candidate: {
          caseId: report.caseId,
          probability: scored.probability,
          band: scored.probability >= thresholds.alert ? 'alert' : 'review',
          explanation: scored.explanation,
        },
      });
    }
    kept.set(report.caseId, reached);
  }

  const notices = await services.db.transaction(async (tx) => {
    // A retraction or a newer version may have been applied since loading: only what is held now.
    const current = await heldVersions(tx, [...held.values()]);
    // Replaced by a newer version meanwhile: left to the newer version's own matching.
    const replaced = [...held.values()]
      .map((summary) => heldKey(summary.origin, summary.caseId))
      .filter((key) => current.has(key) && current.get(key) !== held.get(key)?.version);
    const recipients = new Map<string, Recipient | undefined>();
    const sent: Envelope[] = [];
    for (const report of pass.active) {
      const reached = (kept.get(report.caseId) ?? []).filter(
        ({ summary }) => current.get(heldKey(summary.origin, summary.caseId)) === summary.version,
      );
      const withdrawn = await closeCandidates(
        tx,
        services,
        report.caseId,
        new Set([...replaced, ...reached.map(({ summary }) => heldKey(summary.origin, summary.caseId))]),
        (origin, caseId) =>
          current.has(heldKey(origin, caseId)) ? 'no longer reaches the review threshold' : NOT_HELD,
        now,
      );
      sent.push(...withdrawn);
      for (const { summary, candidate } of reached) {
        if (!recipients.has(summary.origin)) {
          const [to] = await services.directory.resolveRecipients(
            [summary.origin],
            services.identity.nodeId,
            tx,
          );
          recipients.set(summary.origin, to);
        }
        const notice = await proposeFoundHere(
          tx,
          services,
          summary,
          candidate,
          recipients.get(summary.origin),
          now,
        );
        if (notice) sent.push(notice);
      }
    }
    for (const caseId of pass.leaving) {
      sent.push(
        ...(await closeCandidates(
          tx,
          services,
          caseId,
          new Set(),
          () => 'the local report left matching',
          now,
        )),
      );
    }
    return sent;
  });
  if (notices.length > 0) services.relay.notify(notices.map((envelope) => envelope.id));
}

/** The held summaries among `caseIds` whose scope has not expired, by origin/case. */
async function heldSummaries(
  db: Pick<ApplyTx, 'select'>,
  caseIds: readonly string[],
  now: Date,
): Promise<Map<string, Held>> {
  const held = new Map<string, Held>();
  if (caseIds.length === 0) return held;
  const rows = await db
    .select({
      origin: foreignSummaries.origin,
      caseId: foreignSummaries.caseId,
      version: foreignSummaries.version,
      summary: foreignSummaries.summary,
      purposes: foreignSummaries.purposes,
      expiresAt: foreignSummaries.expiresAt,
    })
    .from(foreignSummaries)
    .where(inArray(foreignSummaries.caseId, [...new Set(caseIds)]));
  for (const row of rows) {
    // No expiry recorded: received before it was (and never keyed); matched on its next version.
    if (!row.expiresAt || row.expiresAt <= now) continue;
    held.set(heldKey(row.origin, row.caseId), {
      ...row,
      purposes: row.purposes as Purpose[],
      expiresAt: row.expiresAt,
    });
  }
  return held;
}

async function heldVersions(
  tx: Pick<ApplyTx, 'select'>,
  summaries: readonly Held[],
): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  if (summaries.length === 0) return versions;
  const rows = await tx
    .select({
      origin: foreignSummaries.origin,
      caseId: foreignSummaries.caseId,
      version: foreignSummaries.version,
    })
    .from(foreignSummaries)
    .where(
      inArray(
        foreignSummaries.caseId,
        summaries.map((summary) => summary.caseId),
      ),
    );
  for (const row of rows) versions.set(heldKey(row.origin, row.caseId), row.version);
  return versions;
}

/**
 * Closes the report's undecided found_here candidates except those for the summaries in `keep`
 * (an officer's confirmation is not undone by a score), each audited and withdrawn at the origin
 * with a `withdrawn` notice; returns the notices queued.
 */
async function closeCandidates(
  tx: ApplyTx,
  services: NodeServices,
  localCaseId: string,
  keep: ReadonlySet<string>,
  reasonFor: (origin: string, caseId: string) => string,
  now: Date,
): Promise<Envelope[]> {
  const open = await tx
    .select()
    .from(crossBorderCandidates)
    .where(
      and(
        eq(crossBorderCandidates.role, 'found_here'),
        eq(crossBorderCandidates.localCaseId, localCaseId),
        eq(crossBorderCandidates.status, 'proposed'),
        isNull(crossBorderCandidates.confirmedHereAt),
        isNull(crossBorderCandidates.confirmedThereAt),
      ),
    )
    .for('update');
  const sent: Envelope[] = [];
  for (const row of open) {
    if (keep.has(heldKey(row.foreignOrigin, row.foreignReference))) continue;
    const reason = reasonFor(row.foreignOrigin, row.foreignReference);
    await tx
      .update(crossBorderCandidates)
      .set({ status: 'closed', closedReason: reason, updatedAt: now })
      .where(eq(crossBorderCandidates.id, row.id));
    await appendAudit(tx, {
      actorId: 'system:cross-border-matching',
      action: 'match.cross_border.closed',
      recordType: 'case',
      recordId: localCaseId,
      reason: `${row.id}: ${row.foreignOrigin}/${row.foreignReference}, ${reason}`,
      at: now,
    });
    // The origin still shows it as proposed: tell it (nothing to tell once the summary is gone).
    if (reason === NOT_HELD) continue;
    const notice = await sendMatchEvent(tx, services, row, {
      event: 'withdrawn',
      ...pairOf(row),
      reason,
      at: now.toISOString(),
    });
    if (notice) sent.push(notice);
  }
  return sent;
}
