// The security suite's part on what other nodes sent (security-suite.test.ts runs the rest): every
// route whose answer carries received data — found from the route contracts, so a new one fails
// here until it is covered — applies the reader's reach as local cases do. A CCI sees only what
// concerns children in its care; a district body only its district; an AHTU unit only its own
// queries; police of another unit not a child in a CCI's care; exchange diagnostics only the
// administrators. Out of reach, a list leaves the row out and a single item answers 404 (as a case
// does); the rightful reader still sees it. On PGlite and PostgreSQL (the place filter is SQL).
import { randomUUID } from 'node:crypto';
import { nodeOpenApiDocument } from '@khoj/contracts';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { auditLog, crossBorderCandidates, detailRequests, outbox, queries } from '../db/schema/index.ts';
import { type ForeignData, foreignDataNode, type Officer } from '../testing/foreign-data.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';

/** Every route whose answer carries what other nodes sent, and the rule it applies. */
const FOREIGN_DATA_ROUTES = {
  'GET /v1/foreign-summaries': 'foreign.read over the summary’s place',
  'GET /v1/reports/{caseId}/cross-border-candidates': 'match.read over the local case',
  'GET /v1/cross-border-candidates/{candidateId}': 'match.read over the local case',
  'POST /v1/cross-border-candidates/{candidateId}/detail-requests': 'match.decide over the local case',
  'POST /v1/cross-border-candidates/{candidateId}/confirm': 'match.decide over the local case',
  'POST /v1/cross-border-candidates/{candidateId}/reject': 'match.decide over the local case',
  'POST /v1/cross-border-candidates/{candidateId}/repatriation': 'case.progress over the local case',
  'GET /v1/detail-requests': 'the asking unit, the match’s local case, or detail.decide over the case',
  'GET /v1/detail-requests/{requestId}': 'as the list',
  'POST /v1/detail-requests': 'a hit of the unit’s own queries',
  'POST /v1/detail-requests/{requestId}/approve': 'detail.decide over the case',
  'POST /v1/detail-requests/{requestId}/deny': 'detail.decide over the case',
  'POST /v1/detail-requests/{requestId}/withdraw': 'the asking unit',
  'POST /v1/queries': 'query.ask (the new query has no answers yet)',
  'GET /v1/queries': 'the asking unit',
  'GET /v1/queries/{queryId}': 'the asking unit',
  'POST /v1/queries/{queryId}/withdraw': 'the asking unit',
  'GET /v1/exchange/refusals': 'exchange.read (administrators)',
  'GET /v1/exchange/dead-letters': 'exchange.read (administrators)',
} as const;
type ForeignDataRoute = keyof typeof FOREIGN_DATA_ROUTES;

/** What an answer carrying received data is made of: these components of the node's document. */
const RECEIVED = [
  'ForeignSummary',
  'CrossBorderCandidate',
  'DetailRequest',
  'Query',
  'RefusedEnvelope',
  'OwnDeadLetter',
];

/** The routes whose 2xx answer refers to one of RECEIVED, directly or through other components. */
function routesCarryingReceivedData(): string[] {
  // biome-ignore lint/suspicious/noExplicitAny: walking an OpenAPI document of any shape
  const document = nodeOpenApiDocument() as any;
  const refsOf = (value: unknown, seen: Set<string>): Set<string> => {
    if (!value || typeof value !== 'object') return seen;
    const ref = (value as { $ref?: unknown }).$ref;
    const name = typeof ref === 'string' ? ref.split('/').at(-1) : undefined;
    if (name && !seen.has(name)) refsOf(document.components.schemas[name], seen.add(name));
    for (const inner of Object.values(value)) refsOf(inner, seen);
    return seen;
  };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { responses?: Record<string, unknown> }>)
      .filter(([, operation]) => {
        const ok = Object.entries(operation.responses ?? {}).filter(([status]) => status.startsWith('2'));
        const refs = refsOf(ok, new Set());
        return RECEIVED.some((name) => refs.has(name));
      })
      .map(([method]) => `${method.toUpperCase()} ${path}`),
  );
}

const tested = new Set<ForeignDataRoute>();
/** A test of `routes`, recorded so that the suite knows which routes it covers. */
function covers(routes: ForeignDataRoute[], title: string, test: () => Promise<void>) {
  for (const route of routes) tested.add(route);
  it(`${routes.join(', ')}: ${title}`, test);
}

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe('the received-data routes are covered', () => {
  it('every route whose answer carries what other nodes sent is listed here', () => {
    expect(routesCarryingReceivedData().sort()).toEqual(Object.keys(FOREIGN_DATA_ROUTES).sort());
  });
});

