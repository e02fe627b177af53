// The transparency log's verification: the RFC 6962 hashes against the published test vectors,
// inclusion and consistency proofs from a reference implementation of RFC 9162 §2.1 for every
// pair of sizes up to 20 (and their corruptions), and signed hub statements.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.ts';
import type { PublicJwk } from './keys.ts';
import {
  CHECKPOINT_KIND,
  EMPTY_TREE_HASH,
  merkleLeafHash,
  merkleNodeHash,
  type SignedCheckpoint,
  verifyCheckpoint,
  verifyConsistencyProof,
  verifyInclusionProof,
} from './transparency.ts';

// The eight leaves and roots of the RFC 6962 test vectors (certificate-transparency, merkle_test).
const VECTOR_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const VECTOR_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const largestPowerOfTwoBelow = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
// Reference RFC 9162 §2.1: straight from the recursive definitions, over the leaf hashes.
const mth = (leaves: string[]): string => {
  if (leaves.length === 0) return EMPTY_TREE_HASH;
  if (leaves.length === 1) return leaves[0] as string;
  const k = largestPowerOfTwoBelow(leaves.length);
  return merkleNodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};
const path = (m: number, leaves: string[]): string[] => {
  if (leaves.length <= 1) return [];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
};
const subproof = (m: number, leaves: string[], whole: boolean): string[] => {
  if (m === leaves.length) return whole ? [] : [mth(leaves)];
  const k = largestPowerOfTwoBelow(leaves.length);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), whole), mth(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
};

const leafHashes = Array.from({ length: 20 }, (_, i) => merkleLeafHash(Buffer.from(`leaf ${i}`)));

describe('the Merkle tree hashes', () => {
  it('match the RFC 6962 test vectors', () => {
    expect(EMPTY_TREE_HASH).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const hashes = VECTOR_LEAVES.map((hex) => merkleLeafHash(Buffer.from(hex, 'hex')));
    for (let size = 1; size <= 8; size++) expect(mth(hashes.slice(0, size))).toBe(VECTOR_ROOTS[size - 1]);
  });
});

describe('verifyInclusionProof', () => {
  it('accepts every leaf of every tree up to 20 leaves, and rejects corrupted proofs', () => {
    for (let n = 1; n <= 20; n++) {
      const leaves = leafHashes.slice(0, n);
      const rootHash = mth(leaves);
      for (let m = 0; m < n; m++) {
        const proof = path(m, leaves);
        const input = { leafHash: leaves[m] as string, leafIndex: m, treeSize: n, proof, rootHash };
        expect(verifyInclusionProof(input)).toBe(true);
        expect(verifyInclusionProof({ ...input, leafHash: leafHashes[(m + 1) % 20] as string })).toBe(false);
        // A proof for one tree says nothing about the next (the tree size travels with its root).
        if (n < 20) {
          const nextRoot = mth(leafHashes.slice(0, n + 1));
          expect(verifyInclusionProof({ ...input, treeSize: n + 1, rootHash: nextRoot })).toBe(false);
        }
        if (n > 1) expect(verifyInclusionProof({ ...input, leafIndex: (m + 1) % n })).toBe(false);
        if (proof.length > 0) {
          expect(verifyInclusionProof({ ...input, proof: proof.slice(0, -1) })).toBe(false);
          expect(verifyInclusionProof({ ...input, proof: [...proof, rootHash] })).toBe(false);
          const flipped = [...proof];
          flipped[0] = merkleNodeHash(flipped[0] as string, flipped[0] as string);
          expect(verifyInclusionProof({ ...input, proof: flipped })).toBe(false);
        }
      }
    }
  });

  it('refuses an index outside the tree', () => {
    const rootHash = mth(leafHashes.slice(0, 4));
    expect(
      verifyInclusionProof({
        leafHash: leafHashes[0] as string,
        leafIndex: 4,
        treeSize: 4,
        proof: [],
        rootHash,
      }),
    ).toBe(false);
  });
});

describe('verifyConsistencyProof', () => {
  it('accepts every pair of sizes up to 20, and rejects corrupted proofs or roots', () => {
    for (let second = 1; second <= 20; second++) {
      for (let first = 1; first <= second; first++) {
        const firstRoot = mth(leafHashes.slice(0, first));
        const secondRoot = mth(leafHashes.slice(0, second));
        const proof = first === second ? [] : subproof(first, leafHashes.slice(0, second), true);
        const input = { firstSize: first, secondSize: second, firstRoot, secondRoot, proof };
        expect(verifyConsistencyProof(input)).toBe(true);
        const other = leafHashes[19] as string;
        expect(verifyConsistencyProof({ ...input, firstRoot: other })).toBe(false);
        expect(verifyConsistencyProof({ ...input, secondRoot: other })).toBe(false);
        if (proof.length > 0) {
          expect(verifyConsistencyProof({ ...input, proof: proof.slice(1) })).toBe(false);
          expect(verifyConsistencyProof({ ...input, proof: [...proof.slice(0, -1), other] })).toBe(false);
        }
      }
    }
  });

  it('treats the empty tree as the start of every tree, and refuses a shrinking one', () => {
    const root = mth(leafHashes.slice(0, 3));
    const base = { firstRoot: EMPTY_TREE_HASH, secondRoot: root, proof: [] };
    expect(verifyConsistencyProof({ ...base, firstSize: 0, secondSize: 3 })).toBe(true);
    expect(verifyConsistencyProof({ ...base, firstSize: 3, secondSize: 2, firstRoot: root })).toBe(false);
  });
});

describe('verifyCheckpoint', () => {
  const keyPair = () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const jwk = publicKey.export({ format: 'jwk' });
    return {
      privateKey,
      publicJwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: 'hub-config-1' } as PublicJwk,
    };
  };
  const signed = (
    statement: unknown,
    privateKey: ReturnType<typeof keyPair>['privateKey'],
    kid = 'hub-config-1',
  ) => {
    const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid })).toString('base64url');
    const payload = Buffer.from(canonicalJson(statement)).toString('base64url');
    const signature = sign(null, Buffer.from(`${header}.${payload}`), privateKey).toString('base64url');
    return `${header}.${payload}.${signature}`;
  };
  const statement = {
    kind: CHECKPOINT_KIND,
    treeSize: 3,
    rootHash: mth(leafHashes.slice(0, 3)),
    issuedAt: '2026-01-01T00:00:00.000Z',
  };

  it('accepts a checkpoint signed by the hub key whose fields are the ones signed', () => {
    const { privateKey, publicJwk } = keyPair();
    const checkpoint: SignedCheckpoint = { ...statement, jws: signed(statement, privateKey) };
    expect(verifyCheckpoint(checkpoint, publicJwk)).toEqual(statement);
  });

  it('refuses another key, altered fields, another kind of statement and a foreign kid', () => {
    const { privateKey, publicJwk } = keyPair();
    const other = keyPair();
    const jws = signed(statement, privateKey);
    expect(() => verifyCheckpoint({ ...statement, jws }, other.publicJwk)).toThrow(/does not verify/);
    expect(() => verifyCheckpoint({ ...statement, treeSize: 4, jws }, publicJwk)).toThrow(/differ/);
    const notice = signed({ ...statement, kind: 'khoj.dead-letter' }, privateKey);
    expect(() => verifyCheckpoint({ ...statement, jws: notice }, publicJwk)).toThrow(/expected statement/);
    expect(() =>
      verifyCheckpoint({ ...statement, jws: signed(statement, privateKey, 'x') }, publicJwk),
    ).toThrow(/signed by key x/);
  });
});
