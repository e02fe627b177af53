// Importing and exporting reports against a real database (PGlite and PostgreSQL): valid rows in,
// invalid rows named and skipped, re-import changes nothing, export reads back the same records.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, count, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { verifyAuditChain } from '../audit/audit.store.ts';
import { auditLog, cases, caseVersions } from '../db/schema/index.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { exportCases, importFile } from './import.ts';
import { readInterchange } from './read.ts';
import type { RowError } from './row-errors.ts';

const CSV = [
  'id,kind,country,state,district,reportedAt,eventDate,name,aliases,sex,ageYears,ageEstimateMin,ageEstimateMax,heightCm,languages,guardianName,identifyingMarks,notes',
  'WB-1,missing,IN,WB,Nadia,2026-10-01,2026-09-30,Montu Debnath,Bappa,male,9,,,120,bn,Sabita Debnath,mole on left cheek,"left for school, did not return"',
  'WB-2,found,IN,WB,Kolkata,2026-10-02,2026-10-02,,,female,,10,13,,ne|hi,,বাঁ গালে তিল,found at Sealdah station',
  'WB-3,missing,IN,WB,Nadia,2026-10-03,2026-10-05,Riya,,female,7,,,,,,,event after report',
  'WB-4,lost,IN,WB,Nadia,2026-10-03,2026-10-01,Riya,,female,7,,,,,,,',
  'WB-5,missing,IN,WB,Nadia,2026-10-04,2026-10-03,রিয়া দাস,,female,11,,,,bn,,,',
].join('\n');

