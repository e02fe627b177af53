// The hub's Merkle tree over stored subtrees: appending in batches of any size gives the root of
// the whole tree, stores every perfect subtree exactly once, and proofs computed from the stored
// subtrees verify with the nodes' verifier (contracts).
import {
  EMPTY_TREE_HASH,
  merkleLeafHash,
  merkleNodeHash,
  verifyConsistencyProof,
  verifyInclusionProof,
} from '@khoj/contracts';
import { describe, expect, it } from 'vitest';
import {
  appendLeaves,
  consistencyPath,
  type Frontier,
  frontierKeys,
  inclusionPath,
  type NodeKey,
  nodeKeyId,
  nodesNeeded,
  rootAt,
} from './merkle.ts';

const largestPowerOfTwoBelow = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
const mth = (leaves: string[]): string => {
  if (leaves.length === 0) return EMPTY_TREE_HASH;
  if (leaves.length === 1) return leaves[0] as string;
  const k = largestPowerOfTwoBelow(leaves.length);
  return merkleNodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};

const leaves = Array.from({ length: 70 }, (_, i) => merkleLeafHash(Buffer.from(`entry ${i}`)));

/** Builds the tree in the given batch sizes, as the hub does; returns the stored subtrees. */
function build(batches: number[]) {
  const stored = new Map<string, string>();
  let size = 0;
  let frontier: Frontier = [];
  const roots: string[] = [];
  for (const count of batches) {
    const result = appendLeaves(size, frontier, leaves.slice(size, size + count));
    for (const node of result.created) {
      expect(stored.has(nodeKeyId(node))).toBe(false);
      stored.set(nodeKeyId(node), node.hash);
    }
    size = result.size;
    frontier = result.frontier;
    roots.push(result.rootHash);
    expect(frontier.map(({ size, level }) => ({ size, level }))).toEqual(frontierKeys(size));
  }
  const lookup = (key: NodeKey) => {
    const hash = stored.get(nodeKeyId(key));
    if (!hash) throw new Error(`subtree ${nodeKeyId(key)} not stored`);
    return hash;
  };
  return { stored, size, roots, lookup };
}

describe('appendLeaves', () => {
  it('gives the RFC 9162 root after every batch, whatever the batch sizes', () => {
    const batches = [1, 1, 3, 8, 2, 17, 1, 5, 32];
    const { roots, size, stored } = build(batches);
    let total = 0;
    batches.forEach((count, i) => {
      total += count;
      expect(roots[i]).toBe(mth(leaves.slice(0, total)));
    });
    // n leaves make n leaf rows and n - popcount(n) interior subtrees.
    const ones = size.toString(2).replaceAll('0', '').length;
    expect(stored.size).toBe(size + size - ones);
  });

  it('starts from the empty tree', () => {
    expect(appendLeaves(0, [], []).rootHash).toBe(EMPTY_TREE_HASH);
    expect(frontierKeys(0)).toEqual([]);
    expect(frontierKeys(13)).toEqual([
      { size: 8, level: 3 },
      { size: 12, level: 2 },
      { size: 13, level: 0 },
    ]);
  });
});

describe('proofs from stored subtrees', () => {
  const { lookup, size } = build([7, 1, 1, 20, 41]);

  it('roots at every earlier size come from the stored subtrees', () => {
    for (let n = 0; n <= size; n++) expect(rootAt(n, lookup)).toBe(mth(leaves.slice(0, n)));
  });

  it('inclusion proofs verify for every leaf in trees of every size', () => {
    for (let n = 1; n <= size; n += 3) {
      const rootHash = rootAt(n, lookup);
      for (let m = 0; m < n; m++) {
        const proof = inclusionPath(m, n, lookup);
        expect(
          verifyInclusionProof({ leafHash: leaves[m] as string, leafIndex: m, treeSize: n, proof, rootHash }),
        ).toBe(true);
      }
    }
  });

  it('consistency proofs verify between every pair of sizes', () => {
    for (let second = 1; second <= size; second += 2) {
      for (let first = 0; first <= second; first++) {
        const proof = consistencyPath(first, second, lookup);
        const ok = verifyConsistencyProof({
          firstSize: first,
          secondSize: second,
          firstRoot: rootAt(first, lookup),
          secondRoot: rootAt(second, lookup),
          proof,
        });
        expect(ok, `${first} → ${second}`).toBe(true);
      }
    }
  });

  it('names the stored subtrees a proof needs: at most two per level', () => {
    const needed = nodesNeeded((lookupNode) => inclusionPath(37, 69, lookupNode));
    expect(needed.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(69)));
    const subset = new Map(needed.map((key) => [nodeKeyId(key), lookup(key)]));
    const proof = inclusionPath(37, 69, (key) => subset.get(nodeKeyId(key)) as string);
    expect(proof).toEqual(inclusionPath(37, 69, lookup));
  });
});
