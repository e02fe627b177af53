// Receiving the four envelopes of hit / no-hit queries (see exchange/handlers.ts for the contract
// of open / apply / afterCommit):
// - `query.request` at an answering node: refused unless this node's policy accepts the purpose;
//   matched locally (outside the transaction: matching reads the database on its own), audited,
//   and answered with a `query.hit` to the asker only — random handles and bands, no personal data.
// - `query.hit` at the asking node: the answer is stored against the query it answers.
// - `detail.request` at the owning node: stored as pending with a deadline, for an authorised
//   officer to decide (detail-requests.routes.ts).
// - `detail.response` at the requesting node: the decision (and on approval the full-tier case)
//   is stored on the outgoing request.
// Each effect and its audit entries commit with the inbox log row, so a redelivery has none.
import {
  DetailRequestBody,
  DetailResponseBody,
  type Envelope,
  envelopeIdFor,
  type HitBand,
  type Purpose,
  QueryHitBody,
  QueryRequestBody,
} from '@khoj/contracts';
import { currentTraceparent, newId } from '@khoj/platform';
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import {
  detailRequests,
  hitHandles,
  queries,
  queryAnswers,
  queryHits,
  receivedQueries,
} from '../db/schema/index.ts';
import type { ApplyTx, EnvelopeHandler } from '../exchange/handlers.ts';
import { enqueueEnvelope } from '../exchange/outbox.store.ts';
import { EnvelopeRejected, type OpeningKeys, openEnvelope, sealEnvelope } from '../exchange/seal.ts';
import { matchProbe } from '../matching/probe.ts';
import type { NodeServices } from '../services.ts';
import { detailDeadline, hitBand, MAX_HITS, newHitHandle, policyAccepts, queryProfile } from './query.ts';

/** Default KHOJ_DETAIL_DEADLINE_HOURS. */
export const DEFAULT_DETAIL_DEADLINE_HOURS = 72;

type ReceivedQuery = {
  body: QueryRequestBody;
  hits: Array<{ caseId: string; band: HitBand; probability: number }>;
};

/** Seals `body` for the named member nodes (read through `tx`) and writes it to the outbox. */
export async function sealToMembers(
  tx: ApplyTx,
  services: NodeServices,
  input: {
    type: Envelope['type'];
    subject: string;
    body: unknown;
    nodeIds: string[];
    /** The envelope's recipients when not `nodeIds`: a fan-out query's patterns. */
    routeTo?: string[];
    purposes: Purpose[];
    expiresAt: Date;
  },
): Promise<Envelope> {
  const members = await services.directory.members(tx);
  const recipients = input.nodeIds.map((nodeId) => {
    const key = members.find((member) => member.nodeId === nodeId)?.encryptionKeys[0];
    if (!key)
      throw new EnvelopeRejected('ERR_ORIGIN_UNKNOWN', `${nodeId} has no encryption key in the directory`);
    return { nodeId, encryptionKey: key };
  });
  const envelope = await sealEnvelope({
    type: input.type,
    origin: services.identity.nodeId,
    subject: input.subject,
    version: 1,
    body: input.body,
    recipients,
    ...(input.routeTo ? { routeTo: input.routeTo } : {}),
    purposes: input.purposes,
    expiresAt: input.expiresAt,
    signingKey: services.keys.signing,
    now: services.clock(),
  });
  await enqueueEnvelope(tx, envelope, input.subject, currentTraceparent());
  return envelope;
}

/** Refuses, before decrypting, an envelope whose purposes this node's policy does not accept. */
async function requireAcceptedPurposes(envelope: Envelope, services: NodeServices): Promise<void> {
  const config = await services.trust.current();
  const refused = envelope.purposes.filter(
    (purpose) => !policyAccepts(config, services.identity.nodeId, purpose),
  );
  if (refused.length > 0) {
    throw new EnvelopeRejected(
      'ERR_PURPOSE_NOT_ACCEPTED',
      `${services.identity.nodeId} does not accept ${refused.join(', ')} (its federation policy)`,
    );
  }
}

