// Hit / no-hit queries and detail requests end to end, through a real hub over real mutual TLS:
// the hub and three nodes as separate processes (support/federation.ts), each with its own
// PostgreSQL database and its background work running as in production (relay through BullMQ on
// Redis, inbox long-poll, configuration refresh, matcher, escalation). An anti-trafficking
// officer at IN-MH asks about a rescued girl; the hub fans the query out; IN-WB, which holds her
// missing report, answers hit, NP answers no hit; a detail request is approved at IN-WB and the
// full-tier case is decrypted at IN-MH; another is denied; a third is left past its deadline and
// escalates to IN-WB's administrators.
import type { DetailRequest, Query, ReportInput } from '@khoj/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelopes, transparencyLeaves } from '../../hub/src/db/schema/index.ts';
import { auditLog, cases, detailRequests } from '../../nodes/src/db/schema/index.ts';
import { createFederation, eventually } from './support/federation.ts';

const NODES = ['IN-MH', 'IN-WB', 'NP'] as const;
type NodeId = (typeof NODES)[number];

const missingChild: ReportInput = {
  kind: 'missing',
  child: { name: 'Rupa Mondal', sex: 'female', age: { years: 12 }, languages: ['bn'] },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-09-14',
  missing: {
    gdNumber: 'GD 1187/26',
    guardians: [{ name: 'Anil Mondal', relation: 'father', phones: ['+91 98300 11111'] }],
  },
};

const query = {
  lookingFor: 'missing',
  child: { name: 'Rupa Mondal', sex: 'female', age: { estimateMin: 11, estimateMax: 13 }, languages: ['bn'] },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-11-02',
  purpose: 'anti_trafficking',
  legalBasis: 'statute',
  caseReference: 'AHTU/MUM/114/26',
};

