// Receiving the four envelopes of hit / no-hit queries (see exchange/handlers.ts for the contract
// of open / apply / afterCommit):
// - `query.request` at an answering node: refused unless this node's policy accepts the purpose;
//   matched locally (outside the transaction: matching reads the database on its own), audited,
//   and answered with a `query.hit` to the asker only — random handles (with their expiry) and
//   bands, no personal data. Version 2 of the envelope withdraws the query (withdrawal.ts).
// - `query.hit` at the asking node: the answer is stored against the query it answers; refused
//   once the query is withdrawn.
// - `detail.request` at the owning node: refused when its handle is unknown or dead (handles.ts,
//   which tells the asker), else stored as pending with a deadline, for an authorised officer to
//   decide (detail-requests.routes.ts). Version 2 withdraws the request (withdrawal.ts).
// - `detail.response` at the requesting node: the decision (and on approval the full-tier case),
//   or the owning node's refusal, is stored on the outgoing request; refused once it is withdrawn.
// Each effect and its audit entries commit with the inbox log row, so a redelivery has none.
import {
  type DetailRequestBody,
  DetailRequestEnvelopeBody,
  DetailResponseBody,
  type DetailWithdrawalBody,
  type Envelope,
  envelopeIdFor,
  type HitBand,
  type Purpose,
  QueryHitBody,
  type QueryRequestBody,
  QueryRequestEnvelopeBody,
  type QueryWithdrawalBody,
} from '@khoj/contracts';
import { currentTraceparent, newId } from '@khoj/platform';
import { and, eq } from 'drizzle-orm';
import { appendAudit } from '../audit/audit.store.ts';
import { crossBorderDetailTarget } from '../cross-border/detail-target.ts';
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
import { refuseDeadHandle } from './handles.ts';
import {
  ASK_VERSION,
  DEFAULT_HIT_HANDLE_DAYS,
  detailDeadline,
  hitBand,
  hitExpiry,
  MAX_HITS,
  newHitHandle,
  policyAccepts,
  queryProfile,
  requester,
} from './query.ts';
import { applyDetailWithdrawal, applyQueryWithdrawal, withdrawnBefore } from './withdrawal.ts';

/** Default KHOJ_DETAIL_DEADLINE_HOURS. */
export const DEFAULT_DETAIL_DEADLINE_HOURS = 72;

type ReceivedQuery =
  | {
      body: QueryRequestBody;
      hits: Array<{ caseId: string; band: HitBand; probability: number }>;
    }
  | { body: QueryWithdrawalBody };

