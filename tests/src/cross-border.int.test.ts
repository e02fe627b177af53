// A cross-border match confirmed through the detail workflow, end to end through a real hub over
// real mutual TLS: the hub, NP, IN-WB and IN-MH as separate processes (support/federation.ts), each
// with its own PostgreSQL database, relaying through BullMQ on Redis. A child reported missing at
// NP is matched at IN-WB against a child its railway police found; the match is notified back to
// NP; IN-WB asks NP for the missing child's case at the full tier and NP's state child-protection
// officer approves (and the other way round); both sides confirm; NP records the handover, which
// becomes progress of IN-WB's case too, and closes its case as reunited, whose retraction closes
// IN-WB's candidate. IN-MH, which received the summary but found nobody, hears nothing of it.
import type { CreatedReport, CrossBorderCandidate, DetailRequest, ReportInput } from '@khoj/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, inboxLog } from '../../nodes/src/db/schema/index.ts';
import { createFederation, eventually } from './support/federation.ts';

const NODES = ['NP', 'IN-WB', 'IN-MH'] as const;
type NodeId = (typeof NODES)[number];
const DAY = 86_400_000;

describe('a cross-border match confirmed through the detail workflow, between separate processes', () => {
  const federation = createFederation({ name: 'crossborder', nodes: NODES });
  const db = (nodeId: NodeId) => federation.node(nodeId).store.db;
  type Candidates = { candidates: CrossBorderCandidate[] };
  const candidate = async (who: string, id: string) =>
    (await federation.call<CrossBorderCandidate>(who, 'GET', `/v1/cross-border-candidates/${id}`)).body;
  const until = (what: string, who: string, id: string, check: (row: CrossBorderCandidate) => boolean) =>
    eventually(what, async () => {
      const row = await candidate(who, id);
      return check(row) ? row : undefined;
    });
  /** The request `who` may decide that is about a cross-border match, once it has arrived. */
  const incomingRequest = (who: string) =>
    eventually(`an incoming detail request for ${who}`, async () => {
      const { body } = await federation.call<{ requests: DetailRequest[] }>(
        who,
        'GET',
        '/v1/detail-requests?direction=incoming&status=pending',
      );
      return body.requests?.find((request) => request.candidateId);
    });
  const detailRequest = {
    reason: 'to confirm who the child is before repatriation',
    legalBasis: 'statute',
    purpose: 'reunification',
    caseReference: 'GD 2231/26',
  };

  beforeAll(async () => {
    await federation.start();
    await federation.officer('NP', 'np.police', 'police_officer', {
      type: 'police_station',
      state: 'Bagmati',
    });
    await federation.officer('NP', 'np.scpu', 'scpu_officer', { type: 'scpu', state: 'Bagmati' });
    await federation.officer('IN-WB', 'wb.police', 'police_officer', { type: 'police_station', state: 'WB' });
    await federation.officer('IN-WB', 'wb.scpu', 'scpu_officer', { type: 'scpu', state: 'WB' });
  }, 400_000);

  afterAll(async () => {
    await federation.stop();
  }, 120_000);

  it('is proposed at IN-WB, notified to NP, confirmed by both after the details, and closed on reunion', async () => {
    const found = await federation.call<CreatedReport>('wb.police', 'POST', '/v1/reports', {
      kind: 'found',
      child: {
        name: 'Sita',
        sex: 'female',
        age: { estimateMin: 11, estimateMax: 13 },
        languages: ['ne'],
        identifyingMarks: ['mole on the left cheek'],
      },
      place: { country: 'IN', state: 'WB', district: 'Darjeeling' },
      eventDate: '2026-11-24',
      found: { foundBy: 'railway_police' },
    } satisfies ReportInput);
    expect(found.status).toBe(201);
    const wbCase = found.body.report.caseId;
    await eventually('the found report to be indexed at IN-WB', async () => {
      const [row] = await db('IN-WB').select().from(cases).where(eq(cases.id, wbCase));
      return row && row.matchedVersion === row.version ? true : undefined;
    });

    const missing = await federation.call<CreatedReport>('np.police', 'POST', '/v1/reports', {
      kind: 'missing',
      child: {
        name: 'Sita Tamang',
        aliases: ['Kanchhi'],
        sex: 'female',
        age: { years: 12 },
        languages: ['ne'],
        identifyingMarks: ['mole on left cheek'],
      },
      place: { country: 'NP', state: 'Bagmati', district: 'Sindhupalchok' },
      eventDate: '2026-11-20',
      missing: { guardians: [{ name: 'Mina Tamang', relation: 'mother', phones: ['+977 980 000 1111'] }] },
      consent: {
        purposes: ['reunification'],
        recipients: ['IN-*'],
        fields: 'standard',
        legalBasis: 'guardian_consent',
        expiresAt: new Date(Date.now() + 300 * DAY).toISOString(),
        grantedBy: 'Inspector, Sindhupalchok',
      },
    } satisfies ReportInput);
    expect(missing.status).toBe(201);
    const npCase = missing.body.report.caseId;

    // Proposed at IN-WB, notified back to NP.
    const [atNp] = await eventually('the notified candidate at NP', async () => {
      const { body } = await federation.call<Candidates>(
        'np.police',
        'GET',
        `/v1/reports/${npCase}/cross-border-candidates`,
      );
      return body.candidates?.length ? body.candidates : undefined;
    });
    const { body: wbList } = await federation.call<Candidates>(
      'wb.police',
      'GET',
      `/v1/reports/${wbCase}/cross-border-candidates`,
    );
    const atWb = wbList.candidates.find((row) => row.foreign.reference === npCase);
    expect(atWb).toMatchObject({ role: 'found_here', status: 'proposed', foreign: { origin: 'NP' } });
    expect(atNp).toMatchObject({
      role: 'notified',
      foreign: { origin: 'IN-WB', reference: atWb?.candidateId },
    });
    const wbId = atWb?.candidateId as string;
    const npId = atNp?.candidateId as string;

    // Not before the details: IN-WB asks NP, whose state officer approves.
    const early = await federation.call<{ error: { code: string } }>(
      'wb.police',
      'POST',
      `/v1/cross-border-candidates/${wbId}/confirm`,
      {},
    );
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'CROSS_BORDER_DETAILS_REQUIRED' } } });
    const asked = await federation.call<DetailRequest>(
      'wb.police',
      'POST',
      `/v1/cross-border-candidates/${wbId}/detail-requests`,
      detailRequest,
    );
    expect(asked.status).toBe(201);
    const atNpIncoming = await incomingRequest('np.scpu');
    expect(atNpIncoming).toMatchObject({ peerNode: 'IN-WB', caseId: npCase, candidateId: npId });
    expect(
      (await federation.call('np.scpu', 'POST', `/v1/detail-requests/${atNpIncoming.requestId}/approve`, {}))
        .status,
    ).toBe(200);
    const withDetails = await until('the details at IN-WB', 'wb.police', wbId, (row) => row.details !== null);
    expect(withDetails.details?.summary.caseId).toBe(npCase);
    expect(JSON.stringify(withDetails.details)).toContain('+977 980 000 1111');

    // And NP asks IN-WB for the found child's case.
    await federation.call(
      'np.police',
      'POST',
      `/v1/cross-border-candidates/${npId}/detail-requests`,
      detailRequest,
    );
    const atWbIncoming = await incomingRequest('wb.scpu');
    expect(
      (await federation.call('wb.scpu', 'POST', `/v1/detail-requests/${atWbIncoming.requestId}/approve`, {}))
        .status,
    ).toBe(200);
    await until('the details at NP', 'np.police', npId, (row) => row.details?.summary.caseId === wbCase);

    // Both confirm.
    const wbConfirm = await federation.call(
      'wb.police',
      'POST',
      `/v1/cross-border-candidates/${wbId}/confirm`,
      {
        note: 'the photograph matches',
      },
    );
    expect(wbConfirm.status).toBe(200);
    await until("IN-WB's confirmation at NP", 'np.police', npId, (row) => row.confirmedThere !== null);
    const npConfirm = await federation.call<CrossBorderCandidate>(
      'np.police',
      'POST',
      `/v1/cross-border-candidates/${npId}/confirm`,
      {},
    );
    expect(npConfirm.body.status).toBe('confirmed');
    await until('the match confirmed at IN-WB', 'wb.police', wbId, (row) => row.status === 'confirmed');

    // NP records the handover: progress of both cases.
    const handedOver = await federation.call(
      'np.police',
      'POST',
      `/v1/cross-border-candidates/${npId}/repatriation`,
      {
        step: 'handed_over',
        date: '2026-11-28',
        note: 'handed over to her mother at Kakarbhitta',
      },
    );
    expect(handedOver.status).toBe(201);
    const progress = await eventually('the handover in the progress of IN-WB’s case', async () => {
      const { body } = await federation.call<{
        entries: Array<{ type: string; note: string; authorId: string }>;
      }>('wb.police', 'GET', `/v1/reports/${wbCase}/progress`);
      return body.entries?.find((entry) => entry.type === 'repatriation');
    });
    expect(progress).toMatchObject({
      note: expect.stringMatching(/^handed_over \(recorded at NP\)/),
      authorId: 'node:NP',
    });

    // Reunited: NP's retraction closes IN-WB's candidate.
    const { body: report } = await federation.call<{ version: number; status: string }>(
      'np.police',
      'GET',
      `/v1/reports/${npCase}`,
    );
    expect(report.status).toBe('matched');
    const reunited = await federation.call(
      'np.police',
      'POST',
      `/v1/reports/${npCase}/transitions`,
      { to: 'reunited' },
      { 'if-match': `"${report.version}"` },
    );
    expect(reunited.status).toBe(200);
    const closed = await until(
      'the candidate closed at IN-WB',
      'wb.police',
      wbId,
      (row) => row.status === 'closed',
    );
    expect(closed.closedReason).toBe('retracted: reunited');

    // IN-MH held the summary but is no party to the match: nothing of it reached IN-MH.
    const atMh = await db('IN-MH').select().from(inboxLog);
    expect(atMh.map((row) => row.type)).not.toContain('match.notice');
    expect(atMh.map((row) => row.type)).not.toContain('detail.request');
  }, 300_000);
});