describe('hit / no-hit queries and detail requests through a real hub', () => {
  const federation = createFederation({ name: 'queries', nodes: NODES });
  let caseId: string;

  /** The node API as officer `who` (whose node is `nodeId`). */
  const call = <T>(nodeId: NodeId, who: string, method: string, path: string, body?: unknown) => {
    expect(federation.officers[who]?.nodeId).toBe(nodeId);
    return federation.call<T>(who, method, path, body);
  };
  const db = (nodeId: NodeId) => federation.node(nodeId).store.db;

  beforeAll(async () => {
    await federation.start();
    await federation.officer('IN-MH', 'ahtu.mumbai', 'ahtu_officer', { type: 'ahtu', state: 'MH' });
    await federation.officer('IN-WB', 'si.ranaghat', 'police_officer', {
      type: 'police_station',
      state: 'WB',
    });
    await federation.officer('IN-WB', 'scpu.wb', 'scpu_officer', { type: 'scpu', state: 'WB' });
    await federation.officer('IN-WB', 'admin.wb', 'node_admin', {
      type: 'district_administration',
      state: 'WB',
    });

    const created = await call<{ report: { caseId: string } }>(
      'IN-WB',
      'si.ranaghat',
      'POST',
      '/v1/reports',
      {
        ...missingChild,
      },
    );
    expect(created.status).toBe(201);
    caseId = created.body.report.caseId;
    // The matcher indexes the new report in the background before a query can find it.
    await eventually('the report to be indexed for matching', async () => {
      const [row] = await db('IN-WB').select().from(cases).where(eq(cases.id, caseId));
      return row?.matchedVersion === row?.version ? true : undefined;
    });
  }, 300_000);

  afterAll(() => federation.stop(), 60_000);

  let handle: string;

  /** The query once every node it went to has answered. */
  const answered = (queryId: string) =>
    eventually('every answer', async () => {
      const { body } = await call<Query>('IN-MH', 'ahtu.mumbai', 'GET', `/v1/queries/${queryId}`);
      return body.answers.every((answer) => answer.outcome !== 'awaiting') ? body : undefined;
    });

  /** The outgoing request at IN-MH once IN-WB's answer has arrived. */
  const decided = (requestId: string) =>
    eventually('the detail response', async () => {
      const { body } = await call<DetailRequest>(
        'IN-MH',
        'ahtu.mumbai',
        'GET',
        `/v1/detail-requests/${requestId}`,
      );
      return body.status === 'pending' ? undefined : body;
    });

  /** IN-WB's incoming request for IN-MH's `requestId`, once it has arrived. */
  const incoming = (requestId: string) =>
    eventually('the incoming request', async () => {
      const [row] = await db('IN-WB')
        .select()
        .from(detailRequests)
        .where(eq(detailRequests.remoteId, requestId));
      return row;
    });

  const requestDetails = async (reason: string) => {
    const { status, body } = await call<DetailRequest>(
      'IN-MH',
      'ahtu.mumbai',
      'POST',
      '/v1/detail-requests',
      {
        handle,
        reason,
        legalBasis: 'statute',
        purpose: 'anti_trafficking',
      },
    );
    expect(status, JSON.stringify(body)).toBe(201);
    return body;
  };

  it('fans the query out: a hit from IN-WB, no hit from NP', async () => {
    const { status, body } = await call<Query>('IN-MH', 'ahtu.mumbai', 'POST', '/v1/queries', query);
    expect(status).toBe(201);
    expect(body.answers.map((answer) => answer.nodeId)).toEqual(['IN-WB', 'NP']);
    const done = await answered(body.queryId);
    const [wb, np] = done.answers;
    expect(wb).toMatchObject({ nodeId: 'IN-WB', outcome: 'hit' });
    expect(wb?.hits).toHaveLength(1);
    expect(np).toMatchObject({ nodeId: 'NP', outcome: 'no_hit', hits: [] });
    handle = wb?.hits[0]?.handle as string;

    // The hub logged the query (with the members it reached) and both answers in its
    // transparency log, and holds no plaintext of them.
    const leaves = await federation.hub.store.db.select().from(transparencyLeaves);
    const logged = leaves.map((leaf) => [leaf.type, leaf.origin, leaf.recipients]);
    expect(logged).toEqual(
      expect.arrayContaining([
        ['query.request', 'IN-MH', ['IN-WB', 'NP']],
        ['query.hit', 'IN-WB', ['IN-MH']],
        ['query.hit', 'NP', ['IN-MH']],
      ]),
    );
    const stored = JSON.stringify(await federation.hub.store.db.select().from(envelopes));
    for (const plaintext of ['Rupa', 'Mondal', 'AHTU/MUM', handle]) expect(stored).not.toContain(plaintext);
  });

  it('an approved detail request brings the full-tier case to IN-MH, decrypted there', async () => {
    const request = await requestDetails('to confirm her identity before repatriation');
    const atWb = await incoming(request.requestId);
    expect(atWb).toMatchObject({ status: 'pending', caseId, peerNode: 'IN-MH' });
    const pending = await call<{ requests: DetailRequest[] }>(
      'IN-WB',
      'scpu.wb',
      'GET',
      '/v1/detail-requests?status=pending',
    );
    expect(pending.body.requests.map((row) => row.requestId)).toContain(atWb.id);
    const approve = await call('IN-WB', 'scpu.wb', 'POST', `/v1/detail-requests/${atWb.id}/approve`, {});
    expect(approve.status).toBe(200);

    const answer = await decided(request.requestId);
    expect(answer.status).toBe('approved');
    expect(answer.details?.summary).toMatchObject({
      caseId,
      origin: 'IN-WB',
      child: { name: 'Rupa Mondal' },
      guardians: [{ name: 'Anil Mondal', relation: 'father', phones: ['+91 98300 11111'] }],
    });
    expect(answer.details?.contact.phones).toEqual(['+91 3473 210000']);
    // Audited at both ends.
    const actions = async (nodeId: NodeId) =>
      (await db(nodeId).select().from(auditLog)).map((entry) => entry.action);
    expect(await actions('IN-WB')).toEqual(
      expect.arrayContaining([
        'query.received',
        'case.query_hit',
        'detail.received',
        'detail.approve',
        'case.disclose',
      ]),
    );
    expect(await actions('IN-MH')).toEqual(
      expect.arrayContaining(['query.create', 'query.answered', 'detail.request', 'detail.answered']),
    );
  });

  it('a denied request brings its reason', async () => {
    const request = await requestDetails('second look');
    const atWb = await incoming(request.requestId);
    const deny = await call('IN-WB', 'scpu.wb', 'POST', `/v1/detail-requests/${atWb.id}/deny`, {
      reason: 'a court order is needed for this child',
    });
    expect(deny.status).toBe(200);
    const answer = await decided(request.requestId);
    expect(answer).toMatchObject({
      status: 'denied',
      details: null,
      decisionReason: 'a court order is needed for this child',
    });
  });

  it("a request left past its deadline escalates to IN-WB's administrators", async () => {
    const request = await requestDetails('third look');
    const atWb = await incoming(request.requestId);
    // Its 72-hour deadline moved into the past (a separate process's clock cannot be moved);
    // IN-WB's background check, which runs when the node starts and then every minute, escalates it.
    await db('IN-WB')
      .update(detailRequests)
      .set({ deadline: new Date(Date.now() - 60_000) })
      .where(eq(detailRequests.id, atWb.id));
    await federation.restartNode('IN-WB');
    const escalated = await eventually('the escalation', async () => {
      const { body } = await call<{ requests: DetailRequest[] }>(
        'IN-WB',
        'admin.wb',
        'GET',
        '/v1/detail-requests?status=escalated',
      );
      return body.requests.find((row) => row.requestId === atWb.id);
    });
    expect(escalated).toMatchObject({ status: 'escalated', escalatedAt: expect.any(String) });
  });
});
