// The two-sided workflow on a cross-border match between linked test nodes (queries/test-link.ts:
// real keys and inboxes, the hub replaced by a carrier), on PGlite and PostgreSQL: a child missing
// at NP matched at IN-WB against a found child; each side asks the other for its case at the full
// tier (approved at the owning node), may confirm only once it arrived, and the match is confirmed
// when both have; repatriation steps become progress of both cases; NP's reunion retraction closes
// IN-WB's candidate. Also: a rejection closes both sides, a candidate the noticing node no longer
// proposes is withdrawn at the origin, and receivers refuse notices and requests from a node that
// is not party to the match, or progress before both sides confirmed.
import { randomUUID } from 'node:crypto';
import type { Envelope, MatchNotice, ReportInput } from '@khoj/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { inboxLog } from '../db/schema/index.ts';
import { createMatcher } from '../matching/matcher.ts';
import { matchThresholds } from '../matching/thresholds.ts';
import { sealToMembers } from '../queries/envelopes.ts';
import { deliver, linkNodes } from '../queries/test-link.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { crossBorderSettled } from './match-summary.ts';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

/** Children that do not match each other, one per test. */
const CHILDREN = [
  { name: 'Sita Tamang', sex: 'female', mark: 'mole on left cheek', years: 12 },
  { name: 'Bikash Rai', sex: 'male', mark: 'scar on right hand', years: 9 },
  { name: 'Pooja Magar', sex: 'female', mark: 'burn mark on left arm', years: 14 },
  { name: 'Ramesh Thapa', sex: 'male', mark: 'missing front tooth', years: 7 },
] as const;

