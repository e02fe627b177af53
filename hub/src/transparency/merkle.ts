// The hub's side of the Merkle tree, with no I/O: appending leaves to the frontier (the perfect
// subtrees of the current tree, at most one per level), the root, and the RFC 9162 inclusion and
// consistency proofs computed from stored perfect subtrees (see db/schema/transparency-nodes.ts).
// Verification is in contracts (transparency.ts), shared with the nodes.
import { EMPTY_TREE_HASH, merkleNodeHash } from '@khoj/contracts';

/** A perfect subtree by where it is stored: the tree size at which it completed, and its level. */
export type NodeKey = { size: number; level: number };
export type StoredNode = NodeKey & { hash: string };
/** The hash of the perfect subtree covering leaves [index·2^level, (index+1)·2^level). */
export type NodeLookup = (key: NodeKey) => string;

export const nodeKeyId = (key: NodeKey): string => `${key.size}:${key.level}`;

/** The perfect subtrees a tree of `size` leaves is made of, largest (leftmost) first. */
export function frontierKeys(size: number): NodeKey[] {
  const keys: NodeKey[] = [];
  let offset = 0;
  for (let level = Math.floor(Math.log2(Math.max(size, 1))); level >= 0; level--) {
    const width = 2 ** level;
    if (size - offset >= width) {
      offset += width;
      keys.push({ size: offset, level });
    }
  }
  return keys;
}

export type Frontier = StoredNode[];

/**
 * Appends leaf hashes to a tree of `size` leaves given its frontier. Returns every subtree that
 * completes (to store), the new frontier and root. Work per leaf: amortised two hashes.
 */
export function appendLeaves(
  size: number,
  frontier: Frontier,
  leafHashes: readonly string[],
): { size: number; frontier: Frontier; created: StoredNode[]; rootHash: string } {
  const next = [...frontier];
  const created: StoredNode[] = [];
  let n = size;
  for (const leafHash of leafHashes) {
    n += 1;
    let node: StoredNode = { size: n, level: 0, hash: leafHash };
    created.push(node);
    for (let left = next.at(-1); left && left.level === node.level; left = next.at(-1)) {
      next.pop();
      node = { size: n, level: node.level + 1, hash: merkleNodeHash(left.hash, node.hash) };
      created.push(node);
    }
    next.push(node);
  }
  return { size: n, frontier: next, created, rootHash: frontierRoot(next) };
}

/** The root of the tree whose frontier this is: the subtrees folded from the right. */
export function frontierRoot(frontier: Frontier): string {
  let root: string | undefined;
  for (let i = frontier.length - 1; i >= 0; i--) {
    const hash = (frontier[i] as StoredNode).hash;
    root = root === undefined ? hash : merkleNodeHash(hash, root);
  }
  return root ?? EMPTY_TREE_HASH;
}

/** MTH(D[a:b]) for a range whose start is aligned to its largest power-of-two part (all ranges below are). */
function rangeHash(a: number, b: number, lookup: NodeLookup): string {
  const width = b - a;
  if (isPowerOfTwo(width) && a % width === 0) {
    return lookup({ size: b, level: Math.log2(width) });
  }
  const k = largestPowerOfTwoBelow(width);
  return merkleNodeHash(rangeHash(a, a + k, lookup), rangeHash(a + k, b, lookup));
}

/** The root of the tree's first `size` leaves. */
export function rootAt(size: number, lookup: NodeLookup): string {
  return size === 0 ? EMPTY_TREE_HASH : rangeHash(0, size, lookup);
}

/** RFC 9162 §2.1.3.1 PATH(m, D[0:n]): the audit path of leaf `m` in the tree of `n` leaves. */
export function inclusionPath(m: number, n: number, lookup: NodeLookup): string[] {
  if (!(m >= 0 && m < n)) throw new RangeError(`leaf ${m} is not in a tree of ${n}`);
  const path = (a: number, b: number): string[] => {
    if (b - a === 1) return [];
    const k = largestPowerOfTwoBelow(b - a);
    return m < a + k
      ? [...path(a, a + k), rangeHash(a + k, b, lookup)]
      : [...path(a + k, b), rangeHash(a, a + k, lookup)];
  };
  return path(0, n);
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[0:n]): that the tree of `n` leaves extends the tree of `m`. */
export function consistencyPath(m: number, n: number, lookup: NodeLookup): string[] {
  if (!(m >= 0 && m <= n)) throw new RangeError(`no consistency from ${m} to ${n}`);
  if (m === 0 || m === n) return [];
  const subproof = (count: number, a: number, b: number, whole: boolean): string[] => {
    if (count === b - a) return whole ? [] : [rangeHash(a, b, lookup)];
    const k = largestPowerOfTwoBelow(b - a);
    return count <= k
      ? [...subproof(count, a, a + k, whole), rangeHash(a + k, b, lookup)]
      : [...subproof(count - k, a + k, b, false), rangeHash(a, a + k, lookup)];
  };
  return subproof(m, 0, n, true);
}

/**
 * The stored subtrees `compute` will look up. Which ones a proof needs depends only on the sizes,
 * never on the hashes, so a dry run with placeholder hashes names them all; the store then reads
 * them in one query.
 */
export function nodesNeeded(compute: (lookup: NodeLookup) => unknown): NodeKey[] {
  const keys = new Map<string, NodeKey>();
  compute((key) => {
    keys.set(nodeKeyId(key), key);
    return EMPTY_TREE_HASH;
  });
  return [...keys.values()];
}

function isPowerOfTwo(value: number): boolean {
  return value > 0 && 2 ** Math.round(Math.log2(value)) === value;
}

/** The largest power of two strictly below `value` (value ≥ 2). */
function largestPowerOfTwoBelow(value: number): number {
  let k = 1;
  while (k * 2 < value) k *= 2;
  return k;
}
