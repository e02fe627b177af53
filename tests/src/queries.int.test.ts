// Hit / no-hit queries and detail requests end to end, through a real hub over real mutual TLS:
// the hub and three nodes in this process (each with its own PostgreSQL database, its background
// work running as in production: relay, inbox long-poll, configuration refresh, matcher,
// escalation). An anti-trafficking officer at IN-MH asks about a rescued girl; the hub fans the
// query out; IN-WB, which holds her missing report, answers hit, NP answers no hit; a detail
// request is approved at IN-WB and the full-tier case is decrypted at IN-MH; another is denied;
// a third is left past its deadline and escalates to IN-WB's administrators.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DetailRequest, Query, ReportInput } from '@khoj/contracts';
import { createHubServices, type HubServices, type RunningHub, startHubServer } from '@khoj/hub';
import {
  createNodeApp,
  createNodeServices,
  createToken,
  createUser,
  insertUnit,
  type NodeServices,
  type Role,
  startNodeWorkers,
} from '@khoj/node';
import { createNode, federationLayout, initFederation } from '@khoj/tools';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { envelopes, transparencyLeaves } from '../../hub/src/db/schema/index.ts';
import { permissionsOf } from '../../nodes/src/access/permissions.ts';
import { auditLog, cases, detailRequests } from '../../nodes/src/db/schema/index.ts';
import { createDatabase, dropDatabase } from '../infra/services.ts';

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

type RunningNode = {
  services: NodeServices;
  app: ReturnType<typeof createNodeApp>;
  workers: Awaited<ReturnType<typeof startNodeWorkers>>;
  /** Moves this node's clock (deadlines); 0 follows real time. */
  offsetMs: number;
};

/** Polls `check` until it returns a value, or fails after `ms`. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('hit / no-hit queries and detail requests through a real hub', () => {
  let home: string;
  let hub: HubServices;
  let server: RunningHub;
  const nodes = {} as Record<NodeId, RunningNode>;
  const databases: string[] = [];
  const tokens: Record<string, string> = {};
  let caseId: string;

  const database = async (name: string) => {
    const dbName = `${name}_${randomUUID().slice(0, 8)}`;
    databases.push(dbName);
    return createDatabase(inject('postgresUrl'), dbName);
  };

  const call = async <T>(nodeId: NodeId, who: string, method: string, path: string, body?: unknown) => {
    const response = await nodes[nodeId].app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  const officer = async (
    nodeId: NodeId,
    name: string,
    role: Role,
    unit: { type: string; state?: string },
  ) => {
    const { db } = nodes[nodeId].services;
    const row = await insertUnit(db, {
      name: `${name} unit`,
      type: unit.type as never,
      country: nodeId.slice(0, 2),
      ...(unit.state ? { state: unit.state } : {}),
      phones: ['+91 3473 210000'],
      emails: [],
      active: true,
    });
    // Tokens outlive the 73 hours the escalation test moves IN-WB's clock on.
    await createUser(
      db,
      { username: name, displayName: name, role, unitId: row.id, password: 'correct horse battery staple' },
      'test',
    );
    tokens[name] = (
      await createToken(
        db,
        {
          username: name,
          name: 'test',
          scopes: permissionsOf(role),
          expiresAt: new Date(Date.now() + 30 * 86_400_000),
        },
        'test',
      )
    ).token;
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'khoj-queries-'));
    await initFederation(home);
    const layout = federationLayout(home);
    // Registered before the hub starts, so that its first configuration names every node.
    for (const nodeId of NODES) await createNode(home, nodeId, { hubUrl: 'https://localhost:9' });
    hub = await createHubServices(
      {
        home: layout.hub.home,
        host: '127.0.0.1',
        port: 0,
        databaseUrl: await database('hub'),
        maxWaitSeconds: 1,
      },
      { log: () => undefined },
    );
    server = await startHubServer(hub);
    for (const nodeId of NODES) {
      const node = { offsetMs: 0 } as RunningNode;
      node.services = await createNodeServices(
        {
          home: layout.node(nodeId).home,
          host: '127.0.0.1',
          port: 0,
          hubUrl: server.url,
          databaseUrl: await database(`node_${nodeId.replace('-', '').toLowerCase()}`),
          redisUrl: undefined,
          inboxWaitSeconds: 1,
          federationConfigRefreshSeconds: 1,
        },
        { log: () => undefined, clock: () => new Date(Date.now() + node.offsetMs) },
      );
      node.app = createNodeApp(node.services);
      node.workers = await startNodeWorkers(node.services);
      nodes[nodeId] = node;
    }
    // Every node knows the other two (from the signed federation configuration).
    for (const nodeId of NODES) {
      await eventually(`${nodeId}'s directory`, async () => {
        const members = await nodes[nodeId].services.directory.members();
        return members.length >= NODES.length - 1 ? true : undefined;
      });
    }
    await officer('IN-MH', 'ahtu.mumbai', 'ahtu_officer', { type: 'ahtu', state: 'MH' });
    await officer('IN-WB', 'si.ranaghat', 'police_officer', { type: 'police_station', state: 'WB' });
    await officer('IN-WB', 'scpu.wb', 'scpu_officer', { type: 'scpu', state: 'WB' });
    await officer('IN-WB', 'admin.wb', 'node_admin', { type: 'district_administration', state: 'WB' });

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
      const [row] = await nodes['IN-WB'].services.db.select().from(cases).where(eq(cases.id, caseId));
      return row?.matchedVersion === row?.version ? true : undefined;
    });
  }, 300_000);

  afterAll(async () => {
    for (const node of Object.values(nodes)) {
      await node.workers?.stop();
      await node.services?.close();
    }
    await server?.close();
    await hub?.close();
    for (const name of databases) await dropDatabase(inject('postgresUrl'), name);
    if (home) await rm(home, { recursive: true, force: true });
  });

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
      const [row] = await nodes['IN-WB'].services.db
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
    expect(status).toBe(201);
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
    const leaves = await hub.db.select().from(transparencyLeaves);
    const logged = leaves.map((leaf) => [leaf.type, leaf.origin, leaf.recipients]);
    expect(logged).toEqual(
      expect.arrayContaining([
        ['query.request', 'IN-MH', ['IN-WB', 'NP']],
        ['query.hit', 'IN-WB', ['IN-MH']],
        ['query.hit', 'NP', ['IN-MH']],
      ]),
    );
    const stored = JSON.stringify(await hub.db.select().from(envelopes));
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
      (await nodes[nodeId].services.db.select().from(auditLog)).map((entry) => entry.action);
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
    // 73 hours on at IN-WB (deadline 72 h); the node's background check escalates it.
    nodes['IN-WB'].offsetMs = 73 * 3_600_000;
    nodes['IN-WB'].workers.detailEscalation.wake();
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