describe.each(['pglite', 'postgres'] as const)('the cross-border match workflow on %s', (database) => {
  let np: TestNode;
  let wb: TestNode;
  let bd: TestNode;
  let link: Awaited<ReturnType<typeof linkNodes>>;
  let npPolice: string;
  let npScpu: string;
  let wbPolice: string;
  let wbScpu: string;
  const databases: string[] = [];

  beforeAll(async () => {
    const url = async () => {
      if (database !== 'postgres') return undefined;
      const created = await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`);
      databases.push(created);
      return created;
    };
    [np, wb, bd] = await Promise.all([
      url().then((at) => createTestNode('NP', at)),
      url().then((at) => createTestNode('IN-WB', at)),
      url().then((at) => createTestNode('BD', at)),
    ]);
    link = await linkNodes([np, wb, bd]);
    const bagmati = { country: 'NP', state: 'Bagmati', district: 'Sindhupalchok' };
    npPolice = (await np.user('police_officer', (await np.unit({ type: 'police_station', ...bagmati })).id))
      .token;
    npScpu = (
      await np.user('scpu_officer', (await np.unit({ type: 'scpu', ...bagmati, district: undefined })).id)
    ).token;
    wbPolice = (await wb.user('police_officer', (await wb.unit({ type: 'police_station' })).id)).token;
    wbScpu = (await wb.user('scpu_officer', (await wb.unit({ type: 'scpu', district: undefined })).id)).token;
    // Three nodes with their migrations, on a machine shared with other work.
  }, 360_000);

  afterAll(async () => {
    for (const node of [np, wb, bd]) await node?.cleanup();
    for (const url of databases) await dropDatabase(inject('postgresUrl'), new URL(url).pathname.slice(1));
  });

  /**
   * A found child at IN-WB and the same child reported missing at NP; the summary goes to IN-WB,
   * is matched there and noticed back. Returns both cases and both candidates.
   */
  async function proposedMatch(child: (typeof CHILDREN)[number]) {
    const found = await json(
      wb.request(wbPolice, 'POST', '/v1/reports', {
        kind: 'found',
        child: {
          name: child.name.split(' ')[0],
          sex: child.sex,
          age: { estimateMin: child.years - 1, estimateMax: child.years + 1 },
          languages: ['ne'],
          identifyingMarks: [child.mark],
        },
        place: { country: 'IN', state: 'WB', district: 'Darjeeling' },
        eventDate: '2026-11-24',
        found: { foundBy: 'railway_police' },
      }),
    );
    const missing: ReportInput = {
      kind: 'missing',
      child: {
        name: child.name,
        sex: child.sex,
        age: { years: child.years },
        languages: ['ne'],
        identifyingMarks: [child.mark],
      },
      place: { country: 'NP', state: 'Bagmati', district: 'Sindhupalchok' },
      eventDate: '2026-11-20',
      missing: { guardians: [{ name: 'Mina Tamang', relation: 'mother', phones: ['+9779800000001'] }] },
      consent: {
        purposes: ['reunification'],
        recipients: ['IN-*'],
        fields: 'standard',
        legalBasis: 'guardian_consent',
        expiresAt: inDays(300),
        grantedBy: 'Inspector, Sindhupalchok',
      },
    };
    // The found child's match keys and profile, as the matcher's sweep would make them.
    await createMatcher({ db: wb.services.db, thresholds: matchThresholds(wb.services.config) }).matchDue();
    const created = await json(np.request(npPolice, 'POST', '/v1/reports', missing));
    await link.exchange();
    await crossBorderSettled(wb.services);
    await link.exchange();
    const wbCase = found.report.caseId as string;
    const npCase = created.report.caseId as string;
    const [atWb] = (await json(wb.request(wbPolice, 'GET', `/v1/reports/${wbCase}/cross-border-candidates`)))
      .candidates;
    const [atNp] = (await json(np.request(npPolice, 'GET', `/v1/reports/${npCase}/cross-border-candidates`)))
      .candidates;
    expect(atWb).toMatchObject({ role: 'found_here', foreign: { origin: 'NP', reference: npCase } });
    expect(atNp).toMatchObject({
      role: 'notified',
      foreign: { origin: 'IN-WB', reference: atWb.candidateId },
    });
    return {
      wbCase,
      npCase,
      wbCandidate: atWb.candidateId as string,
      npCandidate: atNp.candidateId as string,
    };
  }

  const candidate = (node: TestNode, token: string, id: string) =>
    json(node.request(token, 'GET', `/v1/cross-border-candidates/${id}`));
  const act = (node: TestNode, token: string, id: string, action: string, body: unknown = {}) =>
    node.request(token, 'POST', `/v1/cross-border-candidates/${id}/${action}`, body);
  const detailRequest = {
    reason: 'to confirm the identity of the child before repatriation',
    legalBasis: 'statute',
    purpose: 'reunification',
    caseReference: 'GD 114/2026',
  };

  /** `asker` asks for the other side of its candidate; `owner` approves it; the answer comes back. */
  async function detailsApproved(
    asker: TestNode,
    askerToken: string,
    id: string,
    owner: TestNode,
    ownerToken: string,
  ) {
    const asked = await act(asker, askerToken, id, 'detail-requests', detailRequest);
    expect(asked.status).toBe(201);
    const outgoing = await json(asked);
    await link.exchange();
    const incoming = (await json(owner.request(ownerToken, 'GET', '/v1/detail-requests?direction=incoming')))
      .requests;
    const mine = incoming.find(
      (request: { candidateId: string | null; status: string }) =>
        request.status === 'pending' && request.candidateId,
    );
    expect(mine).toBeDefined();
    const approved = await owner.request(
      ownerToken,
      'POST',
      `/v1/detail-requests/${mine.requestId}/approve`,
      {},
    );
    expect(approved.status).toBe(200);
    await link.exchange();
    return { outgoing, incoming: mine };
  }

  const progressOf = async (node: TestNode, token: string, caseId: string) =>
    (await json(node.request(token, 'GET', `/v1/reports/${caseId}/progress`))).entries as Array<{
      type: string;
      note: string;
      authorId: string;
      date: string;
    }>;

  it('asks each side for the other at the full tier, confirms on both, records repatriation, closes on reunion', async () => {
    const match = await proposedMatch(CHILDREN[0]);
    // No confirmation before the other side's case has been seen at the full tier.
    const early = await act(wb, wbPolice, match.wbCandidate, 'confirm', { note: 'looks like her' });
    expect(early.status).toBe(409);
    expect((await json(early)).error.code).toBe('CROSS_BORDER_DETAILS_REQUIRED');

    // IN-WB asks NP for the missing child's case; NP's state child-protection officer approves.
    const { incoming } = await detailsApproved(wb, wbPolice, match.wbCandidate, np, npScpu);
    expect(incoming).toMatchObject({ caseId: match.npCase, peerNode: 'IN-WB', queryId: null, handle: null });
    const atWb = await candidate(wb, wbPolice, match.wbCandidate);
    expect(atWb.detailRequest.status).toBe('approved');
    expect(atWb.details.summary.caseId).toBe(match.npCase);
    // The full tier: the guardians and their phones.
    expect(JSON.stringify(atWb.details)).toContain('+9779800000001');
    // And NP asks IN-WB for the found child's.
    await detailsApproved(np, npPolice, match.npCandidate, wb, wbScpu);
    expect((await candidate(np, npPolice, match.npCandidate)).details.summary.caseId).toBe(match.wbCase);

    // Repatriation waits for both confirmations.
    const tooSoon = await act(np, npPolice, match.npCandidate, 'repatriation', {
      step: 'repatriation_requested',
      date: '2026-11-26',
      note: 'requested through the embassy',
    });
    expect(tooSoon.status).toBe(409);
    expect((await json(tooSoon)).error.code).toBe('CANDIDATE_NOT_CONFIRMED');

    const wbConfirmed = await json(
      act(wb, wbPolice, match.wbCandidate, 'confirm', { note: 'photo matches' }),
    );
    expect(wbConfirmed).toMatchObject({
      status: 'proposed',
      confirmedHere: { note: 'photo matches' },
      confirmedThere: null,
    });
    expect((await act(wb, wbPolice, match.wbCandidate, 'confirm', {})).status).toBe(409);
    await link.exchange();
    expect(await candidate(np, npPolice, match.npCandidate)).toMatchObject({
      status: 'proposed',
      confirmedHere: null,
      confirmedThere: { at: expect.any(String) },
    });
    const npConfirmed = await json(act(np, npPolice, match.npCandidate, 'confirm', {}));
    expect(npConfirmed.status).toBe('confirmed');
    await link.exchange();
    expect((await candidate(wb, wbPolice, match.wbCandidate)).status).toBe('confirmed');
    // Both cases are matched, each on its own node.
    expect((await json(np.request(npPolice, 'GET', `/v1/reports/${match.npCase}`))).status).toBe('matched');
    expect((await json(wb.request(wbPolice, 'GET', `/v1/reports/${match.wbCase}`))).status).toBe('matched');

    // Repatriation steps, recorded at either side, become progress of both cases.
    const escorted = await act(wb, wbPolice, match.wbCandidate, 'repatriation', {
      step: 'escorted',
      date: '2026-11-27',
      note: 'escorted to Panitanki border post',
    });
    expect(escorted.status).toBe(201);
    const handedOver = await act(np, npPolice, match.npCandidate, 'repatriation', {
      step: 'handed_over',
      date: '2026-11-28',
      note: 'handed over to her mother at Kakarbhitta',
    });
    expect(handedOver.status).toBe(201);
    await link.exchange();
    for (const [node, token, caseId, peer] of [
      [np, npPolice, match.npCase, 'IN-WB'],
      [wb, wbPolice, match.wbCase, 'NP'],
    ] as const) {
      const entries = (await progressOf(node, token, caseId)).filter(
        (entry) => entry.type === 'repatriation',
      );
      expect(entries.map((entry) => entry.note.split(':')[0])).toEqual(
        peer === 'NP'
          ? ['escorted', 'handed_over (recorded at NP)']
          : ['escorted (recorded at IN-WB)', 'handed_over'],
      );
      expect(entries.some((entry) => entry.authorId === `node:${peer}`)).toBe(true);
    }
    expect((await candidate(wb, wbPolice, match.wbCandidate)).repatriation).toMatchObject([
      { step: 'escorted', recordedBy: 'IN-WB' },
      { step: 'handed_over', recordedBy: 'NP', date: '2026-11-28' },
    ]);

    // NP closes its case as reunited: the retraction closes IN-WB's candidate.
    const report = await json(np.request(npPolice, 'GET', `/v1/reports/${match.npCase}`));
    const reunited = await np.request(
      npPolice,
      'POST',
      `/v1/reports/${match.npCase}/transitions`,
      { to: 'reunited' },
      { 'if-match': `"${report.version}"` },
    );
    expect(reunited.status).toBe(200);
    await link.exchange();
    expect(await candidate(wb, wbPolice, match.wbCandidate)).toMatchObject({
      status: 'closed',
      closedReason: 'retracted: reunited',
    });
  });

  it('closes both sides when one rejects', async () => {
    const match = await proposedMatch(CHILDREN[1]);
    const rejected = await act(np, npPolice, match.npCandidate, 'reject', { reason: 'our boy has no scar' });
    expect(rejected.status).toBe(200);
    expect(await json(rejected)).toMatchObject({
      status: 'closed',
      closedReason: 'rejected here: our boy has no scar',
    });
    await link.exchange();
    expect(await candidate(wb, wbPolice, match.wbCandidate)).toMatchObject({
      status: 'closed',
      closedReason: 'rejected at NP: our boy has no scar',
    });
    // Closed: no more decisions, no detail request.
    const again = await act(wb, wbPolice, match.wbCandidate, 'reject', { reason: 'also no' });
    expect((await json(again)).error.code).toBe('CANDIDATE_DECIDED');
    expect((await act(wb, wbPolice, match.wbCandidate, 'detail-requests', detailRequest)).status).toBe(409);
  });

  it("withdraws the origin's candidate when the noticing node no longer proposes it", async () => {
    const match = await proposedMatch(CHILDREN[2]);
    const report = await json(np.request(npPolice, 'GET', `/v1/reports/${match.npCase}`));
    // NP corrects its report: a boy of 5 with another name, no longer the found girl.
    const changed = await np.request(
      npPolice,
      'PATCH',
      `/v1/reports/${match.npCase}`,
      {
        child: {
          ...report.child,
          name: 'Hari Bahadur',
          sex: 'male',
          age: { years: 5 },
          identifyingMarks: [],
        },
        reason: 'wrong child entered',
      },
      { 'if-match': `"${report.version}"` },
    );
    expect(changed.status).toBe(200);
    await link.exchange();
    await crossBorderSettled(wb.services);
    expect((await candidate(wb, wbPolice, match.wbCandidate)).status).toBe('closed');
    await link.exchange();
    const atNp = await candidate(np, npPolice, match.npCandidate);
    expect(atNp.status).toBe('closed');
    expect(atNp.closedReason).toMatch(/^withdrawn by IN-WB: no longer reaches the review threshold/);
  });

  it('refuses notices and detail requests from a node not party to the match, and progress before confirmation', async () => {
    const match = await proposedMatch(CHILDREN[3]);
    const outcome = async (node: TestNode, envelope: Envelope) => {
      await deliver(node, envelope);
      const [row] = await node.services.db
        .select()
        .from(inboxLog)
        .where(eq(inboxLog.envelopeId, envelope.id));
      return row;
    };
    const seal = (from: TestNode, to: string, type: Envelope['type'], body: unknown) =>
      from.services.db.transaction((tx) =>
        sealToMembers(tx, from.services, {
          type,
          subject: `probe_${randomUUID()}`,
          body,
          nodeIds: [to],
          purposes: ['reunification'],
          expiresAt: new Date(Date.now() + DAY),
        }),
      );
    const pair = { caseId: match.npCase, reference: match.wbCandidate };
    const progress: MatchNotice = {
      event: 'progress',
      ...pair,
      step: 'handed_over',
      date: '2026-11-28',
      note: 'not yet',
      at: new Date().toISOString(),
    };
    // BD names a real pair it is no party to.
    const fromBd = await outcome(
      np,
      await seal(bd, 'NP', 'match.notice', { ...progress, event: 'rejected', reason: 'x' }),
    );
    expect(fromBd).toMatchObject({ outcome: 'rejected' });
    expect(fromBd?.reason).toMatch(/^ERR_NOT_AUTHORISED/);
    const unknown = await outcome(
      np,
      await seal(bd, 'NP', 'match.notice', { ...progress, reference: `xmatch_${'b'.repeat(26)}` }),
    );
    expect(unknown?.reason).toMatch(/^ERR_SUBJECT_UNKNOWN/);
    const askedByBd = await outcome(
      wb,
      await seal(bd, 'IN-WB', 'detail.request', {
        about: 'cross_border',
        ...pair,
        requestId: `dreq_${'c'.repeat(26)}`,
        ...detailRequest,
        requestedBy: { userId: 'u1', displayName: 'Officer', unitId: 'unit1' },
        requestedAt: new Date().toISOString(),
      }),
    );
    expect(askedByBd?.reason).toMatch(/^ERR_NOT_AUTHORISED/);
    // The right peer, too early: progress on a match not confirmed by both sides.
    const early = await outcome(np, await seal(wb, 'NP', 'match.notice', progress));
    expect(early?.reason).toMatch(/^ERR_NOT_CONFIRMED/);
    // Only the noticing node withdraws.
    const withdrawnByOrigin = await outcome(
      wb,
      await seal(np, 'IN-WB', 'match.notice', { ...pair, event: 'withdrawn', reason: 'no', at: progress.at }),
    );
    expect(withdrawnByOrigin?.reason).toMatch(/^ERR_NOT_AUTHORISED/);
    expect((await candidate(np, npPolice, match.npCandidate)).status).toBe('proposed');
    expect((await candidate(wb, wbPolice, match.wbCandidate)).status).toBe('proposed');
  });
});