/** Seals `body` for the named member nodes (read through `tx`) and writes it to the outbox. */
export async function sealToMembers(
  tx: ApplyTx,
  services: NodeServices,
  input: {
    type: Envelope['type'];
    subject: string;
    body: unknown;
    /** Default 1; a withdrawal is version 2 of its subject (query.ts WITHDRAWAL_VERSION). */
    version?: number;
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
    version: input.version ?? ASK_VERSION,
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

export const queryRequestHandler: EnvelopeHandler<ReceivedQuery> = {
  async open(envelope: Envelope, keys: OpeningKeys, services: NodeServices): Promise<ReceivedQuery> {
    // Before decrypting, a withdrawal included: the hub does not route one to a node whose policy
    // no longer accepts the purpose either, and that node's handles die with their lifetime.
    await requireAcceptedPurposes(envelope, services);
    const body = await openEnvelope(envelope, keys, QueryRequestEnvelopeBody);
    if ('action' in body) return { body };
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

  async apply(tx, services, envelope, received) {
    if (!('hits' in received)) return applyQueryWithdrawal(tx, services, envelope, received.body);
    const { body, hits } = received;
    if (await withdrawnBefore(tx, envelope.origin, 'query.request', body.queryId)) {
      throw new EnvelopeRejected(
        'ERR_QUERY_WITHDRAWN',
        `query ${body.queryId} was withdrawn before it arrived`,
      );
    }
    const now = services.clock();
    const expiresAt = hitExpiry(now, services.config.hitHandleDays ?? DEFAULT_HIT_HANDLE_DAYS);
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
          purpose: body.purpose,
          createdAt: now,
          expiresAt,
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
            hits: handles.map((hit) => ({
              handle: hit.handle,
              band: hit.band,
              expiresAt: expiresAt.toISOString(),
            })),
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

  afterCommit(services, _envelope, received) {
    if (!('hits' in received)) return;
    const { body } = received;
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
    // A withdrawn query's late answers are not kept: its handles are gone at the answering node.
    if (query.withdrawnAt) {
      throw new EnvelopeRejected(
        'ERR_QUERY_WITHDRAWN',
        `query ${body.queryId} was withdrawn at ${query.withdrawnAt.toISOString()}`,
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
      await tx.insert(queryHits).values(
        body.hits.map((hit) => ({
          nodeId: envelope.origin,
          queryId: query.id,
          handle: hit.handle,
          band: hit.band,
          expiresAt: hit.expiresAt ? new Date(hit.expiresAt) : null,
        })),
      );
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

export const detailRequestHandler: EnvelopeHandler<DetailRequestBody | DetailWithdrawalBody> = {
  async open(envelope, keys, services) {
    await requireAcceptedPurposes(envelope, services);
    const body = await openEnvelope(envelope, keys, DetailRequestEnvelopeBody);
    if ('action' in body) return body;
    if (body.about === 'query_hit') await refuseDeadHandle(services, envelope, body);
    return body;
  },

  async apply(tx, services, envelope, body) {
    if ('action' in body) return applyDetailWithdrawal(tx, services, envelope, body);
    if (await withdrawnBefore(tx, envelope.origin, 'detail.request', body.requestId)) {
      throw new EnvelopeRejected(
        'ERR_DETAIL_REQUEST_WITHDRAWN',
        `detail request ${body.requestId} was withdrawn before it arrived`,
      );
    }
    // What is asked for: the case behind a hit, or this node's side of a cross-border match.
    const target =
      body.about === 'cross_border' ? await crossBorderDetailTarget(tx, envelope.origin, body) : undefined;
    const [hit] =
      body.about === 'query_hit'
        ? await tx.select().from(hitHandles).where(eq(hitHandles.handle, body.handle)).limit(1)
        : [];
    if (
      body.about === 'query_hit' &&
      (!hit || hit.origin !== envelope.origin || hit.queryId !== body.queryId)
    ) {
      throw new EnvelopeRejected(
        'ERR_SUBJECT_UNKNOWN',
        `no hit ${body.handle} was given to ${envelope.origin} for query ${body.queryId}`,
      );
    }
    const caseId = target?.caseId ?? hit?.caseId ?? '';
    const asked =
      body.about === 'query_hit' ? `hit ${body.handle}` : `cross-border match ${target?.candidateId}`;
    const now = services.clock();
    const id = newId('dreq');
    await tx.insert(detailRequests).values({
      id,
      direction: 'incoming',
      peerNode: envelope.origin,
      remoteId: body.requestId,
      queryId: body.about === 'query_hit' ? body.queryId : null,
      handle: body.about === 'query_hit' ? body.handle : null,
      candidateId: target?.candidateId ?? null,
      caseId,
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
        `${envelope.origin} request ${body.requestId} for case ${caseId} (${asked}) by ` +
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
    // Withdrawn here before the answer arrived: an approval's full-tier case is not kept.
    if (request.status === 'withdrawn') {
      throw new EnvelopeRejected(
        'ERR_DETAIL_REQUEST_WITHDRAWN',
        `detail request ${request.id} was withdrawn before ${envelope.origin} answered it (${body.decision})`,
      );
    }
    const now = services.clock();
    await tx
      .update(detailRequests)
      .set({
        status: body.decision,
        decidedAt: new Date(body.decidedAt),
        // A refusal keeps its stable code in front of the reason: `ERR_HIT_EXPIRED: …`.
        decisionReason:
          body.decision === 'denied'
            ? body.reason
            : body.decision === 'refused'
              ? `${body.code}: ${body.reason}`
              : null,
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
      reason:
        body.decision === 'approved'
          ? 'approved: full-tier case received'
          : body.decision === 'denied'
            ? `denied: ${body.reason}`
            : `refused without a decision: ${body.code}: ${body.reason}`,
    });
  },
};
