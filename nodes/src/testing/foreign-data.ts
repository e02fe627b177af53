// Test fixture: a node of West Bengal holding what other nodes sent — summaries placed in two of
// its districts and abroad, cross-border candidates (with the other side received at the full
// tier) for a child in a CCI's care in Nadia and a missing child of Kolkata, an AHTU unit's query
// with a hit and its answered detail request, a detail request from Bihar to decide, a refused
// envelope and a dead letter — and an officer of each role that should or should not see them:
// the units owning the cases and others of the same kind, in Nadia, Kolkata, West Bengal and
// Bihar. Rows arrive as the exchange would store them (written directly: the exchange itself is
// tested in exchange/ and cross-border/).
import type { CaseSummary, Envelope, FullCaseDetails, ReportInput } from '@khoj/contracts';
import { newId } from '@khoj/platform';
import type { Role } from '../access/permissions.ts';
import {
  crossBorderCandidates,
  deadLetters,
  detailRequests,
  foreignSummaries,
  outbox,
  queries,
  queryAnswers,
  queryHits,
} from '../db/schema/index.ts';
import type { TestNode } from './test-node.ts';

const NADIA = { country: 'IN', state: 'WB', district: 'Nadia' };
const KOLKATA = { country: 'IN', state: 'WB', district: 'Kolkata' };
const DAY = 86_400_000;

/** The officers, by who they are relative to the data. */
const OFFICERS = {
  policeRanaghat: ['police_officer', { type: 'police_station', ...NADIA }],
  policeSealdah: ['police_officer', { type: 'police_station', ...KOLKATA }],
  cciNadia: ['cci_staff', { type: 'cci', ...NADIA }],
  otherCci: ['cci_staff', { type: 'cci', ...NADIA }],
  dcpuNadia: ['dcpu_officer', { type: 'dcpu', ...NADIA }],
  dcpuKolkata: ['dcpu_officer', { type: 'dcpu', ...KOLKATA }],
  cwcNadia: ['cwc_member', { type: 'cwc', ...NADIA }],
  scpuWb: ['scpu_officer', { type: 'scpu', country: 'IN', state: 'WB', district: undefined }],
  scpuBihar: ['scpu_officer', { type: 'scpu', country: 'IN', state: 'BR', district: undefined }],
  ahtu: ['ahtu_officer', { type: 'ahtu', country: 'IN', state: 'WB', district: undefined }],
  otherAhtu: ['ahtu_officer', { type: 'ahtu', country: 'IN', state: 'WB', district: undefined }],
  dmNadia: ['dm_sp_viewer', { type: 'district_administration', ...NADIA }],
  dmKolkata: ['dm_sp_viewer', { type: 'district_administration', ...KOLKATA }],
  admin: ['node_admin', { type: 'district_administration', ...KOLKATA }],
} as const satisfies Record<string, readonly [Role, Parameters<TestNode['unit']>[0]]>;
export type Officer = keyof typeof OFFICERS;

const summary = (name: string, place: CaseSummary['place'], origin = 'IN-BR'): CaseSummary => ({
  caseId: newId('case'),
  origin,
  kind: 'missing',
  version: 1,
  child: { name, sex: 'female', age: { years: 13 } },
  place,
  eventDate: '2026-08-30',
});

const details = (name: string, place: CaseSummary['place'], origin: string): FullCaseDetails => ({
  summary: {
    ...summary(name, place, origin),
    guardians: [{ name: `Guardian of ${name}`, relation: 'mother', phones: ['+91 9000000000'] }],
  },
  contact: { unitId: 'unit_far_away', unitName: `${origin} police`, phones: [], emails: [] },
});

