// Hit handle lifetimes and withdrawals between three in-process nodes on PGlite and on PostgreSQL
// (IN-MH asks, IN-WB holds the missing report, NP holds nothing; test-link.ts stands in for the
// hub): a handle past its lifetime is refused with ERR_HIT_EXPIRED at the owning node (the asker
// sees the request refused) and swept; a withdrawn query leaves nothing at the answering nodes and
// cancels their pending detail requests; a withdrawn detail request can no longer be decided; and
// the 4xx codes of both withdraw routes; a request whose hit died after it arrived cannot be approved.
import { randomUUID } from 'node:crypto';
import type { ReportInput } from '@khoj/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import {
  auditLog,
  detailRequests,
  hitHandles,
  inboxLog,
  outbox,
  queryHits,
  receivedQueries,
} from '../db/schema/index.ts';
import { createMatcher } from '../matching/matcher.ts';
import { matchThresholds } from '../matching/thresholds.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { escalateOverdueDetailRequests } from './escalation.ts';
import { sweepHitHandles } from './handles.ts';
import { linkNodes } from './test-link.ts';

const DAY_MS = 86_400_000;

const missingChild: ReportInput = {
  kind: 'missing',
  child: {
    name: 'Mitali Sardar',
    sex: 'female',
    age: { years: 13 },
    languages: ['bn'],
    identifyingMarks: ['burn scar on right hand'],
  },
  place: { country: 'IN', state: 'WB', district: 'South 24 Parganas' },
  eventDate: '2026-08-03',
  missing: {
    gdNumber: 'GD 902/26',
    guardians: [{ name: 'Rina Sardar', relation: 'mother', phones: ['+91 98300 22222'] }],
  },
};

