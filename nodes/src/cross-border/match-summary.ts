// Cross-border matching at the receiver: once a foreign summary is stored, it is matched against
// this node's own reports of the other side with the engine (matching/probe.ts), at the tier it
// was received (a minimal summary matches on phonetic keys, sex, age band, place and date). Pairs
// at or above the review threshold become cross-border candidates, each sent to the origin as a
// `match.notice` in the transaction that stores it, so both case owners see it.
//
// What the notice tells the origin: its own case id and version, the probability and band, and
// the explanation's field, level and weight for each step — but not the steps' texts, which
// quote the local child's names and marks (the local child's family consented to nothing towards
// the origin), and not the local case id: the candidate's id is the origin's opaque handle.
import type { Envelope, ExplanationStep, MatchNotice, SharedCase } from '@khoj/contracts';
import { currentTraceparent } from '@khoj/platform';
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { foreignSummaries } from '../db/schema/index.ts';
import { enqueueEnvelope } from '../exchange/outbox.store.ts';
import { sealEnvelope } from '../exchange/seal.ts';
import { matchProbe, type ProbeCandidate, type ProbeProfile } from '../matching/probe.ts';
import type { NodeServices } from '../services.ts';
import { closeFoundHere, proposePair, setNotice } from './cross-border.store.ts';

/** Local reports considered per foreign summary. */
const PROBE_LIMIT = 20;

/**
 * Matching started after commit, per node, one summary at a time: a burst of summaries (a node
 * catching up on its inbox) then takes one database connection for matching, not one each, and
 * the inbox keeps the others. Kept so that a test or a shutdown can wait for it.
 */
const queues = new WeakMap<NodeServices, { tail: Promise<void>; size: number }>();

/** Queues matching of a stored summary; never throws (a failure is logged). */
export function matchForeignSummary(services: NodeServices, envelope: Envelope, shared: SharedCase): void {
  const queue = queues.get(services) ?? { tail: Promise.resolve(), size: 0 };
  queues.set(services, queue);
  queue.size++;
  queue.tail = queue.tail
    .then(() => matchSummaryNow(services, envelope.origin, shared))
    .then(
      () => undefined,
      (error: unknown) =>
        services.log(
          `cross-border matching of ${envelope.origin}/${shared.summary.caseId} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    )
    .finally(() => {
      queue.size--;
    });
}

/** Resolves once every cross-border matching queued so far has finished. */
export async function crossBorderSettled(services: NodeServices): Promise<void> {
  while ((queues.get(services)?.size ?? 0) > 0) await queues.get(services)?.tail;
}

/** The engine's view of a received summary: only what its tier carried. */
export function profileFromSummary(shared: SharedCase): ProbeProfile {
  const { summary } = shared;
  const { child } = summary;
  const names = [child.name, ...(child.aliases ?? [])].filter((name): name is string => !!name?.trim());
  return {
    id: `${summary.origin}/${summary.caseId}`,
    side: summary.kind,
    sex: child.sex,
    names,
    guardianNames: [],
    age:
      'years' in child.age
        ? { min: child.age.years, max: child.age.years, estimated: false }
        : { min: child.age.estimateMin, max: child.age.estimateMax, estimated: true },
    eventDate: summary.eventDate,
    place: {
      country: summary.place.country,
      ...(summary.place.state ? { state: summary.place.state } : {}),
      ...(summary.place.district ? { district: summary.place.district } : {}),
    },
    languages: child.languages ?? [],
    marks: child.identifyingMarks ?? [],
    heightCm: child.heightCm,
    // Names withheld (minimal tier): their phonetic keys still block.
    ...(names.length === 0 && child.phoneticNames ? { phoneticNames: child.phoneticNames } : {}),
  };
}

/** The explanation as the origin may see it: field, level and weight, no quoted texts. */
export function explanationForOrigin(steps: readonly ExplanationStep[]): ExplanationStep[] {
  return steps.map((step) => {
    const weight = `${step.weight >= 0 ? '+' : ''}${step.weight.toFixed(1)}`;
    return {
      field: step.field,
      level: step.level,
      weight: step.weight,
      detail: step.level,
      text: `${step.field}: ${step.level}, ${weight}`,
    };
  });
}

/** Matches one stored summary; returns the candidates proposed. */
export async function matchSummaryNow(
  services: NodeServices,
  origin: string,
  shared: SharedCase,
): Promise<ProbeCandidate[]> {
  const found = await matchProbe(services, profileFromSummary(shared), { limit: PROBE_LIMIT });
  const proposed = found.filter((candidate) => candidate.band !== 'low');
  const { caseId, version } = shared.summary;
  const now = services.clock();
  const notices = await services.db.transaction(async (tx) => {
    // A retraction or a newer version may have been applied since: match only what is held.
    const [held] = await tx
      .select({ version: foreignSummaries.version })
      .from(foreignSummaries)
      .where(and(eq(foreignSummaries.origin, origin), eq(foreignSummaries.caseId, caseId)));
    if (held?.version !== version) return [];
    await closeFoundHere(
      tx,
      origin,
      caseId,
      'no longer reaches the review threshold',
      now,
      proposed.map((candidate) => candidate.caseId),
    );
    const [to] = await services.directory.resolveRecipients([origin], services.identity.nodeId, tx);
    const sent: Envelope[] = [];
    for (const candidate of proposed) {
      const row = await proposePair(
        tx,
        {
          role: 'found_here',
          localCaseId: candidate.caseId,
          foreignOrigin: origin,
          foreignReference: caseId,
          foreignVersion: version,
          probability: candidate.probability,
          band: candidate.band === 'alert' ? 'alert' : 'review',
          explanation: candidate.explanation,
        },
        now,
      );
      await appendAudit(tx, {
        actorId: 'system:cross-border-matching',
        action: 'match.cross_border.proposed',
        recordType: 'case',
        recordId: candidate.caseId,
        reason: `${row.id}: ${origin}/${caseId} v${version}, p=${candidate.probability.toFixed(3)}`,
        at: now,
      });
      // The origin has left the federation: the candidate stays here, nobody can be told.
      if (!to) continue;
      const notice: MatchNotice = {
        caseId,
        caseVersion: version,
        reference: row.id,
        probability: candidate.probability,
        band: row.band,
        explanation: explanationForOrigin(candidate.explanation as ExplanationStep[]),
      };
      const envelope = await sealEnvelope({
        type: 'match.notice',
        origin: services.identity.nodeId,
        // One notice per candidate and summary version: a retry of the same gets the same id.
        subject: row.id,
        version,
        body: notice,
        recipients: [to],
        purposes: shared.scope.purposes,
        expiresAt: new Date(shared.scope.expiresAt),
        signingKey: services.keys.signing,
        now,
      });
      await enqueueEnvelope(tx, envelope, row.id, currentTraceparent());
      await setNotice(tx, row.id, envelope.id);
      sent.push(envelope);
    }
    return sent;
  });
  if (notices.length > 0) services.relay.notify(notices.map((envelope) => envelope.id));
  return proposed;
}