describe.each(['pglite', 'postgres'] as const)('import and export on %s', (database) => {
  let node: TestNode;
  let databaseUrl: string | undefined;
  let dir: string;
  let unitId: string;

  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
    unitId = (await node.unit({ type: 'police_station' })).id;
    dir = await mkdtemp(join(tmpdir(), 'khoj-import-'));
  });
  afterAll(async () => {
    await node?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
    await rm(dir, { recursive: true, force: true });
  });

  it('imports the valid rows, names each invalid one, and changes nothing on a second run', async () => {
    const file = join(dir, 'reports.csv');
    await writeFile(file, CSV);
    const errors: RowError[] = [];
    const first = await importFile(node.services.db, file, {
      ownerUnitId: unitId,
      importedBy: 'test',
      onErrors: (e) => errors.push(...e),
    });
    expect(first).toEqual({ imported: 3, alreadyPresent: 0, invalid: 2 });
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [4, 'eventDate'],
      [5, 'kind'],
    ]);
    const again = await importFile(node.services.db, file, { ownerUnitId: unitId, importedBy: 'test' });
    expect(again).toEqual({ imported: 0, alreadyPresent: 3, invalid: 2 });
    expect((await node.services.db.select({ n: count() }).from(cases))[0]?.n).toBe(3);
    expect((await node.services.db.select({ n: count() }).from(caseVersions))[0]?.n).toBe(3);

    const [montu] = await node.services.db.select().from(cases).where(eq(cases.externalRef, 'WB-1'));
    expect(montu).toMatchObject({
      kind: 'missing',
      ownerUnitId: unitId,
      eventDate: '2026-09-30',
      district: 'Nadia',
    });
    expect(montu?.child).toMatchObject({
      name: 'Montu Debnath',
      aliases: ['Bappa'],
      age: { years: 9 },
      heightCm: 120,
    });
    expect(montu?.missing).toEqual({
      circumstances: 'left for school, did not return',
      guardians: [{ name: 'Sabita Debnath', relation: 'guardian', phones: [] }],
    });
    expect(montu?.searchTerms).toContain('debnath');
    expect(await verifyAuditChain(node.services.db)).toMatchObject({ ok: true });
  });

  it('stores each first version as a change would, and makes the cases searchable by word', async () => {
    const imported = await node.services.db.select().from(cases).where(eq(cases.ownerUnitId, unitId));
    const versions = await node.services.db.select().from(caseVersions);
    expect(imported).toHaveLength(3);
    for (const row of imported) {
      const version = versions.find((v) => v.caseId === row.id);
      // What recordVersion stores for a row drizzle returned: the same keys, values and date format.
      expect(version).toMatchObject({ version: 1, change: 'create', status: 'open', reason: 'imported' });
      expect(version?.snapshot).toEqual(JSON.parse(JSON.stringify(row)));
    }
    const { token } = await node.user('police_officer', unitId);
    const found = async (q: string) => {
      const response = await node.request(token, 'GET', `/v1/reports?q=${encodeURIComponent(q)}`);
      return ((await response.json()) as { reports: { caseId: string }[] }).reports.map((r) => r.caseId);
    };
    const byRef = (ref: string) => imported.find((row) => row.externalRef === ref)?.id;
    expect(await found('debnath')).toEqual([byRef('WB-1')]);
    expect(await found('bappa')).toEqual([byRef('WB-1')]);
    expect(await found('দাস')).toEqual([byRef('WB-5')]);
  });

  it('exports what it holds in the same format, which reads back to the same records', async () => {
    for (const format of ['csv', 'jsonl'] as const) {
      const out = join(dir, `export.${format}`);
      let text = '';
      for await (const chunk of exportCases(node.services.db, format)) text += chunk;
      await writeFile(out, text);
      const rows = [];
      for await (const row of readInterchange([await readFile(out, 'utf8')], format)) rows.push(row);
      expect(rows.every((row) => row.record && !row.errors)).toBe(true);
      const byId = Object.fromEntries(rows.map((row) => [row.record?.id, row.record]));
      expect(Object.keys(byId).sort()).toEqual(['WB-1', 'WB-2', 'WB-5']);
      expect(byId['WB-2']).toMatchObject({
        kind: 'found',
        ageEstimateMin: 10,
        ageEstimateMax: 13,
        languages: ['ne', 'hi'],
        identifyingMarks: ['বাঁ গালে তিল'],
      });
      expect(byId['WB-5']?.name).toBe('রিয়া দাস');
    }
  });

  it('stores text with quotes, backslashes, braces, commas and line breaks exactly as read', async () => {
    const file = join(dir, 'awkward.jsonl');
    const awkward = {
      id: 'AW-"1"\\{x}',
      kind: 'missing',
      country: 'IN',
      district: 'NULL',
      reportedAt: '2026-10-01',
      eventDate: '2026-10-01',
      name: 'Rinku "Bablu" Sk\\',
      aliases: ['{a,b}', 'NULL', 'x"y'],
      sex: 'male',
      ageYears: 6,
      identifyingMarks: ['scar, left\\right'],
      notes: 'said "{}"\nthen \\ left',
    };
    await writeFile(file, `${JSON.stringify(awkward)}\n`);
    const summary = await importFile(node.services.db, file, { ownerUnitId: unitId, importedBy: 'test' });
    expect(summary).toEqual({ imported: 1, alreadyPresent: 0, invalid: 0 });
    const [row] = await node.services.db.select().from(cases).where(eq(cases.externalRef, awkward.id));
    expect(row).toMatchObject({ district: 'NULL', state: null });
    expect(row?.child).toMatchObject({
      name: awkward.name,
      aliases: awkward.aliases,
      identifyingMarks: awkward.identifyingMarks,
    });
    expect(row?.missing?.circumstances).toBe(awkward.notes);
    expect(row?.searchTerms).toEqual(['rinku', '"bablu"', 'sk\\', '{a', 'b}', 'null', 'x"y']);
  });

  it('imports a repeated id once, and batch after batch in file order', async () => {
    const file = join(dir, 'many.csv');
    const header = 'id,kind,country,state,district,reportedAt,eventDate,name,sex,ageYears';
    const line = (i: number) => `MANY-${i},found,IN,WB,Malda,2026-10-01,2026-10-01,Child ${i} Mondal,male,8`;
    // Batches of four: MANY-1 twice in the first (one statement), then two more batches.
    await writeFile(file, [header, ...[0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(line)].join('\n'));
    const from = (await node.services.db.select({ n: count() }).from(auditLog))[0]?.n ?? 0;
    const progress: number[] = [];
    const summary = await importFile(node.services.db, file, {
      ownerUnitId: unitId,
      importedBy: 'test',
      batchSize: 4,
      onProgress: (rows) => progress.push(rows),
    });
    expect(summary).toEqual({ imported: 10, alreadyPresent: 1, invalid: 0 });
    expect(progress).toEqual([4, 4, 3]);
    const entries = await node.services.db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, from))
      .orderBy(asc(auditLog.seq));
    expect(entries.map((entry) => entry.reason)).toEqual([
      `3 cases from ${file} lines 2–5`,
      `4 cases from ${file} lines 6–9`,
      `3 cases from ${file} lines 10–12`,
    ]);
    expect(await verifyAuditChain(node.services.db)).toMatchObject({ ok: true });
  });

  it('fails when a batch cannot be stored, even while the next one is being read', async () => {
    const file = join(dir, 'many.csv');
    const before = (await node.services.db.select({ n: count() }).from(cases))[0]?.n;
    await expect(
      importFile(node.services.db, file, {
        ownerUnitId: 'unit_not_in_directory',
        importedBy: 'test',
        batchSize: 4,
      }),
    ).rejects.toThrow();
    expect((await node.services.db.select({ n: count() }).from(cases))[0]?.n).toBe(before);
  });
});