/** A girl rescued in Pune who says she is Mitali from South 24 Parganas. */
const query = {
  lookingFor: 'missing',
  child: {
    name: 'Mitali Sardar',
    sex: 'female',
    age: { estimateMin: 12, estimateMax: 14 },
    languages: ['bn'],
    identifyingMarks: ['burn scar on right hand'],
  },
  place: { country: 'IN', state: 'WB', district: 'South 24 Parganas' },
  eventDate: '2026-11-10',
  purpose: 'anti_trafficking',
  legalBasis: 'statute',
  caseReference: 'AHTU/PUN/31/26',
};

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe.each(['pglite', 'postgres'] as const)('hit handle expiry and withdrawals on %s', (database) => {
  let mh: TestNode;
  let wb: TestNode;
  let np: TestNode;
  let link: Awaited<ReturnType<typeof linkNodes>>;
  const databases: string[] = [];
  let ahtu: string;
  let otherAhtu: string;
  let mhAdmin: string;
  let scpu: string;
  let caseId: string;

  const makeNode = async (nodeId: string) => {
    const url =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
        : undefined;
    if (url) databases.push(new URL(url).pathname.slice(1));
    return createTestNode(nodeId, url);
  };

  beforeAll(async () => {
    [mh, wb, np] = await Promise.all([makeNode('IN-MH'), makeNode('IN-WB'), makeNode('NP')]);
    link = await linkNodes([mh, wb, np]);
    const pune = { country: 'IN', state: 'MH', district: 'Pune' };
    ahtu = (await mh.user('ahtu_officer', (await mh.unit({ type: 'ahtu', ...pune })).id)).token;
    otherAhtu = (await mh.user('ahtu_officer', (await mh.unit({ type: 'ahtu', ...pune })).id)).token;
    mhAdmin = (await mh.user('node_admin', (await mh.unit({ type: 'scpu', ...pune })).id)).token;
    const station = await wb.unit({ type: 'police_station', name: 'Baruipur PS' });
    const police = (await wb.user('police_officer', station.id)).token;
    scpu = (await wb.user('scpu_officer', (await wb.unit({ type: 'scpu', district: undefined })).id)).token;
    const created = await wb.request(police, 'POST', '/v1/reports', missingChild);
    expect(created.status).toBe(201);
    caseId = (await json(created)).report.caseId;
    await createMatcher({ db: wb.services.db, thresholds: matchThresholds(wb.services.config) }).matchDue();
    // Three nodes, each with its own CA and database: minutes on a busy two-core machine.
  }, 300_000);
  afterAll(async () => {
    await Promise.all([mh, wb, np].map((node) => node?.cleanup()));
    for (const name of databases) await dropDatabase(inject('postgresUrl'), name);
  });

  const ask = async () => {
    const response = await mh.request(ahtu, 'POST', '/v1/queries', query);
    expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
    return json(response);
  };
  /** Asks, lets every node answer, and returns the query with IN-WB's one hit. */
  const askAndAnswer = async () => {
    const { queryId } = await ask();
    await link.exchange();
    const seen = await json(mh.request(ahtu, 'GET', `/v1/queries/${queryId}`));
    const hit = seen.answers.find((answer: { nodeId: string }) => answer.nodeId === 'IN-WB').hits[0];
    expect(hit, JSON.stringify(seen.answers)).toBeDefined();
    return { queryId: queryId as string, hit: hit as { handle: string; band: string; expiresAt: string } };
  };
  const requestDetails = async (handle: string, token = ahtu) =>
    mh.request(token, 'POST', '/v1/detail-requests', {
      handle,
      reason: 'to confirm her identity before repatriation',
      legalBasis: 'statute',
      purpose: 'anti_trafficking',
    });
  const incomingAtWb = async (remoteId: string) => {
    const [row] = await wb.services.db
      .select()
      .from(detailRequests)
      .where(and(eq(detailRequests.direction, 'incoming'), eq(detailRequests.remoteId, remoteId)));
    return row;
  };
  const auditOf = (node: TestNode, action: string) =>
    node.services.db.select().from(auditLog).where(eq(auditLog.action, action));
  /** Runs `body` with `node`'s clock at `at`. */
  const at = async <T>(node: TestNode, time: Date, body: () => Promise<T>): Promise<T> => {
    const clock = node.services.clock;
    node.services.clock = () => new Date(time);
    try {
      return await body();
    } finally {
      node.services.clock = clock;
    }
  };

  it('a hit carries its expiry; past it the owning node refuses with ERR_HIT_EXPIRED, the asker sees it refused, and the sweep forgets the handle', async () => {
    const { hit } = await askAndAnswer();
    const [mapped] = await wb.services.db.select().from(hitHandles).where(eq(hitHandles.handle, hit.handle));
    if (!mapped) throw new Error('IN-WB holds no mapping for the hit');
    // KHOJ_HIT_HANDLE_DAYS defaults to 30, and the asker is told the same instant.
    expect(mapped.expiresAt.getTime() - mapped.createdAt.getTime()).toBe(30 * DAY_MS);
    expect(Date.parse(hit.expiresAt)).toBe(mapped.expiresAt.getTime());
    expect(mapped.purpose).toBe('anti_trafficking');

    // Sent while the asker's clock says the hit is alive, arriving once it is not.
    const sent = await requestDetails(hit.handle);
    expect(sent.status).toBe(201);
    const request = await json(sent);
    const after = new Date(mapped.expiresAt.getTime() + 60_000);
    const carried = await at(wb, after, () => link.exchange());
    const requestEnvelope = carried.find((envelope) => envelope.type === 'detail.request');
    const [logged] = await wb.services.db
      .select()
      .from(inboxLog)
      .where(eq(inboxLog.envelopeId, requestEnvelope?.id ?? ''));
    expect(logged).toMatchObject({
      outcome: 'rejected',
      reason: expect.stringMatching(/^ERR_HIT_EXPIRED: /),
    });
    expect((await auditOf(wb, 'envelope.refused')).map((entry) => entry.recordId)).toContain(
      requestEnvelope?.id,
    );
    expect(await incomingAtWb(request.requestId)).toBeUndefined();

    // The owning node told the asker, which shows the request refused with the code.
    const refusal = carried.find((envelope) => envelope.type === 'detail.response');
    expect(refusal?.recipients).toEqual(['IN-MH']);
    const seen = await json(mh.request(ahtu, 'GET', `/v1/detail-requests/${request.requestId}`));
    expect(seen).toMatchObject({ status: 'refused', details: null });
    expect(seen.decisionReason).toMatch(/^ERR_HIT_EXPIRED: /);
    expect(seen.decisionReason).not.toContain(caseId);
    const listed = await json(mh.request(ahtu, 'GET', '/v1/detail-requests?status=refused'));
    expect(listed.requests.map((row: { requestId: string }) => row.requestId)).toEqual([request.requestId]);

    // The sweep: nothing before the lifetime ends, the handle and its mapping after.
    expect(await sweepHitHandles(wb.services, new Date(mapped.expiresAt.getTime() - 1000))).toBe(0);
    expect(await sweepHitHandles(wb.services, after)).toBeGreaterThanOrEqual(1);
    expect(await wb.services.db.select().from(hitHandles).where(eq(hitHandles.handle, hit.handle))).toEqual(
      [],
    );
    const trail = await auditOf(wb, 'case.query_hit_expired');
    expect(trail.find((entry) => entry.reason?.includes(hit.handle))).toMatchObject({ recordId: caseId });

    // The asker itself refuses a request for a hit it knows has expired. (Its clock cannot move a
    // month on: the officer's token would have expired too; the hit's expiry moves back instead.)
    await mh.services.db
      .update(queryHits)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(queryHits.handle, hit.handle));
    const late = await requestDetails(hit.handle);
    expect(late.status).toBe(410);
    expect((await json(late)).error.code).toBe('HIT_EXPIRED');
  });

  it('withdrawing a query: the answering nodes forget it and its handles, and its pending detail request is cancelled, not escalated', async () => {
    const { queryId, hit } = await askAndAnswer();
    const sent = await requestDetails(hit.handle);
    expect(sent.status).toBe(201);
    const request = await json(sent);
    await link.exchange();
    const incoming = await incomingAtWb(request.requestId);
    expect(incoming?.status).toBe('pending');
    const heldAt = async (node: TestNode) => ({
      queries: await node.services.db
        .select()
        .from(receivedQueries)
        .where(and(eq(receivedQueries.origin, 'IN-MH'), eq(receivedQueries.queryId, queryId))),
      handles: await node.services.db
        .select()
        .from(hitHandles)
        .where(and(eq(hitHandles.origin, 'IN-MH'), eq(hitHandles.queryId, queryId))),
    });
    expect((await heldAt(wb)).handles).toHaveLength(1);
    expect((await heldAt(np)).queries).toHaveLength(1);

    const withdrawn = await mh.request(ahtu, 'POST', `/v1/queries/${queryId}/withdraw`, {
      reason: 'the child was identified through her school records',
    });
    expect(withdrawn.status).toBe(200);
    expect(await json(withdrawn)).toMatchObject({
      queryId,
      withdrawnAt: expect.any(String),
      withdrawnBy: expect.any(String),
      withdrawReason: 'the child was identified through her school records',
    });
    // The asker's own pending request ends with the query.
    expect((await json(mh.request(ahtu, 'GET', `/v1/detail-requests/${request.requestId}`))).status).toBe(
      'withdrawn',
    );

    const carried = await link.exchange();
    const withdrawal = carried.find(
      (envelope) => envelope.type === 'query.request' && envelope.origin === 'IN-MH',
    );
    // Fanned out as the query was: to its targets, sealed to the nodes it went to.
    expect(withdrawal?.recipients).toEqual(['*']);
    expect(withdrawal?.payload.recipients).toHaveLength(2);
    expect(await heldAt(wb)).toEqual({ queries: [], handles: [] });
    expect(await heldAt(np)).toEqual({ queries: [], handles: [] });

    const cancelled = await incomingAtWb(request.requestId);
    expect(cancelled).toMatchObject({ status: 'withdrawn', decidedAt: expect.any(Date) });
    expect(cancelled?.decisionReason).toContain('the child was identified through her school records');
    // Past its deadline it does not escalate, and it can no longer be decided.
    const deadline = new Date((cancelled?.deadline ?? new Date()).getTime() + 1000);
    await escalateOverdueDetailRequests(wb.services, deadline);
    expect((await incomingAtWb(request.requestId))?.status).toBe('withdrawn');
    const approve = await wb.request(scpu, 'POST', `/v1/detail-requests/${incoming?.id}/approve`, {});
    expect(approve.status).toBe(409);
    expect((await json(approve)).error.code).toBe('DETAIL_REQUEST_WITHDRAWN');

    expect((await auditOf(mh, 'query.withdraw')).map((entry) => entry.recordId)).toContain(queryId);
    expect((await auditOf(wb, 'query.withdrawn')).map((entry) => entry.recordId)).toContain(
      `IN-MH/${queryId}`,
    );
    expect((await auditOf(wb, 'detail.withdrawn')).map((entry) => entry.recordId)).toContain(incoming?.id);
    // No more detail requests for its hits.
    const again = await requestDetails(hit.handle);
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('QUERY_WITHDRAWN');
  });

  it('answers arriving after a query was withdrawn are refused at the asker, and the answering nodes keep nothing', async () => {
    const { queryId } = await ask();
    const withdrawn = await mh.request(ahtu, 'POST', `/v1/queries/${queryId}/withdraw`, {
      reason: 'asked with the wrong description',
    });
    expect(withdrawn.status).toBe(200);
    // The query and its withdrawal leave in order: each node answers, then forgets.
    const carried = await link.exchange();
    const answers = carried.filter((envelope) => envelope.type === 'query.hit');
    expect(answers.map((envelope) => envelope.origin).sort()).toEqual(['IN-WB', 'NP']);
    for (const answer of answers) {
      const [logged] = await mh.services.db.select().from(inboxLog).where(eq(inboxLog.envelopeId, answer.id));
      expect(logged).toMatchObject({
        outcome: 'rejected',
        reason: expect.stringMatching(/^ERR_QUERY_WITHDRAWN: /),
      });
    }
    const seen = await json(mh.request(ahtu, 'GET', `/v1/queries/${queryId}`));
    expect(seen.answers.map((answer: { outcome: string }) => answer.outcome)).toEqual([
      'awaiting',
      'awaiting',
    ]);
    expect(seen.withdrawReason).toBe('asked with the wrong description');
    for (const node of [wb, np]) {
      expect(
        await node.services.db.select().from(receivedQueries).where(eq(receivedQueries.queryId, queryId)),
      ).toEqual([]);
      expect(await node.services.db.select().from(hitHandles).where(eq(hitHandles.queryId, queryId))).toEqual(
        [],
      );
    }
  });

  it('withdrawing a detail request: the owning node marks it withdrawn, and approving it there gives 409', async () => {
    const { hit } = await askAndAnswer();
    const request = await json(requestDetails(hit.handle));
    await link.exchange();
    const incoming = await incomingAtWb(request.requestId);
    expect(incoming?.status).toBe('pending');

    const withdrawn = await mh.request(ahtu, 'POST', `/v1/detail-requests/${request.requestId}/withdraw`, {
      reason: 'details obtained from the CWC directly',
    });
    expect(withdrawn.status).toBe(200);
    expect(await json(withdrawn)).toMatchObject({
      status: 'withdrawn',
      decisionReason: 'details obtained from the CWC directly',
    });
    const carried = await link.exchange();
    const envelope = carried.find((sent) => sent.type === 'detail.request' && sent.origin === 'IN-MH');
    expect(envelope?.recipients).toEqual(['IN-WB']);
    const [outboxRow] = await mh.services.db
      .select()
      .from(outbox)
      .where(eq(outbox.envelopeId, envelope?.id ?? ''));
    expect(JSON.stringify(outboxRow?.envelope)).not.toContain('CWC');

    expect(await incomingAtWb(request.requestId)).toMatchObject({
      status: 'withdrawn',
      decisionReason: expect.stringContaining('details obtained from the CWC directly'),
    });
    for (const action of ['approve', 'deny']) {
      const decided = await wb.request(scpu, 'POST', `/v1/detail-requests/${incoming?.id}/${action}`, {
        reason: 'too late',
      });
      expect(decided.status, action).toBe(409);
      expect((await json(decided)).error.code, action).toBe('DETAIL_REQUEST_WITHDRAWN');
    }
    const deadline = new Date((incoming?.deadline ?? new Date()).getTime() + 1000);
    await escalateOverdueDetailRequests(wb.services, deadline);
    expect((await incomingAtWb(request.requestId))?.status).toBe('withdrawn');
    expect((await auditOf(mh, 'detail.withdraw')).map((entry) => entry.recordId)).toContain(
      request.requestId,
    );
    expect((await auditOf(wb, 'detail.withdrawn')).map((entry) => entry.recordId)).toContain(incoming?.id);
  });

  it('answers bad withdrawals with stable codes', async () => {
    const { queryId, hit } = await askAndAnswer();
    const request = await json(requestDetails(hit.handle));
    const decidedRequest = await json(requestDetails(hit.handle));
    await link.exchange();
    const toApprove = await incomingAtWb(decidedRequest.requestId);
    expect((await wb.request(scpu, 'POST', `/v1/detail-requests/${toApprove?.id}/approve`, {})).status).toBe(
      200,
    );
    await link.exchange();
    const incoming = await incomingAtWb(request.requestId);

    const reason = { reason: 'no longer needed' };
    const cases: Array<[TestNode, string, string, unknown, number, string]> = [
      [mh, ahtu, '/v1/queries/query_0123456789abcdefghijklmnop/withdraw', reason, 404, 'QUERY_NOT_FOUND'],
      [mh, ahtu, '/v1/queries/case_0123456789abcdefghijklmnop/withdraw', reason, 400, 'VALIDATION_FAILED'],
      [mh, ahtu, `/v1/queries/${queryId}/withdraw`, {}, 400, 'VALIDATION_FAILED'],
      [mh, otherAhtu, `/v1/queries/${queryId}/withdraw`, reason, 404, 'QUERY_NOT_FOUND'],
      [mh, mhAdmin, `/v1/queries/${queryId}/withdraw`, reason, 403, 'FORBIDDEN'],
      [
        mh,
        ahtu,
        '/v1/detail-requests/dreq_0123456789abcdefghijklmnop/withdraw',
        reason,
        404,
        'DETAIL_REQUEST_NOT_FOUND',
      ],
      [
        mh,
        ahtu,
        `/v1/detail-requests/${request.requestId}/withdraw`,
        { reason: ' ' },
        400,
        'VALIDATION_FAILED',
      ],
      [
        mh,
        otherAhtu,
        `/v1/detail-requests/${request.requestId}/withdraw`,
        reason,
        404,
        'DETAIL_REQUEST_NOT_FOUND',
      ],
      [mh, mhAdmin, `/v1/detail-requests/${request.requestId}/withdraw`, reason, 403, 'FORBIDDEN'],
      [
        mh,
        ahtu,
        `/v1/detail-requests/${decidedRequest.requestId}/withdraw`,
        reason,
        409,
        'DETAIL_REQUEST_DECIDED',
      ],
      // An incoming request is not the owning node's to withdraw.
      [wb, scpu, `/v1/detail-requests/${incoming?.id}/withdraw`, reason, 403, 'FORBIDDEN'],
    ];
    for (const [node, token, path, body, status, code] of cases) {
      const response = await node.request(token, 'POST', path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect((await json(response)).error.code, path).toBe(code);
    }

    // Twice: the second withdrawal of each is refused.
    const first = await mh.request(ahtu, 'POST', `/v1/detail-requests/${request.requestId}/withdraw`, reason);
    expect(first.status).toBe(200);
    const second = await mh.request(
      ahtu,
      'POST',
      `/v1/detail-requests/${request.requestId}/withdraw`,
      reason,
    );
    expect(second.status).toBe(409);
    expect((await json(second)).error.code).toBe('DETAIL_REQUEST_WITHDRAWN');
    expect((await mh.request(ahtu, 'POST', `/v1/queries/${queryId}/withdraw`, reason)).status).toBe(200);
    const again = await mh.request(ahtu, 'POST', `/v1/queries/${queryId}/withdraw`, reason);
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('QUERY_WITHDRAWN');
  });

  it('a request whose hit died after it arrived cannot be approved: 409 DETAIL_REQUEST_STALE, nothing disclosed', async () => {
    const { hit } = await askAndAnswer();
    const sent = await requestDetails(hit.handle);
    expect(sent.status).toBe(201);
    const request = await json(sent);
    await link.exchange();
    const incoming = await incomingAtWb(request.requestId);
    expect(incoming?.status).toBe('pending');
    // The handle's lifetime ends while the request waits for an officer.
    await wb.services.db
      .update(hitHandles)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(hitHandles.handle, hit.handle));
    const queuedBefore = (await wb.services.db.select().from(outbox)).length;

    const approve = await wb.request(scpu, 'POST', `/v1/detail-requests/${incoming?.id}/approve`, {});
    expect(approve.status).toBe(409);
    expect((await json(approve)).error.code).toBe('DETAIL_REQUEST_STALE');
    expect((await incomingAtWb(request.requestId))?.status).toBe('pending');
    expect(await wb.services.db.select().from(outbox)).toHaveLength(queuedBefore);
    // A denial still goes: the asker hears an answer.
    const deny = await wb.request(scpu, 'POST', `/v1/detail-requests/${incoming?.id}/deny`, {
      reason: 'the hit is no longer valid',
    });
    expect(deny.status).toBe(200);
  });
});
