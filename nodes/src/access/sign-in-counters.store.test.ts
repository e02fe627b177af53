// The two stores of the sign-in counts behave alike: windows by the node's clock, never below
// zero, marks that slide, and concurrent adds that all count.
import { randomUUID } from 'node:crypto';
import { openDatabase } from '@khoj/platform';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import * as schema from '../db/schema/index.ts';
import { NODE_MIGRATIONS, NODE_PGLITE_EXTENSIONS } from '../services.ts';
import {
  databaseSignInCounters,
  redisSignInCounters,
  type SignInCounters,
} from './sign-in-counters.store.ts';

const MINUTE = 60_000;

describe.each(['pglite', 'postgres', 'redis'] as const)('sign-in counters in %s', (store) => {
  let counters: SignInCounters;
  let close: () => Promise<void>;

  beforeAll(async () => {
    if (store === 'redis') {
      counters = redisSignInCounters(inject('redisUrl'), `khoj-test:${randomUUID()}:`);
      close = () => counters.close();
    } else {
      const url =
        store === 'postgres'
          ? await createDatabase(inject('postgresUrl'), `node_counters_${randomUUID().slice(0, 8)}`)
          : undefined;
      const database = await openDatabase({
        url,
        dataDir: 'memory://',
        migrationsFolder: NODE_MIGRATIONS,
        extensions: NODE_PGLITE_EXTENSIONS,
        schema,
      });
      counters = databaseSignInCounters(database.db, () => undefined);
      close = async () => {
        await database.close();
        if (url) await dropDatabase(inject('postgresUrl'), new URL(url).pathname.slice(1));
      };
    }
  });
  afterAll(() => close?.());

  const aKey = () => `test:${randomUUID()}`;

  it('counts in a window that starts with the first hit, and starts again after it', async () => {
    const key = aKey();
    const start = new Date('2026-11-01T10:00:00Z');
    expect(await counters.add(key, 1, 15 * MINUTE, start)).toEqual({
      count: 1,
      resetsAt: new Date(start.getTime() + 15 * MINUTE),
    });
    const later = new Date(start.getTime() + 15 * MINUTE - 1);
    expect((await counters.add(key, 1, 15 * MINUTE, later)).count).toBe(2);
    expect(await counters.read(key, later)).toBe(2);
    const ended = new Date(start.getTime() + 15 * MINUTE);
    expect(await counters.read(key, ended)).toBe(0);
    expect(await counters.add(key, 1, 15 * MINUTE, ended)).toEqual({
      count: 1,
      resetsAt: new Date(ended.getTime() + 15 * MINUTE),
    });
  });

  it('never counts below zero, and clears', async () => {
    const key = aKey();
    const now = new Date();
    expect((await counters.add(key, -1, MINUTE, now)).count).toBe(0);
    await counters.add(key, 1, MINUTE, now);
    await counters.add(key, 1, MINUTE, now);
    expect((await counters.add(key, -1, MINUTE, now)).count).toBe(1);
    await counters.clear(key);
    expect(await counters.read(key, now)).toBe(0);
  });

  it('slides a mark forward each time it is set', async () => {
    const key = aKey();
    const start = new Date();
    await counters.mark(key, 10 * MINUTE, start);
    const later = new Date(start.getTime() + 9 * MINUTE);
    await counters.mark(key, 10 * MINUTE, later);
    expect(await counters.read(key, new Date(start.getTime() + 15 * MINUTE))).toBe(1);
    expect(await counters.read(key, new Date(later.getTime() + 10 * MINUTE))).toBe(0);
  });

  it('counts every one of concurrent adds', async () => {
    const key = aKey();
    const now = new Date();
    const counts = await Promise.all(Array.from({ length: 20 }, () => counters.add(key, 1, MINUTE, now)));
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });
});
