// Hit / no-hit queries and detail requests between three in-process nodes on PGlite and on
// PostgreSQL: IN-MH's anti-trafficking unit asks; IN-WB holds the missing report and answers hit;
// NP holds nothing and answers no hit. Envelopes go through each node's real inbox (test-link.ts
// stands in for the hub). Then a detail request approved, one denied, one escalated past its
// deadline, a purpose the receiving node refuses, and the 4xx codes of each route.
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
  receivedQueries,
} from '../db/schema/index.ts';
import { createMatcher } from '../matching/matcher.ts';
import { matchThresholds } from '../matching/thresholds.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { escalateOverdueDetailRequests } from './escalation.ts';
import { deliver, linkNodes } from './test-link.ts';

const missingChild: ReportInput = {
  kind: 'missing',
  child: {
    name: 'Rupa Mondal',
    aliases: ['Runu'],
    sex: 'female',
    age: { years: 12 },
    languages: ['bn'],
    identifyingMarks: ['mole on left cheek'],
  },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-09-14',
  missing: {
    gdNumber: 'GD 1187/26',
    guardians: [{ name: 'Anil Mondal', relation: 'father', phones: ['+91 98300 11111'] }],
  },
};

/** A girl rescued in Mumbai who says she is Rupa from Nadia. */
const query = {
  lookingFor: 'missing',
  child: {
    name: 'Rupa Mondal',
    sex: 'female',
    age: { estimateMin: 11, estimateMax: 13 },
    languages: ['bn'],
    identifyingMarks: ['mole on left cheek'],
  },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-11-02',
  purpose: 'anti_trafficking',
  legalBasis: 'statute',
  caseReference: 'AHTU/MUM/114/26',
};

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe.each(['pglite', 'postgres'] as const)(
  'hit / no-hit queries and detail requests on %s',
  (database) => {
    let mh: TestNode;
    let wb: TestNode;
    let np: TestNode;
    let link: Awaited<ReturnType<typeof linkNodes>>;
    const databases: string[] = [];
    let ahtu: string;
    let otherAhtu: string;
    let mhAdmin: string;
    let scpu: string;
    let otherStateScpu: string;
    let wbAdmin: string;
    let wbAhtu: string;
    let cci: string;
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
      const mumbai = { country: 'IN', state: 'MH', district: 'Mumbai' };
      ahtu = (await mh.user('ahtu_officer', (await mh.unit({ type: 'ahtu', ...mumbai })).id)).token;
      otherAhtu = (await mh.user('ahtu_officer', (await mh.unit({ type: 'ahtu', ...mumbai })).id)).token;
      mhAdmin = (await mh.user('node_admin', (await mh.unit({ type: 'scpu', ...mumbai })).id)).token;

      const station = await wb.unit({
        type: 'police_station',
        name: 'Ranaghat PS',
        phones: ['+91 3473 210000'],
      });
      const police = (await wb.user('police_officer', station.id)).token;
      scpu = (await wb.user('scpu_officer', (await wb.unit({ type: 'scpu', district: undefined })).id)).token;
      otherStateScpu = (
        await wb.user('scpu_officer', (await wb.unit({ type: 'scpu', state: 'BR', district: undefined })).id)
      ).token;
      wbAdmin = (await wb.user('node_admin', (await wb.unit({ type: 'district_administration' })).id)).token;
      wbAhtu = (await wb.user('ahtu_officer', (await wb.unit({ type: 'ahtu' })).id)).token;
      cci = (await wb.user('cci_staff', (await wb.unit({ type: 'cci' })).id)).token;
      const created = await wb.request(police, 'POST', '/v1/reports', missingChild);
      expect(created.status).toBe(201);
      caseId = (await json(created)).report.caseId;
      // Index the report for matching, as the node's matcher does in the background.
      await createMatcher({ db: wb.services.db, thresholds: matchThresholds(wb.services.config) }).matchDue();
      // Three nodes, each with its own CA and database: minutes on a busy two-core machine.
    }, 300_000);
    afterAll(async () => {
      await Promise.all([mh, wb, np].map((node) => node?.cleanup()));
      for (const name of databases) await dropDatabase(inject('postgresUrl'), name);
    });

    const ask = async (body: unknown = query, token = ahtu) => {
      const response = await mh.request(token, 'POST', '/v1/queries', body);
      expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
      return json(response);
    };
    const requestDetails = async (handle: string, reason = 'to confirm her identity before repatriation') => {
      const response = await mh.request(ahtu, 'POST', '/v1/detail-requests', {
        handle,
        reason,
        legalBasis: 'statute',
        purpose: 'anti_trafficking',
      });
      expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
      return json(response);
    };
    /** The incoming request at IN-WB for IN-MH's request `remoteId`. */
    const incomingAtWb = async (remoteId: string) => {
      const [row] = await wb.services.db
        .select()
        .from(detailRequests)
        .where(and(eq(detailRequests.direction, 'incoming'), eq(detailRequests.remoteId, remoteId)));
      if (!row) throw new Error(`no incoming request for ${remoteId}`);
      return row;
    };
    const auditOf = (node: TestNode, action: string) =>
      node.services.db.select().from(auditLog).where(eq(auditLog.action, action));

    let hitHandle: string;

    it('fans a query out: hit at the owning node, no hit at the other, no personal data in the answers', async () => {
      const created = await ask();
      expect(created).toMatchObject({
        targets: ['*'],
        purpose: 'anti_trafficking',
        askedBy: { unitId: expect.any(String) },
        answers: [
          { nodeId: 'IN-WB', outcome: 'awaiting', hits: [], answeredAt: null },
          { nodeId: 'NP', outcome: 'awaiting', hits: [], answeredAt: null },
        ],
      });
      // Sealed once for every member the pattern reaches, sent to the pattern.
      const [row] = await mh.services.db
        .select()
        .from(outbox)
        .where(eq(outbox.envelopeId, created.envelopeId));
      expect(row?.envelope).toMatchObject({
        type: 'query.request',
        recipients: ['*'],
        purposes: ['anti_trafficking'],
      });
      expect(row?.envelope.payload.recipients).toHaveLength(2);
      expect(JSON.stringify(row?.envelope)).not.toContain('Rupa');
      expect((await auditOf(mh, 'query.create')).map((entry) => entry.recordId)).toContain(created.queryId);

      const carried = await link.exchange();
      const answers = carried.filter((envelope) => envelope.type === 'query.hit');
      expect(answers.map((envelope) => [envelope.origin, envelope.recipients])).toEqual(
        expect.arrayContaining([
          ['IN-WB', ['IN-MH']],
          ['NP', ['IN-MH']],
        ]),
      );

      const seen = await json(mh.request(ahtu, 'GET', `/v1/queries/${created.queryId}`));
      const [atWb, atNp] = seen.answers;
      expect(atWb).toMatchObject({ nodeId: 'IN-WB', outcome: 'hit', answeredAt: expect.any(String) });
      expect(atWb.hits).toEqual([
        {
          handle: expect.stringMatching(/^hit_[0-9a-z]{26}$/),
          band: expect.any(String),
          expiresAt: expect.any(String),
        },
      ]);
      expect(['strong', 'possible']).toContain(atWb.hits[0].band);
      expect(atNp).toMatchObject({ nodeId: 'NP', outcome: 'no_hit', hits: [] });
      hitHandle = atWb.hits[0].handle;

      // The owning node mapped the handle to its case and audited who asked, why and on what basis.
      const [mapped] = await wb.services.db.select().from(hitHandles).where(eq(hitHandles.handle, hitHandle));
      expect(mapped).toMatchObject({ caseId, origin: 'IN-MH', queryId: created.queryId });
      const [received] = await wb.services.db
        .select()
        .from(receivedQueries)
        .where(eq(receivedQueries.queryId, created.queryId));
      expect(received).toMatchObject({
        outcome: 'hit',
        hits: 1,
        purpose: 'anti_trafficking',
        legalBasis: 'statute',
      });
      const [audited] = await auditOf(wb, 'query.received');
      expect(audited?.reason).toContain('AHTU/MUM/114/26');
      expect(audited?.reason).toContain('anti_trafficking under statute');
      expect(audited?.reason).toContain(seen.askedBy.userId);
      expect((await auditOf(wb, 'case.query_hit')).map((entry) => entry.recordId)).toEqual([caseId]);
      expect(await auditOf(np, 'query.received')).toHaveLength(1);
      expect((await auditOf(mh, 'query.answered')).length).toBe(2);
      // The stored answer at the asker holds no case id, name or district of the child.
      expect(JSON.stringify(seen.answers)).not.toMatch(/case_|Rupa|Nadia/);
    });

    it("lists the unit's queries, and hides them from another unit", async () => {
      const mine = await json(mh.request(ahtu, 'GET', '/v1/queries'));
      expect(mine.queries.length).toBeGreaterThanOrEqual(1);
      const theirs = await json(mh.request(otherAhtu, 'GET', '/v1/queries'));
      expect(theirs.queries).toEqual([]);
      const refused = await mh.request(otherAhtu, 'GET', `/v1/queries/${mine.queries[0].queryId}`);
      expect(refused.status).toBe(404);
      expect((await json(refused)).error.code).toBe('QUERY_NOT_FOUND');
      const handle = await mh.request(otherAhtu, 'POST', '/v1/detail-requests', {
        handle: hitHandle,
        reason: 'curious',
        legalBasis: 'statute',
        purpose: 'anti_trafficking',
      });
      expect(handle.status).toBe(404);
      expect((await json(handle)).error.code).toBe('HIT_NOT_FOUND');
    });

    it('a detail request, approved at the owning node, brings the full-tier case to the requester only', async () => {
      const request = await requestDetails(hitHandle);
      expect(request).toMatchObject({
        direction: 'outgoing',
        peerNode: 'IN-WB',
        status: 'pending',
        details: null,
      });
      const carried = await link.exchange();
      expect(carried.find((envelope) => envelope.type === 'detail.request')?.recipients).toEqual(['IN-WB']);

      const incoming = await incomingAtWb(request.requestId);
      expect(incoming).toMatchObject({ status: 'pending', caseId, peerNode: 'IN-MH', handle: hitHandle });
      const hours = ((incoming.deadline?.getTime() ?? 0) - incoming.createdAt.getTime()) / 3_600_000;
      expect(hours).toBe(72);

      const pending = await json(wb.request(scpu, 'GET', '/v1/detail-requests?status=pending'));
      expect(pending.requests.map((row: { requestId: string }) => row.requestId)).toContain(incoming.id);
      // An SCPU officer of another state, and an AHTU officer of the owning node, do not see it.
      const elsewhere = await json(wb.request(otherStateScpu, 'GET', '/v1/detail-requests?status=pending'));
      expect(elsewhere.requests).toEqual([]);
      expect(
        (await wb.request(otherStateScpu, 'POST', `/v1/detail-requests/${incoming.id}/approve`, {})).status,
      ).toBe(404);
      expect((await json(wb.request(wbAhtu, 'GET', '/v1/detail-requests'))).requests).toEqual([]);
      const forbidden = await wb.request(wbAhtu, 'POST', `/v1/detail-requests/${incoming.id}/approve`, {});
      expect(forbidden.status).toBe(403);

      const approved = await wb.request(scpu, 'POST', `/v1/detail-requests/${incoming.id}/approve`, {
        note: 'identity to be confirmed by video call',
      });
      expect(approved.status).toBe(200);
      expect(await json(approved)).toMatchObject({ status: 'approved', decidedBy: expect.any(String) });
      const twice = await wb.request(scpu, 'POST', `/v1/detail-requests/${incoming.id}/approve`, {});
      expect(twice.status).toBe(409);
      expect((await json(twice)).error.code).toBe('DETAIL_REQUEST_DECIDED');
      const denyAfter = await wb.request(scpu, 'POST', `/v1/detail-requests/${incoming.id}/deny`, {
        reason: 'late',
      });
      expect((await json(denyAfter)).error.code).toBe('DETAIL_REQUEST_DECIDED');

      const response = (await link.exchange()).find((envelope) => envelope.type === 'detail.response');
      expect(response?.recipients).toEqual(['IN-MH']);
      expect(response?.payload.recipients).toHaveLength(1);
      const answered = await json(mh.request(ahtu, 'GET', `/v1/detail-requests/${request.requestId}`));
      expect(answered).toMatchObject({ status: 'approved', decidedAt: expect.any(String) });
      expect(answered.details.summary).toMatchObject({
        caseId,
        origin: 'IN-WB',
        child: { name: 'Rupa Mondal', sex: 'female' },
        guardians: [{ name: 'Anil Mondal', relation: 'father', phones: ['+91 98300 11111'] }],
      });
      expect(answered.details.contact).toMatchObject({
        unitName: 'Ranaghat PS',
        phones: ['+91 3473 210000'],
      });

      // Audited at both nodes: the request, its receipt, the decision, the disclosure, the answer.
      expect((await auditOf(mh, 'detail.request')).map((entry) => entry.recordId)).toContain(
        request.requestId,
      );
      expect((await auditOf(wb, 'detail.received')).map((entry) => entry.recordId)).toContain(incoming.id);
      expect((await auditOf(wb, 'detail.approve')).map((entry) => entry.recordId)).toContain(incoming.id);
      expect((await auditOf(wb, 'case.disclose')).map((entry) => entry.recordId)).toContain(caseId);
      expect((await auditOf(mh, 'detail.answered')).map((entry) => entry.recordId)).toContain(
        request.requestId,
      );
    });

    it('a denial needs a reason, and the reason reaches the requester', async () => {
      const request = await requestDetails(hitHandle, 'second look');
      await link.exchange();
      const incoming = await incomingAtWb(request.requestId);
      const withoutReason = await wb.request(scpu, 'POST', `/v1/detail-requests/${incoming.id}/deny`, {});
      expect(withoutReason.status).toBe(400);
      expect((await json(withoutReason)).error.code).toBe('VALIDATION_FAILED');
      const denied = await wb.request(scpu, 'POST', `/v1/detail-requests/${incoming.id}/deny`, {
        reason: 'the legal basis named does not cover disclosure of guardians',
      });
      expect(denied.status).toBe(200);
      const approveAfter = await wb.request(scpu, 'POST', `/v1/detail-requests/${incoming.id}/approve`, {});
      expect((await json(approveAfter)).error).toMatchObject({
        code: 'DETAIL_REQUEST_DECIDED',
        message: expect.stringContaining('denied'),
      });
      await link.exchange();
      const answered = await json(mh.request(ahtu, 'GET', `/v1/detail-requests/${request.requestId}`));
      expect(answered).toMatchObject({
        status: 'denied',
        details: null,
        decisionReason: 'the legal basis named does not cover disclosure of guardians',
      });
    });

    it('a request undecided past its deadline escalates to the administrators, who may still decide', async () => {
      const request = await requestDetails(hitHandle, 'third look');
      await link.exchange();
      const incoming = await incomingAtWb(request.requestId);
      const deadline = incoming.deadline ?? new Date(Number.NaN);
      expect(await escalateOverdueDetailRequests(wb.services, new Date(deadline.getTime() - 1000))).toBe(0);
      expect(await escalateOverdueDetailRequests(wb.services, deadline)).toBe(1);
      expect(await escalateOverdueDetailRequests(wb.services, deadline)).toBe(0);
      const listed = await json(wb.request(wbAdmin, 'GET', '/v1/detail-requests?status=escalated'));
      expect(listed.requests).toEqual([
        expect.objectContaining({
          requestId: incoming.id,
          status: 'escalated',
          escalatedAt: expect.any(String),
        }),
      ]);
      expect((await auditOf(wb, 'detail.escalate')).map((entry) => entry.recordId)).toEqual([incoming.id]);
      const approved = await wb.request(wbAdmin, 'POST', `/v1/detail-requests/${incoming.id}/approve`, {});
      expect(approved.status).toBe(200);
      await link.exchange();
      expect((await json(mh.request(ahtu, 'GET', `/v1/detail-requests/${request.requestId}`))).status).toBe(
        'approved',
      );
    });

    it('a node refuses a query whose purpose its policy does not accept, with a code, and does not answer', async () => {
      const policy = link.policies.NP;
      if (!policy) throw new Error('no NP policy');
      policy.acceptsPurposes = ['reunification'];
      try {
        const created = await ask({ ...query, targets: ['NP', 'IN-WB'] });
        // The asker leaves out NP itself: its policy in the configuration refuses the purpose.
        expect(created.answers.map((answer: { nodeId: string }) => answer.nodeId)).toEqual(['IN-WB']);
        const [row] = await mh.services.db
          .select()
          .from(outbox)
          .where(eq(outbox.envelopeId, created.envelopeId));
        expect(row?.envelope.recipients).toEqual(['IN-WB']);
        // Delivered all the same (as a hub with an older configuration might): NP refuses it.
        if (!row) throw new Error('no outbox row for the query');
        await deliver(np, row.envelope);
        const [logged] = await np.services.db
          .select()
          .from(inboxLog)
          .where(eq(inboxLog.envelopeId, created.envelopeId));
        expect(logged).toMatchObject({
          outcome: 'rejected',
          reason: expect.stringMatching(/^ERR_PURPOSE_NOT_ACCEPTED/),
        });
        expect((await auditOf(np, 'envelope.refused')).map((entry) => entry.recordId)).toContain(
          created.envelopeId,
        );
        const npAnswers = await np.services.db
          .select()
          .from(outbox)
          .where(eq(outbox.subject, created.queryId));
        expect(npAnswers).toEqual([]);
        const refused = await mh.request(ahtu, 'POST', '/v1/queries', { ...query, targets: ['NP'] });
        expect(refused.status).toBe(409);
        expect((await json(refused)).error.code).toBe('QUERY_NO_RECIPIENTS');
      } finally {
        policy.acceptsPurposes = ['reunification', 'anti_trafficking'];
      }
    });

    it('answers bad input and other roles with stable codes', async () => {
      const cwc = (await wb.user('cwc_member', (await wb.unit({ type: 'cwc' })).id)).token;
      const cases: Array<[TestNode, string, string, string, unknown, number, string]> = [
        [
          mh,
          ahtu,
          'POST',
          '/v1/queries',
          { ...query, child: { ...query.child, guardians: [] } },
          400,
          'VALIDATION_FAILED',
        ],
        [mh, ahtu, 'POST', '/v1/queries', { ...query, purpose: undefined }, 400, 'VALIDATION_FAILED'],
        [mh, ahtu, 'POST', '/v1/queries', { ...query, targets: ['BD'] }, 409, 'QUERY_NO_RECIPIENTS'],
        [mh, ahtu, 'POST', '/v1/queries', { ...query, targets: ['IN-MH'] }, 409, 'QUERY_NO_RECIPIENTS'],
        [mh, mhAdmin, 'POST', '/v1/queries', query, 403, 'FORBIDDEN'],
        [mh, ahtu, 'GET', '/v1/queries/query_0123456789abcdefghijklmnop', undefined, 404, 'QUERY_NOT_FOUND'],
        [mh, ahtu, 'GET', '/v1/queries/case_0123456789abcdefghijklmnop', undefined, 400, 'VALIDATION_FAILED'],
        [
          mh,
          ahtu,
          'POST',
          '/v1/detail-requests',
          {
            handle: 'hit_0123456789abcdefghijklmnop',
            reason: 'x',
            legalBasis: 'statute',
            purpose: 'anti_trafficking',
          },
          404,
          'HIT_NOT_FOUND',
        ],
        [
          mh,
          ahtu,
          'POST',
          '/v1/detail-requests',
          { handle: hitHandle, legalBasis: 'statute' },
          400,
          'VALIDATION_FAILED',
        ],
        [
          wb,
          scpu,
          'POST',
          '/v1/detail-requests/dreq_0123456789abcdefghijklmnop/approve',
          {},
          404,
          'DETAIL_REQUEST_NOT_FOUND',
        ],
        // A role that neither asks, decides nor reads matches (whose cross-border requests it would see).
        [wb, cwc, 'GET', '/v1/detail-requests', undefined, 403, 'FORBIDDEN'],
        [wb, cwc, 'GET', '/v1/detail-requests/dreq_0123456789abcdefghijklmnop', undefined, 403, 'FORBIDDEN'],
        [
          wb,
          cci,
          'GET',
          '/v1/detail-requests/dreq_0123456789abcdefghijklmnop',
          undefined,
          404,
          'DETAIL_REQUEST_NOT_FOUND',
        ],
        [mh, ahtu, 'GET', '/v1/detail-requests?status=lost', undefined, 400, 'VALIDATION_FAILED'],
      ];
      for (const [node, token, method, path, body, status, code] of cases) {
        const response = await node.request(token, method, path, body);
        expect(response.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
        expect((await json(response)).error.code, `${method} ${path}`).toBe(code);
      }
      // An outgoing request is not one to decide: its node's administrator gets 404.
      const [outgoing] = await mh.services.db
        .select()
        .from(detailRequests)
        .where(eq(detailRequests.direction, 'outgoing'))
        .limit(1);
      const decide = await mh.request(mhAdmin, 'POST', `/v1/detail-requests/${outgoing?.id}/approve`, {});
      expect(decide.status).toBe(404);
      expect((await json(decide)).error.code).toBe('DETAIL_REQUEST_NOT_FOUND');
    });
  },
);
