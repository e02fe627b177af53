// Loading the directory from CSV on PGlite and PostgreSQL: units with parents named later in
// the file, bad rows named by line and field, and a second load updating instead of adding.
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { units } from '../db/schema/index.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { importUnits } from './units-csv.ts';

const DIRECTORY = [
  'ref,name,type,country,state,district,parentRef,phones,emails,active',
  'PS-RNG,Ranaghat Police Station,police_station,in,WB,Nadia,DCPU-NAD,+91 3473 210 000,,',
  'DCPU-NAD,DCPU Nadia,dcpu,IN,WB,Nadia,,,dcpu.nadia@example.org|help@example.org,yes',
  'CCI-1,"Nadia Children\'s Home, Krishnanagar",cci,IN,WB,Nadia,DCPU-NAD,,,',
  'X-1,Somewhere,temple,IN,WB,Nadia,,,,',
  'X-2,Orphan unit,cwc,IN,WB,Nadia,NOPE,,not-an-email,',
].join('\n');

describe.each(['pglite', 'postgres'] as const)('directory CSV on %s', (database) => {
  let node: TestNode;
  let databaseUrl: string | undefined;
  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
  });
  afterAll(async () => {
    await node?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });

  it('loads units with their parents, names the bad rows, and updates on a second load', async () => {
    const first = await importUnits(node.services.db, [DIRECTORY], 'test');
    expect(first).toMatchObject({ added: 3, updated: 0, invalid: 2 });
    expect(first.errors.map((e) => [e.line, e.field])).toEqual([
      [5, 'type'],
      [6, 'emails'],
    ]);
    const [station] = await node.services.db.select().from(units).where(eq(units.externalRef, 'PS-RNG'));
    const [dcpu] = await node.services.db.select().from(units).where(eq(units.externalRef, 'DCPU-NAD'));
    expect(station).toMatchObject({
      country: 'IN',
      district: 'Nadia',
      phones: ['+91 3473 210 000'],
      parentId: dcpu?.id,
      active: true,
    });
    expect(dcpu?.emails).toEqual(['dcpu.nadia@example.org', 'help@example.org']);

    const renamed = DIRECTORY.replace('Ranaghat Police Station', 'Ranaghat PS')
      .replace('PS-RNG,', 'PS-RNG,')
      .replace(',+91 3473 210 000,,', ',+91 3473 210 000,,no');
    const second = await importUnits(node.services.db, [renamed], 'test');
    expect(second).toMatchObject({ added: 0, updated: 3 });
    expect((await node.services.db.select({ n: count() }).from(units))[0]?.n).toBe(3);
    const [again] = await node.services.db.select().from(units).where(eq(units.externalRef, 'PS-RNG'));
    expect(again).toMatchObject({ id: station?.id, name: 'Ranaghat PS', active: false });
  });

  it('refuses a file whose header has unknown or missing columns, storing nothing', async () => {
    await expect(importUnits(node.services.db, ['ref,name,kind\nA,B,C'], 'test')).rejects.toThrow(
      /unknown column kind.*missing column type, country/,
    );
  });
});