export async function foreignDataNode(node: TestNode) {
  await node.addMembers('IN-BR', 'NP');
  const tokens = {} as Record<Officer, string>;
  const units = {} as Record<Officer, string>;
  for (const [who, [role, unit]] of Object.entries(OFFICERS) as [Officer, (typeof OFFICERS)[Officer]][]) {
    units[who] = (await node.unit(unit)).id;
    tokens[who] = (await node.user(role, units[who])).token;
  }
  const register = async (who: Officer, report: ReportInput): Promise<string> => {
    const response = await node.request(tokens[who], 'POST', '/v1/reports', report);
    if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { report: { caseId: string } }).report.caseId;
  };
  const local = {
    /** Found and registered by the CCI of Nadia: a child in its care. */
    inCare: await register('cciNadia', {
      kind: 'found',
      child: { sex: 'female', age: { estimateMin: 12, estimateMax: 14 } },
      place: NADIA,
      eventDate: '2026-09-02',
      found: { foundBy: 'cci', rescuedFromTrafficking: true },
    }),
    missingInKolkata: await register('policeSealdah', {
      kind: 'missing',
      child: { name: 'Mitali Das', sex: 'female', age: { years: 11 } },
      place: KOLKATA,
      eventDate: '2026-09-05',
      missing: { guardians: [] },
    }),
  };

  const received = {
    placedInNadia: summary('Sunita Kumari', NADIA),
    placedInKolkata: summary('Rekha Kumari', KOLKATA),
    abroad: summary('Maya Tamang', { country: 'NP', state: 'Bagmati' }, 'NP'),
  };
  const now = Date.now();
  await node.services.db.insert(foreignSummaries).values(
    Object.values(received).map((held, index) => ({
      origin: held.origin,
      caseId: held.caseId,
      version: 1,
      envelopeId: newId('env'),
      summary: held,
      purposes: ['reunification' as const],
      fields: 'standard' as const,
      receivedAt: new Date(now - index * 1000),
      expiresAt: new Date(now + 90 * DAY),
    })),
  );

  const candidate = async (caseId: string, ownerUnitId: string, other: CaseSummary) => {
    const id = newId('xmatch');
    await node.services.db.insert(crossBorderCandidates).values({
      id,
      role: 'found_here',
      localCaseId: caseId,
      foreignOrigin: other.origin,
      foreignReference: other.caseId,
      foreignVersion: 1,
      probability: 0.93,
      band: 'alert',
      explanation: [],
    });
    const requestId = newId('dreq');
    await node.services.db.insert(detailRequests).values({
      ...requestColumns(requestId, other.origin, ownerUnitId),
      direction: 'outgoing',
      candidateId: id,
      caseId,
      status: 'approved',
      details: details(other.child.name ?? '', other.place, other.origin),
    });
    return { candidateId: id, requestId };
  };
  const matches = {
    inCare: await candidate(local.inCare, units.cciNadia, received.placedInNadia),
    missingInKolkata: await candidate(local.missingInKolkata, units.policeSealdah, received.placedInKolkata),
  };

  // The AHTU unit's query, answered by NP with a hit whose details it obtained.
  const queryId = newId('query');
  const handle = newId('hit');
  await node.services.db.insert(queries).values({
    id: queryId,
    unitId: units.ahtu,
    askedBy: { userId: 'user_ahtu', displayName: 'AHTU officer', unitId: units.ahtu },
    lookingFor: 'missing',
    child: { sex: 'female', age: { years: 13 }, name: 'Maya' },
    place: { country: 'IN', state: 'WB' },
    eventDate: '2026-09-10',
    purpose: 'anti_trafficking',
    legalBasis: 'statute',
    caseReference: 'AHTU 12/26',
    targets: ['NP'],
    sentTo: ['NP'],
    envelopeId: newId('env'),
  });
  await node.services.db
    .insert(queryAnswers)
    .values({ queryId, nodeId: 'NP', outcome: 'hit', envelopeId: newId('env') });
  await node.services.db
    .insert(queryHits)
    .values({ nodeId: 'NP', handle, queryId, band: 'strong', expiresAt: new Date(now + 30 * DAY) });
  const hitRequest = newId('dreq');
  await node.services.db.insert(detailRequests).values({
    ...requestColumns(hitRequest, 'NP', units.ahtu),
    direction: 'outgoing',
    queryId,
    handle,
    status: 'approved',
    details: details('Maya Tamang', received.abroad.place, 'NP'),
  });

  // Bihar asks for the Kolkata child: West Bengal's SCPU (or the administrators) decide.
  const incoming = newId('dreq');
  await node.services.db.insert(detailRequests).values({
    ...requestColumns(incoming, 'IN-BR', null),
    remoteId: newId('dreq'),
    direction: 'incoming',
    caseId: local.missingInKolkata,
    deadline: new Date(now + 7 * DAY),
  });

  // An envelope the hub refused, and one it dropped undelivered.
  const refused = newId('env');
  await node.services.db.insert(outbox).values({
    envelopeId: refused,
    subject: local.missingInKolkata,
    envelope: {
      id: refused,
      type: 'case.summary',
      recipients: ['BD'],
      purposes: ['reunification'],
    } as Envelope,
    status: 'rejected',
    refusalCode: 'RECIPIENT_NOT_ALLOWED',
    lastError: 'the federation policy of IN-WB does not allow sending to BD',
    refusedAt: new Date(now),
  });
  const deadLetter = newId('env');
  await node.services.db.insert(deadLetters).values({
    envelopeId: deadLetter,
    hubSeq: 1,
    type: 'case.summary',
    subject: local.missingInKolkata,
    purposes: ['reunification'],
    undeliveredTo: ['NP'],
    envelopeDigest: 'digest',
    expiresAt: new Date(now - DAY),
    droppedAt: new Date(now),
    notice: 'notice.jws',
    receivedAt: new Date(now),
  });

  return {
    tokens,
    units,
    local,
    received,
    matches,
    query: { queryId, handle, detailRequest: hitRequest },
    incoming,
    refused,
    deadLetter,
  };
}
export type ForeignData = Awaited<ReturnType<typeof foreignDataNode>>;

function requestColumns(id: string, peerNode: string, unitId: string | null) {
  return {
    id,
    peerNode,
    remoteId: id,
    unitId,
    purpose: 'reunification' as const,
    legalBasis: 'statute' as const,
    reason: 'to confirm the identity before repatriation',
    caseReference: 'GD 77/26',
    requestedBy: { userId: 'user_x', displayName: 'Officer', unitId: unitId ?? 'unit_far_away' },
    envelopeId: newId('env'),
  };
}