describe.each(['pglite', 'postgres'] as const)('reach over received data on %s', (database) => {
  let node: TestNode;
  let databaseUrl: string | undefined;
  let world: ForeignData;
  const call = (who: Officer, method: string, path: string, body?: unknown) =>
    node.request(world.tokens[who], method, path, body);
  const get = (who: Officer, path: string) => call(who, 'GET', path);
  /** A single item `who` must not learn exists: 404 with `code`. */
  const hidden = async (who: Officer, method: string, path: string, code: string, body?: unknown) => {
    const response = await call(who, method, path, body ?? (method === 'GET' ? undefined : {}));
    expect(response.status, `${who} ${method} ${path}`).toBe(404);
    expect((await json(response)).error.code, `${who} ${method} ${path}`).toBe(code);
  };
  const refused = async (who: Officer, method: string, path: string, body?: unknown) => {
    const response = await call(who, method, path, body);
    expect(response.status, `${who} ${method} ${path}`).toBe(403);
    expect((await json(response)).error.code).toBe('FORBIDDEN');
  };

  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
    world = await foreignDataNode(node);
  });
  afterAll(async () => {
    await node?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });

  covers(
    ['GET /v1/foreign-summaries'],
    'each reader sees the summaries placed within its reach',
    async () => {
      const { placedInNadia, placedInKolkata, abroad } = world.received;
      const seenBy = async (who: Officer, query = '') => {
        const response = await get(who, `/v1/foreign-summaries${query}`);
        if (response.status !== 200) return response.status;
        const listed: { summary: { caseId: string } }[] = (await json(response)).summaries;
        return listed.map((held) => held.summary.caseId).sort();
      };
      const sorted = (...ids: string[]) => ids.sort();
      const everything = sorted(placedInNadia.caseId, placedInKolkata.caseId, abroad.caseId);
      expect(await seenBy('policeRanaghat')).toEqual(everything);
      expect(await seenBy('otherAhtu')).toEqual(everything);
      expect(await seenBy('dcpuNadia')).toEqual([placedInNadia.caseId]);
      expect(await seenBy('cwcNadia')).toEqual([placedInNadia.caseId]);
      expect(await seenBy('dcpuKolkata')).toEqual([placedInKolkata.caseId]);
      expect(await seenBy('scpuWb')).toEqual(sorted(placedInNadia.caseId, placedInKolkata.caseId));
      expect(await seenBy('scpuBihar')).toEqual([]);
      expect(await seenBy('dcpuNadia', '?origin=NP')).toEqual([]);
      expect(await seenBy('policeRanaghat', '?origin=NP')).toEqual([abroad.caseId]);
      // A CCI learns of foreign children through its own candidates only; viewers and
      // administrators read no child's record.
      for (const who of ['cciNadia', 'otherCci', 'dmNadia', 'admin'] as const)
        expect(await seenBy(who), who).toBe(403);
      // Each list shown is audited (nine above), as a list of reports is; a refused one is not.
      const [listed] = await node.services.db
        .select({ n: count() })
        .from(auditLog)
        .where(eq(auditLog.action, 'foreign.list'));
      expect(listed?.n).toBe(9);
    },
  );

  covers(
    ['GET /v1/reports/{caseId}/cross-border-candidates', 'GET /v1/cross-border-candidates/{candidateId}'],
    'only whoever reads the local case’s matches; the other side’s record only with the case',
    async () => {
      const { inCare, missingInKolkata } = world.matches;
      const listFor = (caseId: string) => `/v1/reports/${caseId}/cross-border-candidates`;
      const one = (candidateId: string) => `/v1/cross-border-candidates/${candidateId}`;
      const view = async (who: Officer, candidateId: string) => json(get(who, one(candidateId)));
      for (const who of ['cciNadia', 'dcpuNadia', 'scpuWb'] as const) {
        const listed = await json(get(who, listFor(world.local.inCare)));
        expect(
          listed.candidates.map((c: { candidateId: string }) => c.candidateId),
          who,
        ).toEqual([inCare.candidateId]);
        expect((await view(who, inCare.candidateId)).details?.summary.child.name, who).toBe('Sunita Kumari');
      }
      // The child in the Nadia CCI's care: not another CCI, another district, nor police of
      // another unit (children in care are not broadcast).
      for (const who of ['otherCci', 'dcpuKolkata', 'policeRanaghat', 'dmKolkata', 'scpuBihar'] as const) {
        await hidden(who, 'GET', listFor(world.local.inCare), 'CASE_NOT_FOUND');
        await hidden(who, 'GET', one(inCare.candidateId), 'CANDIDATE_NOT_FOUND');
      }
      // The missing child of Kolkata: police read it node-wide, as the report itself.
      expect((await view('policeRanaghat', missingInKolkata.candidateId)).details).not.toBeNull();
      for (const who of ['cciNadia', 'dcpuNadia', 'dmNadia'] as const)
        await hidden(who, 'GET', one(missingInKolkata.candidateId), 'CANDIDATE_NOT_FOUND');
      await refused('cwcNadia', 'GET', one(inCare.candidateId));
      // The district's viewer follows the match, but does not read the foreign child's record.
      const followed = await view('dmNadia', inCare.candidateId);
      expect(followed).toMatchObject({ candidateId: inCare.candidateId, details: null });
      expect(JSON.stringify(followed)).not.toContain('Sunita');
      // Nor does the viewer list them by the report, which it may not read (as for local matches).
      await hidden('dmNadia', 'GET', listFor(world.local.inCare), 'CASE_NOT_FOUND');
    },
  );

  covers(
    [
      'POST /v1/cross-border-candidates/{candidateId}/detail-requests',
      'POST /v1/cross-border-candidates/{candidateId}/confirm',
      'POST /v1/cross-border-candidates/{candidateId}/reject',
      'POST /v1/cross-border-candidates/{candidateId}/repatriation',
    ],
    'out of reach of the local case, the candidate does not exist, and nothing changes',
    async () => {
      const { candidateId } = world.matches.inCare;
      const actions: [string, unknown][] = [
        [
          'detail-requests',
          { reason: 'identity', legalBasis: 'statute', purpose: 'reunification', caseReference: 'GD 1/26' },
        ],
        ['confirm', {}],
        ['reject', { reason: 'not her' }],
        ['repatriation', { step: 'escorted', date: '2026-10-01', note: 'by train to Patna' }],
      ];
      const before = await Promise.all([
        node.services.db.select().from(crossBorderCandidates),
        node.services.db.select({ n: count() }).from(outbox),
        node.services.db.select({ n: count() }).from(detailRequests),
      ]);
      for (const [action, body] of actions) {
        const path = `/v1/cross-border-candidates/${candidateId}/${action}`;
        for (const who of ['otherCci', 'dcpuKolkata', 'policeRanaghat'] as const)
          await hidden(who, 'POST', path, 'CANDIDATE_NOT_FOUND', body);
      }
      const after = await Promise.all([
        node.services.db.select().from(crossBorderCandidates),
        node.services.db.select({ n: count() }).from(outbox),
        node.services.db.select({ n: count() }).from(detailRequests),
      ]);
      expect(after).toEqual(before);
    },
  );

  covers(
    ['GET /v1/detail-requests', 'GET /v1/detail-requests/{requestId}'],
    'each sees the requests of its unit, its matches or its cases to decide',
    async () => {
      const byMatch = world.matches.inCare.requestId;
      const { detailRequest: byQuery } = world.query;
      const listedBy = async (who: Officer) => {
        const response = await get(who, '/v1/detail-requests?limit=100');
        if (response.status !== 200) return response.status;
        return (await json(response)).requests.map((request: { requestId: string }) => request.requestId);
      };
      const expected: [Officer, string[]][] = [
        ['cciNadia', [byMatch]],
        ['dcpuNadia', [byMatch]],
        ['dmNadia', [byMatch]],
        // AHTU read matches node-wide (not the child in care): Kolkata's, and their own query's.
        ['ahtu', [byQuery, world.matches.missingInKolkata.requestId]],
        ['scpuWb', [world.matches.missingInKolkata.requestId, byMatch, world.incoming]],
        ['otherCci', []],
        ['otherAhtu', [world.matches.missingInKolkata.requestId]],
        ['dcpuKolkata', [world.matches.missingInKolkata.requestId]],
        ['scpuBihar', []],
      ];
      for (const [who, ids] of expected) {
        expect(((await listedBy(who)) as string[]).sort(), who).toEqual(ids.sort());
        for (const id of [byMatch, byQuery, world.incoming]) {
          const path = `/v1/detail-requests/${id}`;
          if (ids.includes(id)) expect((await get(who, path)).status, `${who} ${id}`).toBe(200);
          else await hidden(who, 'GET', path, 'DETAIL_REQUEST_NOT_FOUND');
        }
      }
      for (const who of ['policeRanaghat', 'policeSealdah'] as const) {
        await hidden(who, 'GET', `/v1/detail-requests/${byQuery}`, 'DETAIL_REQUEST_NOT_FOUND');
        await hidden(who, 'GET', `/v1/detail-requests/${byMatch}`, 'DETAIL_REQUEST_NOT_FOUND');
      }
      // What was received on the match: for readers of the case, not the district's viewer.
      const release = async (who: Officer, id: string) =>
        (await json(get(who, `/v1/detail-requests/${id}`))).details;
      expect((await release('cciNadia', byMatch))?.summary.child.name).toBe('Sunita Kumari');
      expect((await release('ahtu', byQuery))?.summary.child.name).toBe('Maya Tamang');
      expect(await release('dmNadia', byMatch)).toBeNull();
      expect(JSON.stringify(await json(get('dmNadia', '/v1/detail-requests')))).not.toContain('Sunita');
    },
  );

  covers(
    [
      'POST /v1/detail-requests',
      'POST /v1/detail-requests/{requestId}/approve',
      'POST /v1/detail-requests/{requestId}/deny',
      'POST /v1/detail-requests/{requestId}/withdraw',
    ],
    'a hit, a request to decide or to withdraw out of reach does not exist, and nothing changes',
    async () => {
      const before = await node.services.db.select().from(detailRequests);
      await hidden('otherAhtu', 'POST', '/v1/detail-requests', 'HIT_NOT_FOUND', {
        handle: world.query.handle,
        reason: 'identity',
        legalBasis: 'statute',
        purpose: 'anti_trafficking',
      });
      await refused('cciNadia', 'POST', '/v1/detail-requests', { handle: world.query.handle });
      for (const [decision, body] of [
        ['approve', {}],
        ['deny', { reason: 'not this child' }],
      ] as const)
        await hidden(
          'scpuBihar',
          'POST',
          `/v1/detail-requests/${world.incoming}/${decision}`,
          'DETAIL_REQUEST_NOT_FOUND',
          body,
        );
      await hidden(
        'otherAhtu',
        'POST',
        `/v1/detail-requests/${world.query.detailRequest}/withdraw`,
        'DETAIL_REQUEST_NOT_FOUND',
        { reason: 'not needed' },
      );
      expect(await node.services.db.select().from(detailRequests)).toEqual(before);
    },
  );

  covers(
    [
      'POST /v1/queries',
      'GET /v1/queries',
      'GET /v1/queries/{queryId}',
      'POST /v1/queries/{queryId}/withdraw',
    ],
    'a query and its hits are the asking unit’s',
    async () => {
      const { queryId, handle } = world.query;
      const mine = await json(get('ahtu', `/v1/queries/${queryId}`));
      expect(mine.answers).toMatchObject([{ nodeId: 'NP', outcome: 'hit', hits: [{ handle }] }]);
      expect(
        (await json(get('ahtu', '/v1/queries'))).queries.map((q: { queryId: string }) => q.queryId),
      ).toEqual([queryId]);
      expect((await json(get('otherAhtu', '/v1/queries'))).queries).toEqual([]);
      await hidden('otherAhtu', 'GET', `/v1/queries/${queryId}`, 'QUERY_NOT_FOUND');
      await hidden('otherAhtu', 'POST', `/v1/queries/${queryId}/withdraw`, 'QUERY_NOT_FOUND', {
        reason: 'x',
      });
      for (const who of ['policeRanaghat', 'cciNadia', 'dcpuNadia', 'scpuWb', 'admin'] as const) {
        await refused(who, 'GET', '/v1/queries');
        await refused(who, 'GET', `/v1/queries/${queryId}`);
        await refused(who, 'POST', '/v1/queries', {});
      }
      const [row] = await node.services.db.select().from(queries);
      expect(row?.withdrawnAt).toBeNull();
    },
  );

  covers(
    ['GET /v1/exchange/refusals', 'GET /v1/exchange/dead-letters'],
    'exchange diagnostics are the administrators’',
    async () => {
      const refusals = await json(get('admin', '/v1/exchange/refusals'));
      expect(refusals.refusals).toMatchObject([{ envelopeId: world.refused, code: 'RECIPIENT_NOT_ALLOWED' }]);
      const letters = await json(get('admin', '/v1/exchange/dead-letters'));
      expect(letters.deadLetters).toMatchObject([{ envelopeId: world.deadLetter, undeliveredTo: ['NP'] }]);
      const officers = Object.keys(world.tokens).filter((who) => who !== 'admin') as Officer[];
      for (const who of officers) {
        await refused(who, 'GET', '/v1/exchange/refusals');
        await refused(who, 'GET', '/v1/exchange/dead-letters');
      }
    },
  );

  it('covers every route listed', () => {
    expect([...tested].sort()).toEqual(Object.keys(FOREIGN_DATA_ROUTES).sort());
  });
});
