// Integration test of the test-service bootstrap: the provided PostgreSQL and Redis answer, and per-test
// databases can be created and dropped.

import { Redis } from 'ioredis';
import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from './services.ts';

const postgresUrl = inject('postgresUrl');
const redisUrl = inject('redisUrl');
if (!postgresUrl || !redisUrl) {
  throw new Error(
    'postgresUrl/redisUrl not provided: run with a vitest config whose globalSetup is infra/global-setup.ts',
  );
}

describe(`test services (${inject('testServicesSource')})`, () => {
  it('PostgreSQL answers select version()', async () => {
    const sql = postgres(postgresUrl, { max: 1 });
    try {
      const [row] = await sql<{ version: string }[]>`select version()`;
      expect(row?.version).toMatch(/^PostgreSQL \d+/);
    } finally {
      await sql.end();
    }
  });

  it('Redis answers PING with PONG', async () => {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });

  it('creates and drops a database', async () => {
    const name = `khoj_infra_${process.pid}_${Date.now()}`;
    const url = await createDatabase(postgresUrl, name);
    const sql = postgres(url, { max: 1 });
    try {
      const [row] = await sql<{ db: string }[]>`select current_database() as db`;
      expect(row?.db).toBe(name);
      await sql`create table t (id int primary key)`;
      await sql`insert into t values (1)`;
      expect(await sql`select id from t`).toEqual([{ id: 1 }]);
    } finally {
      await sql.end();
    }

    // createDatabase gives a fresh database even if the name already exists.
    await createDatabase(postgresUrl, name);
    const fresh = postgres(url, { max: 1 });
    try {
      expect(await fresh`select to_regclass('t') as t`).toEqual([{ t: null }]);
    } finally {
      await fresh.end();
    }

    await dropDatabase(url, name); // may be given the dropped database's own URL
    const admin = postgres(postgresUrl, { max: 1 });
    try {
      expect(await admin`select 1 from pg_database where datname = ${name}`).toHaveLength(0);
    } finally {
      await admin.end();
    }
  });
});
