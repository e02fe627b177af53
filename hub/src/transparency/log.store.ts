// The transparency log in the hub's database: appending entries inside the transaction that
// stores their envelopes, reading stored subtrees for proofs, and the signed checkpoints.
// Appends lock the head row, so they are serialised across hub processes; they read only the
// frontier (at most one subtree per level), never the whole tree.
import {
  CHECKPOINT_KIND,
  type CheckpointStatement,
  canonicalJson,
  EMPTY_TREE_HASH,
  type SignedCheckpoint,
  type TransparencyLeaf,
  transparencyLeafHash,
} from '@khoj/contracts';
import { type JwsSigningKey, signJws } from '@khoj/pki';
import type { Database } from '@khoj/platform';
import { asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { HubTx } from '../audit/audit.store.ts';
import { rowsOf } from '../db/rows.ts';
import type * as schema from '../db/schema/index.ts';
import {
  deliveries,
  envelopes,
  type TransparencyCheckpointRow,
  type TransparencyLeafRow,
  transparencyCheckpoints,
  transparencyHead,
  transparencyLeaves,
  transparencyNodes,
} from '../db/schema/index.ts';
import { runPrepared, type SessionOwner } from '../exchange/prepared.ts';
import {
  appendLeaves,
  type Frontier,
  frontierKeys,
  frontierRoot,
  type NodeKey,
  type NodeLookup,
  nodeKeyId,
  nodesNeeded,
} from './merkle.ts';

type HubDb = Database<typeof schema>;
type Reader = Pick<HubTx, 'select'>;

const HEAD_ID = 1;

/** Leaf metadata as stored → as hashed. */
export function leafOf(row: TransparencyLeafRow): TransparencyLeaf {
  return {
    envelopeId: row.envelopeId,
    type: row.type,
    origin: row.origin,
    recipients: row.recipients,
    purposes: row.purposes,
    digest: row.digest,
    acceptedAt: row.acceptedAt.toISOString(),
  };
}

/** The log as an appender needs it: its size, root and frontier (the perfect subtrees). */
export type LogState = { size: number; rootHash: string; frontier: Frontier };

/** Locks the head row until `tx` ends: appends are serialised across hub processes here. */
export async function lockLogHead(tx: HubTx): Promise<{ treeSize: number; rootHash: string }> {
  // Without parameters, so postgres-js sends it in one round trip (see trust-snapshot.ts).
  const result = await tx.execute(
    sql`select tree_size::text as size, root_hash as root from transparency_head where id = 1 for update`,
  );
  const [head] = rowsOf<{ size: string; root: string }>(result);
  if (!head) throw new Error('the transparency log has no head row (ensureTransparencyLog was not run)');
  return { treeSize: Number(head.size), rootHash: head.root };
}

/** The state of the log whose head this is, from its stored frontier. */
export async function readLogState(
  tx: Reader,
  head: { treeSize: number; rootHash: string },
): Promise<LogState> {
  const keys = frontierKeys(head.treeSize);
  const nodes = await readNodes(tx, keys);
  const frontier = keys.map((key) => ({ ...key, hash: required(nodes, key) }));
  if (frontierRoot(frontier) !== head.rootHash) {
    throw new Error(
      `the transparency log's stored subtrees do not give its head root at size ${head.treeSize}`,
    );
  }
  return { size: head.treeSize, rootHash: head.rootHash, frontier };
}

/**
 * Writes `entries` after `state` inside `tx`. The statements are issued together (PostgreSQL
 * pipelines them on the transaction's connection); returns the state after them.
 */
export async function writeEntries(
  tx: HubTx & SessionOwner,
  state: LogState,
  entries: TransparencyLeaf[],
): Promise<LogState> {
  if (entries.length === 0) return state;
  const appended = appendLeaves(state.size, state.frontier, entries.map(transparencyLeafHash));
  // unnest over array parameters: a few parameters whatever the batch size, as prepared
  // statements (exchange/prepared.ts) so that the three go in one round trip.
  await Promise.all([
    runPrepared(tx, 'hub_log_leaves', INSERT_LEAVES, [
      entries.map((_, i) => String(state.size + i)),
      entries.map((leaf) => leaf.envelopeId),
      entries.map((leaf) => leaf.type),
      entries.map((leaf) => leaf.origin),
      entries.map((leaf) => JSON.stringify(leaf.recipients)),
      entries.map((leaf) => JSON.stringify(leaf.purposes)),
      entries.map((leaf) => leaf.digest),
      entries.map((leaf) => leaf.acceptedAt),
    ]),
    runPrepared(tx, 'hub_log_nodes', INSERT_NODES, [
      appended.created.map((node) => String(node.size)),
      appended.created.map((node) => String(node.level)),
      appended.created.map((node) => node.hash),
    ]),
    runPrepared(tx, 'hub_log_head', UPDATE_HEAD, [String(appended.size), appended.rootHash]),
  ]);
  return { size: appended.size, rootHash: appended.rootHash, frontier: appended.frontier };
}

const INSERT_LEAVES = `
  insert into transparency_leaves
    (leaf_index, envelope_id, type, origin, recipients, purposes, digest, accepted_at)
  select leaf_index::bigint, envelope_id, type, origin, recipients::jsonb, purposes::jsonb, digest,
    accepted_at::timestamptz
  from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
    as entry(leaf_index, envelope_id, type, origin, recipients, purposes, digest, accepted_at)`;

const INSERT_NODES = `
  insert into transparency_nodes (size, level, hash)
  select size::bigint, level::smallint, hash from unnest($1::text[], $2::text[], $3::text[]) as node(size, level, hash)`;

const UPDATE_HEAD = `update transparency_head set tree_size = $1::bigint, root_hash = $2::text where id = ${HEAD_ID}`;

/** Appends entries inside `tx` (the transaction that stores their envelopes), in the given order. */
export async function appendToLog(tx: HubTx & SessionOwner, entries: TransparencyLeaf[]): Promise<LogState> {
  const state = await readLogState(tx, await lockLogHead(tx));
  return writeEntries(tx, state, entries);
}

/**
 * Makes the head row on the first start with a transparency log, and then enters every envelope
 * the hub accepted before the log existed (oldest first), so that the log covers all it holds.
 * Only then: later, an envelope without an entry is a removed entry, for the check to report.
 */
export async function ensureTransparencyLog(db: HubDb): Promise<void> {
  // One transaction: a start that fails half-way leaves no head, and the next start does it all.
  await db.transaction(async (tx) => {
    const created = await tx
      .insert(transparencyHead)
      .values({ id: HEAD_ID, treeSize: 0, rootHash: EMPTY_TREE_HASH })
      .onConflictDoNothing()
      .returning({ id: transparencyHead.id });
    if (created.length === 0) return;
    let after = 0;
    for (;;) {
      const batch = await tx
        .select()
        .from(envelopes)
        .where(gt(envelopes.seq, after))
        .orderBy(asc(envelopes.seq))
        .limit(1_000);
      const last = batch.at(-1);
      if (!last) return;
      after = last.seq;
      const routes = await tx
        .select({ envelopeId: deliveries.envelopeId, recipient: deliveries.recipient })
        .from(deliveries)
        .where(
          inArray(
            deliveries.envelopeId,
            batch.map((envelope) => envelope.id),
          ),
        );
      await appendToLog(
        tx,
        batch.map((envelope) => ({
          envelopeId: envelope.id,
          type: envelope.body.type,
          origin: envelope.origin,
          recipients: routes.filter((row) => row.envelopeId === envelope.id).map((row) => row.recipient),
          purposes: envelope.body.purposes,
          digest: envelope.digest,
          acceptedAt: envelope.receipt.receivedAt,
        })),
      );
    }
  });
}

export async function readHead(db: Reader): Promise<{ treeSize: number; rootHash: string }> {
  const [head] = await db.select().from(transparencyHead).where(eq(transparencyHead.id, HEAD_ID));
  return head ?? { treeSize: 0, rootHash: EMPTY_TREE_HASH };
}

/** Stored subtrees by key (`size:level`). */
export async function readNodes(db: Reader, keys: NodeKey[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const sizes = [...new Set(keys.map((key) => key.size))];
  const rows = await db.select().from(transparencyNodes).where(inArray(transparencyNodes.size, sizes));
  return new Map(rows.map((row) => [nodeKeyId(row), row.hash]));
}

function required(nodes: Map<string, string>, key: NodeKey): string {
  const hash = nodes.get(nodeKeyId(key));
  if (hash === undefined) throw new Error(`transparency subtree ${nodeKeyId(key)} is missing`);
  return hash;
}

/** Runs a pure proof computation over the stored subtrees it needs, read in one query. */
export async function withStoredNodes<T>(db: Reader, compute: (lookup: NodeLookup) => T): Promise<T> {
  const nodes = await readNodes(db, nodesNeeded(compute));
  return compute((key) => required(nodes, key));
}

export async function findLeaf(db: Reader, envelopeId: string): Promise<TransparencyLeafRow | undefined> {
  const [row] = await db
    .select()
    .from(transparencyLeaves)
    .where(eq(transparencyLeaves.envelopeId, envelopeId))
    .limit(1);
  return row;
}

// ---------------------------------------------------------------------------------------------
// Checkpoints

export function signedCheckpoint(row: TransparencyCheckpointRow): SignedCheckpoint {
  return {
    treeSize: row.treeSize,
    rootHash: row.rootHash,
    issuedAt: row.issuedAt.toISOString(),
    jws: row.jws,
  };
}

export async function latestCheckpoint(db: Reader): Promise<TransparencyCheckpointRow | undefined> {
  const [row] = await db
    .select()
    .from(transparencyCheckpoints)
    .orderBy(desc(transparencyCheckpoints.treeSize))
    .limit(1);
  return row;
}

export async function checkpointOfSize(db: Reader, treeSize: number) {
  const [row] = await db
    .select()
    .from(transparencyCheckpoints)
    .where(eq(transparencyCheckpoints.treeSize, treeSize))
    .limit(1);
  return row;
}

/** The smallest checkpoint that includes the entry at `leafIndex`. */
export async function checkpointCovering(db: Reader, leafIndex: number) {
  const [row] = await db
    .select()
    .from(transparencyCheckpoints)
    .where(gt(transparencyCheckpoints.treeSize, leafIndex))
    .orderBy(asc(transparencyCheckpoints.treeSize))
    .limit(1);
  return row;
}

/**
 * Signs the log's current head unless a checkpoint of that size exists. The head is read as
 * committed (size and root together), so no lock is needed: two hub processes signing the same
 * size at once insert one row, and both answer with it.
 */
export async function issueCheckpoint(
  db: HubDb,
  configSigningKey: JwsSigningKey,
  now: Date,
): Promise<TransparencyCheckpointRow> {
  const head = await readHead(db);
  const existing = await checkpointOfSize(db, head.treeSize);
  if (existing) return existing;
  const statement: CheckpointStatement = {
    kind: CHECKPOINT_KIND,
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    issuedAt: now.toISOString(),
  };
  const jws = await signJws(canonicalJson(statement), configSigningKey);
  await db
    .insert(transparencyCheckpoints)
    .values({ treeSize: head.treeSize, rootHash: head.rootHash, issuedAt: now, jws })
    .onConflictDoNothing();
  const stored = await checkpointOfSize(db, head.treeSize);
  if (!stored) throw new Error(`checkpoint of size ${head.treeSize} vanished`);
  return stored;
}

/** Every checkpoint, smallest first. */
export async function allCheckpoints(db: Reader): Promise<TransparencyCheckpointRow[]> {
  return db.select().from(transparencyCheckpoints).orderBy(asc(transparencyCheckpoints.treeSize));
}
