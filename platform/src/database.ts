// Opens a service's database: PostgreSQL when a URL is configured (production), otherwise an
// embedded PGlite under the service's data directory (the default a newcomer gets). The same
// drizzle schema and the same committed SQL migrations serve both.
import { mkdirSync } from 'node:fs';
import { type Extensions, PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

export type Database<TSchema extends Record<string, unknown>> = PgDatabase<PgQueryResultHKT, TSchema>;

export type DatabaseHandle<TSchema extends Record<string, unknown>> = {
  db: Database<TSchema>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
};

export async function openDatabase<TSchema extends Record<string, unknown>>(options: {
  /** postgres://… — when absent, PGlite in `dataDir`. */
  url?: string | undefined;
  /** A directory, or `memory://` for a throwaway PGlite that never touches the disk. */
  dataDir: string;
  migrationsFolder: string;
  schema: TSchema;
  /** Connections in the pool (PostgreSQL only). */
  poolSize?: number;
  /**
   * PGlite only: contrib extensions its migrations create (`{ pg_trgm }` from
   * '@electric-sql/pglite/contrib/pg_trgm'); PostgreSQL has its contrib modules installed.
   */
  extensions?: Extensions;
}): Promise<DatabaseHandle<TSchema>> {
  if (options.url) {
    const client = postgres(options.url, { max: options.poolSize ?? 10, onnotice: () => undefined });
    const db = drizzlePostgres(client, { schema: options.schema });
    await migratePostgres(db, { migrationsFolder: options.migrationsFolder });
    return {
      db: db as unknown as Database<TSchema>,
      kind: 'postgres',
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  const client = new PGlite({ dataDir: options.dataDir, extensions: options.extensions ?? {} });
  const db = drizzlePglite(client, { schema: options.schema });
  await migratePglite(db, { migrationsFolder: options.migrationsFolder });
  return { db: db as unknown as Database<TSchema>, kind: 'pglite', close: () => client.close() };
}