const requester = (who: { displayName: string; userId: string; unitId: string }) =>
  `${who.displayName} (${who.userId}, unit ${who.unitId})`;

export const queryRequestHandler: EnvelopeHandler<ReceivedQuery> = {
  async open(envelope: Envelope, keys: OpeningKeys, services: NodeServices) {
    await requireAcceptedPurposes(envelope, services);
    const body = await openEnvelope(envelope, keys, QueryRequestBody);
    if (envelope.purposes.length !== 1 || envelope.purposes[0] !== body.purpose) {
      throw new EnvelopeRejected(
        'ERR_PAYLOAD_INVALID',
        `the query's purpose ${body.purpose} is not the envelope's (${envelope.purposes.join(', ')})`,
      );
    }
    const candidates = await matchProbe(services, queryProfile(body), { limit: MAX_HITS });
    const hits = candidates.flatMap((candidate) => {
      const band = hitBand(candidate.band);
      return band ? [{ caseId: candidate.caseId, band, probability: candidate.probability }] : [];
    });
    return { body, hits };
  },

  async apply(tx, services, envelope, { body, hits }) {
    const now = services.clock();
    const handles = hits.map((hit) => ({ ...hit, handle: newHitHandle() }));
    if (handles.length > 0) {
      await tx.insert(hitHandles).values(
        handles.map((hit) => ({
          handle: hit.handle,
          origin: envelope.origin,
          queryId: body.queryId,
          caseId: hit.caseId,
          band: hit.band,
          probability: hit.probability,
          createdAt: now,
        })),
      );
    }
    const outcome = handles.length > 0 ? 'hit' : 'no_hit';
    await tx.insert(receivedQueries).values({
      origin: envelope.origin,
      queryId: body.queryId,
      envelopeId: envelope.id,
      askedBy: body.askedBy,
      lookingFor: body.lookingFor,
      purpose: body.purpose,
      legalBasis: body.legalBasis,
      caseReference: body.caseReference,
      outcome,
      hits: handles.length,
      receivedAt: now,
    });
    await appendAudit(tx, {
      at: now,
      actorId: `node:${envelope.origin}`,
      action: 'query.received',
      recordType: 'query',
      recordId: `${envelope.origin}/${body.queryId}`,
      reason:
        `asked by ${requester(body.askedBy)} for ${body.purpose} under ${body.legalBasis}, ` +
        `reference ${body.caseReference}; looking for ${body.lookingFor} reports; answered ${outcome}` +
        (handles.length ? ` (${handles.length})` : ''),
    });
    // The case's own trail shows that its existence was disclosed, to whom and under which handle.
    for (const hit of handles) {
      await appendAudit(tx, {
        at: now,
        actorId: `node:${envelope.origin}`,
        action: 'case.query_hit',
        recordType: 'case',
        recordId: hit.caseId,
        reason: `${hit.band} hit ${hit.handle} for query ${body.queryId} of ${envelope.origin}`,
      });
    }
    const answer: QueryHitBody =
      outcome === 'hit'
        ? {
            queryId: body.queryId,
            outcome: 'hit',
            hits: handles.map((hit) => ({ handle: hit.handle, band: hit.band })),
          }
        : { queryId: body.queryId, outcome: 'no_hit' };
    await sealToMembers(tx, services, {
      type: 'query.hit',
      subject: body.queryId,
      body: answer,
      nodeIds: [envelope.origin],
      purposes: [body.purpose],
      expiresAt: new Date(envelope.expiresAt),
    });
  },

  afterCommit(services, _envelope, { body }) {
    services.relay.notify([envelopeIdFor(services.identity.nodeId, 'query.hit', body.queryId, 1)]);
  },
};

