// `khoj hub log verify`: recomputes the whole transparency log from the hub's database and names
// the first thing that does not hold. In one pass over the entries, in order:
// - no entry is missing (indexes 0, 1, 2 … without gaps);
// - each entry's leaf hash, recomputed from its metadata, is the stored one (an edited entry);
// - each entry agrees with the envelope it names (type, origin, digest, time of acceptance);
// - every stored subtree is the one recomputed (an edited interior hash would mislead proofs);
// - every checkpoint's signature verifies with the configuration key, and its root is the root
//   recomputed at its size (an entry rewritten together with its hashes, or removed);
// then that the head holds the recomputed size and root and that every envelope is in the log.
import { HubStatementError, type PublicJwk, transparencyLeafHash, verifyCheckpoint } from '@khoj/contracts';
import { type Database, openDatabase } from '@khoj/platform';
import { and, asc, eq, gt, gte, inArray, isNull, lte } from 'drizzle-orm';
import * as schema from '../db/schema/index.ts';
import { envelopes, transparencyLeaves, transparencyNodes } from '../db/schema/index.ts';
import { hubPaths } from '../home.ts';
import { HUB_MIGRATIONS } from '../services.ts';
import { readTrustAnchor } from '../trust/anchor.ts';
import { allCheckpoints, leafOf, readHead, signedCheckpoint } from './log.store.ts';
import { appendLeaves, type Frontier, frontierRoot, nodeKeyId } from './merkle.ts';

type HubDb = Database<typeof schema>;

export type LogCheck =
  | { ok: true; entries: number; checkpoints: number; treeSize: number; rootHash: string }
  | {
      ok: false;
      /** Entries checked before the problem. */
      entries: number;
      checkpoints: number;
      /** The first bad entry, when the problem is one. */
      leafIndex?: number;
      envelopeId?: string;
      problem: string;
    };

