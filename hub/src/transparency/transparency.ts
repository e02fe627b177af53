// What members ask of the transparency log: the newest signed checkpoint, a proof that an envelope
// they sent or received is in the log, and a proof that the log only grew between two sizes.
import type { ConsistencyProof, InclusionProof, SignedCheckpoint } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import type { HubServices } from '../services.ts';
import {
  checkpointCovering,
  checkpointOfSize,
  findLeaf,
  issueCheckpoint,
  latestCheckpoint,
  leafOf,
  readHead,
  signedCheckpoint,
  withStoredNodes,
} from './log.store.ts';
import { consistencyPath, inclusionPath } from './merkle.ts';

/**
 * A checkpoint is signed anew when the log has grown, but at most this often for plain reads
 * (a proof for an entry no checkpoint covers yet always gets a new one).
 */
export const CHECKPOINT_INTERVAL_MS = 1_000;

type Transparency = Pick<HubServices, 'db' | 'configSigningKey' | 'clock'>;

export async function currentCheckpoint(services: Transparency): Promise<SignedCheckpoint> {
  const now = services.clock();
  const [latest, head] = [await latestCheckpoint(services.db), await readHead(services.db)];
  if (
    latest &&
    (latest.treeSize >= head.treeSize || now.getTime() - latest.issuedAt.getTime() < CHECKPOINT_INTERVAL_MS)
  ) {
    return signedCheckpoint(latest);
  }
  return signedCheckpoint(await issueCheckpoint(services.db, services.configSigningKey, now));
}

/** Inclusion of an envelope the caller sent or received; any other answers 404, as if unknown. */
export async function proveInclusion(
  services: Transparency,
  caller: string,
  envelopeId: string,
  treeSize: number | undefined,
): Promise<InclusionProof> {
  const row = await findLeaf(services.db, envelopeId);
  if (!row || (row.origin !== caller && !row.recipients.includes(caller))) {
    throw new ApiError(
      'ENVELOPE_NOT_FOUND',
      `no envelope ${envelopeId} sent or received by ${caller} in the log`,
    );
  }
  let checkpoint =
    treeSize === undefined
      ? await checkpointCovering(services.db, row.leafIndex)
      : await checkpointOfSize(services.db, treeSize);
  if (treeSize !== undefined && !checkpoint) {
    throw new ApiError('CHECKPOINT_NOT_FOUND', `the hub signed no checkpoint of size ${treeSize}`);
  }
  if (treeSize !== undefined && treeSize <= row.leafIndex) {
    throw new ApiError('TREE_SIZE_INVALID', `entry ${row.leafIndex} is not in the tree of size ${treeSize}`);
  }
  checkpoint ??= await issueCheckpoint(services.db, services.configSigningKey, services.clock());
  const size = checkpoint.treeSize;
  const proof = await withStoredNodes(services.db, (lookup) => inclusionPath(row.leafIndex, size, lookup));
  return { leaf: leafOf(row), leafIndex: row.leafIndex, checkpoint: signedCheckpoint(checkpoint), proof };
}

export async function proveConsistency(
  services: Transparency,
  firstSize: number,
  secondSize: number,
): Promise<ConsistencyProof> {
  const head = await readHead(services.db);
  if (firstSize > secondSize || secondSize > head.treeSize) {
    throw new ApiError(
      'TREE_SIZE_INVALID',
      `need from ≤ to ≤ ${head.treeSize} (the log's size), got ${firstSize} and ${secondSize}`,
    );
  }
  const proof = await withStoredNodes(services.db, (lookup) =>
    consistencyPath(firstSize, secondSize, lookup),
  );
  return { firstSize, secondSize, proof };
}