export const queryHitHandler: EnvelopeHandler<QueryHitBody> = {
  open: (envelope, keys) => openEnvelope(envelope, keys, QueryHitBody),

  async apply(tx, services, envelope, body) {
    const [query] = await tx.select().from(queries).where(eq(queries.id, body.queryId)).limit(1);
    if (!query?.sentTo.includes(envelope.origin)) {
      throw new EnvelopeRejected(
        'ERR_SUBJECT_UNKNOWN',
        `no query ${body.queryId} of this node was sent to ${envelope.origin}`,
      );
    }
    const now = services.clock();
    await tx.insert(queryAnswers).values({
      queryId: query.id,
      nodeId: envelope.origin,
      outcome: body.outcome,
      envelopeId: envelope.id,
      answeredAt: now,
    });
    if (body.outcome === 'hit') {
      await tx
        .insert(queryHits)
        .values(body.hits.map((hit) => ({ nodeId: envelope.origin, queryId: query.id, ...hit })));
    }
    await appendAudit(tx, {
      at: now,
      actorId: `node:${envelope.origin}`,
      unitId: query.unitId,
      action: 'query.answered',
      recordType: 'query',
      recordId: query.id,
      reason: body.outcome === 'hit' ? `hit (${body.hits.length})` : 'no_hit',
    });
  },
};

export const detailRequestHandler: EnvelopeHandler<DetailRequestBody> = {
  async open(envelope, keys, services) {
    await requireAcceptedPurposes(envelope, services);
    return openEnvelope(envelope, keys, DetailRequestBody);
  },

  async apply(tx, services, envelope, body) {
    const [hit] = await tx.select().from(hitHandles).where(eq(hitHandles.handle, body.handle)).limit(1);
    if (!hit || hit.origin !== envelope.origin || hit.queryId !== body.queryId) {
      throw new EnvelopeRejected(
        'ERR_SUBJECT_UNKNOWN',
        `no hit ${body.handle} was given to ${envelope.origin} for query ${body.queryId}`,
      );
    }
    const now = services.clock();
    const id = newId('dreq');
    await tx.insert(detailRequests).values({
      id,
      direction: 'incoming',
      peerNode: envelope.origin,
      remoteId: body.requestId,
      queryId: body.queryId,
      handle: body.handle,
      caseId: hit.caseId,
      purpose: body.purpose,
      legalBasis: body.legalBasis,
      reason: body.reason,
      caseReference: body.caseReference,
      requestedBy: body.requestedBy,
      status: 'pending',
      deadline: detailDeadline(now, services.config.detailDeadlineHours ?? DEFAULT_DETAIL_DEADLINE_HOURS),
      envelopeId: envelope.id,
      createdAt: now,
    });
    await appendAudit(tx, {
      at: now,
      actorId: `node:${envelope.origin}`,
      action: 'detail.received',
      recordType: 'detail_request',
      recordId: id,
      reason:
        `${envelope.origin} request ${body.requestId} for case ${hit.caseId} (hit ${body.handle}) by ` +
        `${requester(body.requestedBy)} for ${body.purpose} under ${body.legalBasis}, reference ` +
        `${body.caseReference}: ${body.reason}`.slice(0, 2000),
    });
  },
};

export const detailResponseHandler: EnvelopeHandler<DetailResponseBody> = {
  open: (envelope, keys) => openEnvelope(envelope, keys, DetailResponseBody),

  async apply(tx, services, envelope, body) {
    const [request] = await tx
      .select()
      .from(detailRequests)
      .where(and(eq(detailRequests.id, body.requestId), eq(detailRequests.direction, 'outgoing')))
      .limit(1);
    if (!request || request.peerNode !== envelope.origin) {
      throw new EnvelopeRejected(
        'ERR_SUBJECT_UNKNOWN',
        `no detail request ${body.requestId} of this node was sent to ${envelope.origin}`,
      );
    }
    const now = services.clock();
    await tx
      .update(detailRequests)
      .set({
        status: body.decision,
        decidedAt: new Date(body.decidedAt),
        decisionReason: body.decision === 'denied' ? body.reason : null,
        details: body.decision === 'approved' ? body.details : null,
      })
      .where(eq(detailRequests.id, request.id));
    await appendAudit(tx, {
      at: now,
      actorId: `node:${envelope.origin}`,
      unitId: request.unitId,
      action: 'detail.answered',
      recordType: 'detail_request',
      recordId: request.id,
      reason: body.decision === 'denied' ? `denied: ${body.reason}` : 'approved: full-tier case received',
    });
  },
};