export async function verifyTransparencyLog(
  db: HubDb,
  hubKey: PublicJwk,
  options: { batchSize?: number } = {},
): Promise<LogCheck> {
  const batchSize = options.batchSize ?? 5_000;
  const checkpoints = await allCheckpoints(db);
  let checkedCheckpoints = 0;
  let entries = 0;
  const fail = (problem: string, leaf?: { leafIndex: number; envelopeId?: string }): LogCheck => ({
    ok: false,
    entries,
    checkpoints: checkedCheckpoints,
    ...(leaf ? { leafIndex: leaf.leafIndex } : {}),
    ...(leaf?.envelopeId ? { envelopeId: leaf.envelopeId } : {}),
    problem,
  });

  for (const checkpoint of checkpoints) {
    try {
      verifyCheckpoint(signedCheckpoint(checkpoint), hubKey);
    } catch (error) {
      if (!(error instanceof HubStatementError)) throw error;
      return fail(`the checkpoint of size ${checkpoint.treeSize} is not signed by the hub: ${error.message}`);
    }
  }
  let nextCheckpoint = 0;
  /** The largest size at which a checkpoint matched: a rewrite lies after it. */
  let lastMatched = 0;
  let size = 0;
  let frontier: Frontier = [];
  /** Compares the checkpoints of the current size with the root recomputed at it. */
  const checkCheckpointsAt = (): string | undefined => {
    for (let c = checkpoints[nextCheckpoint]; c && c.treeSize === size; c = checkpoints[nextCheckpoint]) {
      if (c.rootHash !== frontierRoot(frontier)) {
        return `the checkpoint of size ${size} does not match the log: an entry from ${lastMatched} to ${size - 1} was rewritten together with its hashes`;
      }
      lastMatched = size;
      nextCheckpoint++;
      checkedCheckpoints++;
    }
    return undefined;
  };

  for (;;) {
    const problem = checkCheckpointsAt();
    if (problem) return fail(problem);
    const leaves = await db
      .select()
      .from(transparencyLeaves)
      .where(gte(transparencyLeaves.leafIndex, size))
      .orderBy(asc(transparencyLeaves.leafIndex))
      .limit(batchSize);
    if (leaves.length === 0) break;
    const last = (leaves.at(-1) as (typeof leaves)[number]).leafIndex;
    const stored = new Map(
      (
        await db
          .select()
          .from(transparencyNodes)
          .where(and(gt(transparencyNodes.size, size), lte(transparencyNodes.size, last + 1)))
      ).map((row) => [nodeKeyId(row), row.hash]),
    );
    const accepted = new Map(
      (
        await db
          .select({
            id: envelopes.id,
            type: envelopes.type,
            origin: envelopes.origin,
            digest: envelopes.digest,
            receivedAt: envelopes.receivedAt,
          })
          .from(envelopes)
          .where(
            inArray(
              envelopes.id,
              leaves.map((leaf) => leaf.envelopeId),
            ),
          )
      ).map((row) => [row.id, row]),
    );
    for (const row of leaves) {
      if (row.leafIndex !== size) return fail(`entry ${size} is missing`, { leafIndex: size });
      const leaf = leafOf(row);
      const leafHash = transparencyLeafHash(leaf);
      if (stored.get(nodeKeyId({ size: size + 1, level: 0 })) !== leafHash) {
        return fail(`entry ${size} was altered: its metadata does not give its stored leaf hash`, row);
      }
      const envelope = accepted.get(row.envelopeId);
      if (!envelope)
        return fail(`entry ${size} names envelope ${row.envelopeId}, which the hub does not hold`, row);
      if (
        envelope.type !== leaf.type ||
        envelope.origin !== leaf.origin ||
        envelope.digest !== leaf.digest ||
        envelope.receivedAt.getTime() !== row.acceptedAt.getTime()
      ) {
        return fail(`entry ${size} does not match envelope ${row.envelopeId} as stored`, row);
      }
      const appended = appendLeaves(size, frontier, [leafHash]);
      for (const node of appended.created) {
        if (stored.get(nodeKeyId(node)) !== node.hash) {
          return fail(
            `the stored subtree of level ${node.level} ending at entry ${size} was altered (proofs through it would fail)`,
            row,
          );
        }
      }
      size = appended.size;
      frontier = appended.frontier;
      entries++;
      const atCheckpoint = checkCheckpointsAt();
      if (atCheckpoint) return fail(atCheckpoint);
    }
  }

  const beyond = checkpoints[nextCheckpoint];
  if (beyond) {
    return fail(
      `the checkpoint of size ${beyond.treeSize} is beyond the log's ${size} entries: entries were removed`,
    );
  }
  const head = await readHead(db);
  const rootHash = frontierRoot(frontier);
  if (head.treeSize !== size || head.rootHash !== rootHash) {
    return fail(
      `the log head says ${head.treeSize} entries with root ${head.rootHash}; recomputed ${size} with ${rootHash}`,
    );
  }
  const [unlogged] = await db
    .select({ id: envelopes.id })
    .from(envelopes)
    .leftJoin(transparencyLeaves, eq(transparencyLeaves.envelopeId, envelopes.id))
    .where(isNull(transparencyLeaves.envelopeId))
    .limit(1);
  if (unlogged) return fail(`envelope ${unlogged.id} is not in the log: its entry was removed`);
  return { ok: true, entries, checkpoints: checkedCheckpoints, treeSize: size, rootHash };
}

/**
 * The check over a hub home's database (PostgreSQL at `databaseUrl`, else the embedded one),
 * with the configuration key from the home's anchor file — what a node operator trusts. Opens
 * the database alone, not the hub's services, so nothing is written before the check.
 */
export async function verifyHubHomeLog(hubHome: string, databaseUrl?: string): Promise<LogCheck> {
  const paths = hubPaths(hubHome);
  const anchor = await readTrustAnchor(paths.anchor);
  const database = await openDatabase({
    url: databaseUrl,
    dataDir: paths.dataDir,
    migrationsFolder: HUB_MIGRATIONS,
    schema,
  });
  try {
    return await verifyTransparencyLog(database.db, anchor.configSigningKey);
  } finally {
    await database.close();
  }
}
