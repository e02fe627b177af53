// Administration of a node's store from the command line (`khoj user …`, `khoj token …`,
// `khoj unit …`, `khoj audit verify`): opens the node's database directly. On the embedded
// default the node must be stopped first (PGlite serves one process at a time).
import { type DatabaseHandle, openDatabase } from '@khoj/platform';
import * as schema from './db/schema/index.ts';
import { nodePaths } from './home.ts';
import { NODE_MIGRATIONS, NODE_PGLITE_EXTENSIONS } from './services.ts';

export type NodeStore = DatabaseHandle<typeof schema>;

export function openNodeStore(home: string, databaseUrl?: string): Promise<NodeStore> {
  return openDatabase({
    url: databaseUrl,
    dataDir: nodePaths(home).dataDir,
    migrationsFolder: NODE_MIGRATIONS,
    extensions: NODE_PGLITE_EXTENSIONS,
    schema,
    poolSize: 2,
  });
}

/** The actor id recorded in the audit log for changes made from the command line. */
export const CLI_ACTOR = 'cli';
