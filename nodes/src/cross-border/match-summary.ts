// Cross-border matching at the receiver: once a foreign summary is stored, it is matched against
// this node's own reports of the other side with the engine (matching/probe.ts), at the tier it
// was received (a minimal summary matches on phonetic keys, sex, age band, place and date). Pairs
// at or above the review threshold become cross-border candidates, each sent to the origin as a
// `match.notice` in the transaction that stores it (found-here.ts), so both case owners see it.
// Reports registered or changed here later are matched against the held summaries by
// local-reports.ts.
import type { Envelope, SharedCase } from '@khoj/contracts';
import { errorLine } from '@khoj/platform';
import { and, eq } from 'drizzle-orm';
import { foreignSummaries } from '../db/schema/index.ts';
import { matchProbe, type ProbeCandidate, type ProbeProfile } from '../matching/probe.ts';
import type { NodeServices } from '../services.ts';
import { closeFoundHere, findCandidate, pairOf } from './cross-border.store.ts';
import { proposeFoundHere } from './found-here.ts';
import { sendMatchEvent } from './workflow.ts';

export { explanationForOrigin } from './found-here.ts';

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
          `cross-border matching of ${envelope.origin}/${shared.summary.caseId} failed: ${errorLine(error)}`,
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
export function profileFromSummary(shared: Pick<SharedCase, 'summary'>): ProbeProfile {
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
    const withdrawn = 'no longer reaches the review threshold';
    const closed = await closeFoundHere(
      tx,
      origin,
      caseId,
      withdrawn,
      now,
      proposed.map((candidate) => candidate.caseId),
    );
    const [to] = await services.directory.resolveRecipients([origin], services.identity.nodeId, tx);
    const sent: Envelope[] = [];
    // The origin was told of these: it closes its side too (workflow.ts).
    for (const id of closed) {
      const row = await findCandidate(tx, id);
      const reason = `${withdrawn} (version ${version})`;
      const envelope = row
        ? await sendMatchEvent(tx, services, row, {
            event: 'withdrawn',
            ...pairOf(row),
            reason,
            at: now.toISOString(),
          })
        : null;
      if (envelope) sent.push(envelope);
    }
    const summary = {
      origin,
      caseId,
      version,
      purposes: shared.scope.purposes,
      expiresAt: new Date(shared.scope.expiresAt),
    };
    for (const candidate of proposed) {
      const notice = await proposeFoundHere(tx, services, summary, candidate, to, now);
      if (notice) sent.push(notice);
    }
    return sent;
  });
  if (notices.length > 0) services.relay.notify(notices.map((envelope) => envelope.id));
  return proposed;
}
