// The hash-chained audit log, on PGlite and on PostgreSQL: every change to a case and every read
// of one is recorded (who, from which unit, what, which record, which request) in the same
// transaction as the change; verifyAuditChain names an edited, deleted or re-linked entry; and
// concurrent writers leave one unbroken chain.
import { randomUUID } from 'node:crypto';
import type { ReportInput } from '@khoj/contracts';
import { asc, count, eq, gt, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, onTestFinished, vi } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { type AuditRow, auditLog, cases, federationMembers } from '../db/schema/index.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { appendAudit, verifyAuditChain } from './audit.store.ts';
import { entryHash } from './chain.ts';

const missingChild: ReportInput = {
  kind: 'missing',
  child: { name: 'Tumpa Sardar', sex: 'female', age: { years: 11 }, languages: ['bn', 'hi'] },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-08-21',
  missing: {
    firNumber: 'KRN/902/2026',
    guardians: [{ name: 'Mina Sardar', relation: 'mother', phones: [] }],
  },
};

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const json = (response: Response): Promise<any> => response.json();

describe.each(['pglite', 'postgres'] as const)('the audit log on %s', (database) => {
  let node: TestNode;
  let databaseUrl: string | undefined;
  let realClock: () => Date;
  let unitId: string;
  let userId: string;
  let token: string;

  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_audit_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
    realClock = node.services.clock;
    unitId = (await node.unit({ type: 'police_station' })).id;
    const officer = await node.user('police_officer', unitId);
    userId = officer.user.id;
    token = officer.token;
  });
  afterEach(() => {
    node.services.clock = realClock;
  });
  afterAll(async () => {
    await node?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });

  const lastSeq = async () => {
    const [row] = await node.services.db
      .select({ seq: auditLog.seq })
      .from(auditLog)
      .orderBy(sql`${auditLog.seq} desc`)
      .limit(1);
    return row?.seq ?? 0;
  };
  const entriesAfter = (seq: number) =>
    node.services.db.select().from(auditLog).where(gt(auditLog.seq, seq)).orderBy(asc(auditLog.seq));
  const entry = async (seq: number): Promise<AuditRow> => {
    const [row] = await node.services.db.select().from(auditLog).where(eq(auditLog.seq, seq));
    if (!row) throw new Error(`no audit entry ${seq}`);
    return row;
  };
  const totalEntries = async () => (await node.services.db.select({ n: count() }).from(auditLog))[0]?.n;

  async function register(): Promise<string> {
    const response = await node.request(token, 'POST', '/v1/reports', missingChild);
    expect(response.status).toBe(201);
    return (await json(response)).report.caseId;
  }

  /** Makes sure the log has at least `n` entries, so that entry 3 sits in the middle. */
  async function atLeast(n: number) {
    while ((await lastSeq()) < n) await register();
  }

  it('records creating, reading, updating and transitioning a case, in order', async () => {
    const at = new Date('2026-11-02T10:15:00.000Z');
    node.services.clock = () => at;
    const from = await lastSeq();
    const created = await node.request(token, 'POST', '/v1/reports', missingChild);
    const caseId: string = (await json(created)).report.caseId;
    const read = await node.request(token, 'GET', `/v1/reports/${caseId}`);
    const updated = await node.request(
      token,
      'PATCH',
      `/v1/reports/${caseId}`,
      { eventDate: '2026-08-20', reason: 'date from the FIR' },
      { 'if-match': '"1"' },
    );
    const moved = await node.request(
      token,
      'POST',
      `/v1/reports/${caseId}/transitions`,
      { to: 'under_review' },
      { 'if-match': '"2"' },
    );
    expect([created.status, read.status, updated.status, moved.status]).toEqual([201, 200, 200, 200]);

    const requestIds = [created, read, updated, moved].map((response) =>
      response.headers.get('x-request-id'),
    );
    expect(new Set(requestIds).size).toBe(4);
    for (const requestId of requestIds) expect(requestId).toMatch(/^req_[0-9a-f]{32}$/);
    const recorded = (await entriesAfter(from)).map((row) => ({
      seq: row.seq,
      at: row.at.toISOString(),
      actorId: row.actorId,
      unitId: row.unitId,
      action: row.action,
      recordType: row.recordType,
      recordId: row.recordId,
      reason: row.reason,
      requestId: row.requestId,
    }));
    const expected = (offset: number, action: string, reason: string | null) => ({
      seq: from + offset + 1,
      at: at.toISOString(),
      actorId: userId,
      unitId,
      action,
      recordType: 'case',
      recordId: caseId,
      reason,
      requestId: requestIds[offset],
    });
    expect(recorded).toEqual([
      expected(0, 'case.create', null),
      expected(1, 'case.read', null),
      expected(2, 'case.update', 'date from the FIR'),
      expected(3, 'case.transition.open.under_review', null),
    ]);
  });

  it('hashes each entry in the database exactly as verify rehashes it, whatever the text', async () => {
    const from = await lastSeq();
    for (const reason of [
      'say "prevHash":"" \\ "seq":0',
      'রিয়া দাস — सीता 👧',
      'line\nbreak\ttab\u0001',
      null,
    ]) {
      await appendAudit(node.services.db, {
        actorId: userId,
        unitId: null,
        action: 'test.text',
        recordType: 'case',
        recordId: 'case_ছ',
        reason,
      });
    }
    const written = await entriesAfter(from);
    expect(written.map((row) => row.seq)).toEqual([from + 1, from + 2, from + 3, from + 4]);
    for (const row of written) expect(row.hash).toBe(entryHash(row.seq, row.prevHash, row));
    expect(await verifyAuditChain(node.services.db)).toEqual({ ok: true, entries: await totalEntries() });
  });

  it('records a read with the read, and leaves no entry for a read that is refused', async () => {
    const caseId = await register();
    const elsewhere = await node.user(
      'dcpu_officer',
      (await node.unit({ type: 'dcpu', district: 'Malda' })).id,
    );
    const from = await lastSeq();
    const refused = await node.request(elsewhere.token, 'GET', `/v1/reports/${caseId}`);
    expect(refused.status).toBe(404);
    const unknown = await node.request(token, 'GET', '/v1/reports/case_00000000000000000000000000');
    expect(unknown.status).toBe(404);
    expect(await entriesAfter(from)).toEqual([]);
    expect((await node.request(token, 'GET', `/v1/reports/${caseId}`)).status).toBe(200);
    expect((await entriesAfter(from)).map((row) => [row.action, row.recordId])).toEqual([
      ['case.read', caseId],
    ]);
  });

  it('verifies an untouched log, in one batch or in many', async () => {
    await atLeast(5);
    const total = await totalEntries();
    expect(await verifyAuditChain(node.services.db)).toEqual({ ok: true, entries: total });
    expect(await verifyAuditChain(node.services.db, 2)).toEqual({ ok: true, entries: total });
    expect(await verifyAuditChain(node.services.db, 3)).toEqual({ ok: true, entries: total });
  });

  it('names an entry edited in the database as altered', async () => {
    await atLeast(5);
    const original = await entry(3);
    await node.services.db.execute(sql`update audit_log set reason = 'x' where seq = 3`);
    try {
      for (const batchSize of [10_000, 2]) {
        expect(await verifyAuditChain(node.services.db, batchSize)).toMatchObject({
          ok: false,
          seq: 3,
          problem: 'was altered after it was written',
        });
      }
    } finally {
      await node.services.db.execute(sql`update audit_log set reason = ${original.reason} where seq = 3`);
    }
    expect((await verifyAuditChain(node.services.db)).ok).toBe(true);
  });

  it('catches an edit whose hash was recomputed at the next entry, which no longer links to it', async () => {
    await atLeast(5);
    const original = await entry(3);
    const forged = { ...original, actorId: 'user_someone_else' };
    const forgedHash = entryHash(3, original.prevHash, forged);
    await node.services.db.execute(
      sql`update audit_log set actor_id = ${forged.actorId}, hash = ${forgedHash} where seq = 3`,
    );
    try {
      expect(await verifyAuditChain(node.services.db)).toMatchObject({
        ok: false,
        seq: 4,
        problem: 'does not link to the entry before it',
      });
    } finally {
      await node.services.db.execute(
        sql`update audit_log set actor_id = ${original.actorId}, hash = ${original.hash} where seq = 3`,
      );
    }
    expect((await verifyAuditChain(node.services.db)).ok).toBe(true);
  });

  it('names a deleted middle entry as missing', async () => {
    await atLeast(5);
    const original = await entry(3);
    await node.services.db.execute(sql`delete from audit_log where seq = 3`);
    try {
      for (const batchSize of [10_000, 2]) {
        expect(await verifyAuditChain(node.services.db, batchSize)).toMatchObject({
          ok: false,
          seq: 3,
          problem: 'entry 3 is missing',
        });
      }
    } finally {
      await node.services.db.insert(auditLog).values(original);
    }
    expect((await verifyAuditChain(node.services.db)).ok).toBe(true);
  });

  it('catches a re-linked entry, whether or not its own hash was recomputed', async () => {
    await atLeast(5);
    const second = await entry(2);
    const fourth = await entry(4);
    const relinkedHash = entryHash(4, second.hash, fourth);
    for (const hash of [fourth.hash, relinkedHash]) {
      await node.services.db.execute(
        sql`update audit_log set prev_hash = ${second.hash}, hash = ${hash} where seq = 4`,
      );
      try {
        expect(await verifyAuditChain(node.services.db)).toMatchObject({
          ok: false,
          seq: 4,
          problem: 'does not link to the entry before it',
        });
      } finally {
        await node.services.db.execute(
          sql`update audit_log set prev_hash = ${fourth.prevHash}, hash = ${fourth.hash} where seq = 4`,
        );
      }
    }
    expect((await verifyAuditChain(node.services.db)).ok).toBe(true);
  });

  it('writes no entry for a change that fails (stale If-Match → 412)', async () => {
    const caseId = await register();
    const first = await node.request(
      token,
      'PATCH',
      `/v1/reports/${caseId}`,
      { publicNotice: true },
      { 'if-match': '"1"' },
    );
    expect(first.status).toBe(200);
    const from = await lastSeq();
    const stale = await node.request(
      token,
      'PATCH',
      `/v1/reports/${caseId}`,
      { publicNotice: false },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect((await json(stale)).error.code).toBe('VERSION_CONFLICT');
    const staleMove = await node.request(
      token,
      'POST',
      `/v1/reports/${caseId}/transitions`,
      { to: 'under_review' },
      { 'if-match': '"1"' },
    );
    expect(staleMove.status).toBe(412);
    expect(await entriesAfter(from)).toEqual([]);
    const [row] = await node.services.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row).toMatchObject({ version: 2, publicNotice: true, status: 'open' });
  });

  it('rolls its entry back with a change that fails after the entry was written (same transaction)', async () => {
    // The report is stored and audited, then sealing its envelope for NP fails: nothing may remain.
    await node.addMembers('NP');
    await node.services.db
      .update(federationMembers)
      .set({ encryptionKeys: [{ kty: 'OKP', crv: 'X25519', x: 'broken', kid: 'enc_broken' }] })
      .where(eq(federationMembers.nodeId, 'NP'));
    const from = await lastSeq();
    const casesBefore = (await node.services.db.select({ n: count() }).from(cases))[0]?.n;
    const internalErrors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onTestFinished(() => internalErrors.mockRestore());
    const response = await node.request(token, 'POST', '/v1/reports', {
      ...missingChild,
      consent: {
        purposes: ['reunification'],
        recipients: ['NP'],
        fields: 'standard',
        legalBasis: 'guardian_consent',
        expiresAt: '2027-08-21T00:00:00.000Z',
        grantedBy: 'SI, Krishnanagar PS',
      },
    });
    expect(response.status).toBe(500);
    expect(internalErrors).toHaveBeenCalledTimes(1);
    expect(await entriesAfter(from)).toEqual([]);
    expect((await node.services.db.select({ n: count() }).from(cases))[0]?.n).toBe(casesBefore);
    expect((await verifyAuditChain(node.services.db)).ok).toBe(true);
  });

  it('keeps one unbroken chain with consecutive numbers under 20 concurrent creates', async () => {
    const from = await lastSeq();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => node.request(token, 'POST', '/v1/reports', missingChild)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    const caseIds = await Promise.all(
      responses.map(async (response) => (await json(response)).report.caseId),
    );
    const entries = await entriesAfter(from);
    expect(entries.map((row) => row.seq)).toEqual(Array.from({ length: 20 }, (_, i) => from + i + 1));
    expect(entries.every((row) => row.action === 'case.create')).toBe(true);
    expect(entries.map((row) => row.recordId).sort()).toEqual([...caseIds].sort());
    expect(await verifyAuditChain(node.services.db)).toEqual({ ok: true, entries: await totalEntries() });
  });

  // Reads append their entry outside any change's transaction: appendAudit opens its own, so the
  // advisory lock holds and concurrent appends cannot take the same seq (they used to: 500s).
  it('keeps one unbroken chain under concurrent reads and changes', async () => {
    const internalErrors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onTestFinished(() => internalErrors.mockRestore());
    const caseId = await register();
    const from = await lastSeq();
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 4 === 0
          ? node.request(token, 'POST', '/v1/reports', missingChild)
          : node.request(token, 'GET', `/v1/reports/${caseId}`),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(
      Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? 201 : 200)),
    );
    const entries = await entriesAfter(from);
    expect(entries.map((row) => row.seq)).toEqual(Array.from({ length: 20 }, (_, i) => from + i + 1));
    expect(await verifyAuditChain(node.services.db)).toEqual({ ok: true, entries: await totalEntries() });
  });
});
