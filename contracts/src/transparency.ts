// The hub's transparency log, as every party checks it: an append-only Merkle tree in the style
// of RFC 6962 / RFC 9162 over the metadata of each envelope the hub accepted (never its
// contents), and the statements the hub signs about it (checkpoints, dead-letter notices) with
// its configuration-signing key — the key every node holds from its trust anchor. Pure: the hub,
// the nodes and `khoj hub log verify` use exactly these functions, so they cannot disagree.
//
//   leaf         = SHA-256 of the canonical JSON of TransparencyLeaf (32 bytes)
//   leaf hash    = SHA-256(0x00 || leaf)
//   node hash    = SHA-256(0x01 || left || right)
//   empty tree   = SHA-256("")
// Hashes travel as lowercase hex.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { digestOf } from './canonical.ts';
import { Purpose } from './consent.ts';
import { EnvelopeType } from './envelope.ts';
import { EnvelopeId, NodeId } from './ids.ts';
import { parseJsonDocument } from './input.ts';
import type { PublicJwk } from './keys.ts';

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'lowercase hex SHA-256');
const Instant = z.iso.datetime({ offset: true });

/** What the log records of one accepted envelope: who sent what kind to whom, for what, when. */
export const TransparencyLeaf = z
  .object({
    envelopeId: EnvelopeId,
    type: EnvelopeType,
    origin: NodeId,
    /** The nodes the hub delivered to (a fanned-out query names the members it reached). */
    recipients: z.array(NodeId),
    purposes: z.array(Purpose),
    /** `envelopeDigest` of the envelope as accepted. */
    digest: Sha256Hex,
    /** The receipt's `receivedAt`. */
    acceptedAt: Instant,
  })
  .openapi('TransparencyLeaf');
export type TransparencyLeaf = z.infer<typeof TransparencyLeaf>;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const EMPTY_TREE_HASH = createHash('sha256').digest('hex');

/** RFC 6962 leaf hash of an entry's metadata. */
export function transparencyLeafHash(leaf: TransparencyLeaf): string {
  return merkleLeafHash(Buffer.from(digestOf(leaf), 'hex'));
}

/** RFC 6962 leaf hash of raw entry bytes. */
export function merkleLeafHash(entry: Uint8Array): string {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest('hex');
}

/** RFC 6962 interior node hash. */
export function merkleNodeHash(left: string, right: string): string {
  return createHash('sha256')
    .update(NODE_PREFIX)
    .update(Buffer.from(left, 'hex'))
    .update(Buffer.from(right, 'hex'))
    .digest('hex');
}

/**
 * RFC 9162 §2.1.3.2: does `proof` show the leaf with `leafHash` at `leafIndex` in the tree of
 * `treeSize` leaves whose root is `rootHash`?
 */
export function verifyInclusionProof(input: {
  leafHash: string;
  leafIndex: number;
  treeSize: number;
  proof: readonly string[];
  rootHash: string;
}): boolean {
  const { leafIndex, treeSize, proof } = input;
  if (!isSize(leafIndex) || !isSize(treeSize) || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = input.leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = merkleNodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = merkleNodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r === input.rootHash;
}

/**
 * RFC 9162 §2.1.4.2: is the tree of `secondSize` leaves (root `secondRoot`) an append-only
 * extension of the tree of `firstSize` leaves (root `firstRoot`)?
 */
export function verifyConsistencyProof(input: {
  firstSize: number;
  secondSize: number;
  firstRoot: string;
  secondRoot: string;
  proof: readonly string[];
}): boolean {
  const { firstSize, secondSize, firstRoot, secondRoot } = input;
  if (!isSize(firstSize) || !isSize(secondSize) || firstSize > secondSize) return false;
  if (firstSize === secondSize) return input.proof.length === 0 && firstRoot === secondRoot;
  // Every tree extends the empty one.
  if (firstSize === 0) return input.proof.length === 0 && firstRoot === EMPTY_TREE_HASH;
  const path = isPowerOfTwo(firstSize) ? [firstRoot, ...input.proof] : [...input.proof];
  const [start, ...rest] = path;
  if (start === undefined) return false;
  let fn = firstSize - 1;
  let sn = secondSize - 1;
  while (fn % 2 === 1) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = start;
  let sr = start;
  for (const c of rest) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = merkleNodeHash(c, fr);
      sr = merkleNodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = merkleNodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr === firstRoot && sr === secondRoot && sn === 0;
}

/** Tree sizes and indexes are whole numbers JavaScript holds exactly. */
function isSize(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}
function half(value: number): number {
  return Math.floor(value / 2);
}
function isPowerOfTwo(value: number): boolean {
  return value > 0 && 2 ** Math.floor(Math.log2(value)) === value;
}

// ---------------------------------------------------------------------------------------------
// Statements the hub signs with its configuration-signing key. Each names its `kind`, so that a
// signature over one kind of statement (or over the federation configuration, which has no
// `kind`) can never be read as another.

export const CHECKPOINT_KIND = 'khoj.transparency.checkpoint';

/** The signed head of the log: how many entries it holds, and their Merkle root, at a time. */
export const CheckpointStatement = z.object({
  kind: z.literal(CHECKPOINT_KIND),
  treeSize: z.number().int().nonnegative(),
  rootHash: Sha256Hex,
  issuedAt: Instant,
});
export type CheckpointStatement = z.infer<typeof CheckpointStatement>;

export const SignedCheckpoint = z
  .object({
    treeSize: z.number().int().nonnegative(),
    rootHash: Sha256Hex,
    issuedAt: Instant,
    /** Compact JWS (EdDSA) by the hub's configuration-signing key over the canonical JSON of the CheckpointStatement. */
    jws: z.string(),
  })
  .openapi('SignedCheckpoint');
export type SignedCheckpoint = z.infer<typeof SignedCheckpoint>;

export type HubStatementErrorCode =
  | 'ERR_STATEMENT_MALFORMED'
  | 'ERR_STATEMENT_ALG_NOT_ALLOWED'
  | 'ERR_STATEMENT_WRONG_KEY'
  | 'ERR_STATEMENT_SIGNATURE_INVALID'
  | 'ERR_STATEMENT_MISMATCH';

export class HubStatementError extends Error {
  readonly code: HubStatementErrorCode;
  constructor(code: HubStatementErrorCode, message: string) {
    super(message);
    this.name = 'HubStatementError';
    this.code = code;
  }
}

const STATEMENT_ALGORITHMS: readonly string[] = ['EdDSA', 'Ed25519'];

/**
 * Verifies a compact JWS by the hub's configuration-signing key (the anchor's key) and parses its
 * payload with `schema`, which must name the statement's kind. Throws HubStatementError.
 */
export function verifyHubStatement<T extends z.ZodType>(
  jws: string,
  hubKey: PublicJwk,
  schema: T,
): z.infer<T> {
  const parts = typeof jws === 'string' ? jws.split('.') : [];
  const [header64, payload64, signature64] = parts;
  if (parts.length !== 3 || !header64 || !payload64 || !signature64) {
    throw new HubStatementError('ERR_STATEMENT_MALFORMED', 'not a compact JWS');
  }
  const header = decodeJson(header64) as Record<string, unknown> | undefined;
  if (typeof header?.alg !== 'string' || !STATEMENT_ALGORITHMS.includes(header.alg)) {
    throw new HubStatementError(
      'ERR_STATEMENT_ALG_NOT_ALLOWED',
      `algorithm not allowed: ${String(header?.alg)}`,
    );
  }
  if ('crit' in header || 'b64' in header) {
    throw new HubStatementError('ERR_STATEMENT_MALFORMED', 'JWS header extensions are not accepted');
  }
  if (hubKey.crv !== 'Ed25519' || header.kid !== hubKey.kid) {
    throw new HubStatementError(
      'ERR_STATEMENT_WRONG_KEY',
      `signed by key ${String(header.kid)}, expected ${hubKey.kid}`,
    );
  }
  let valid = false;
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: hubKey.x }, format: 'jwk' });
    valid = verify(null, Buffer.from(`${header64}.${payload64}`), key, Buffer.from(signature64, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) throw new HubStatementError('ERR_STATEMENT_SIGNATURE_INVALID', 'the signature does not verify');
  const parsed = schema.safeParse(decodeJson(payload64));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HubStatementError(
      'ERR_STATEMENT_MALFORMED',
      `not the expected statement: ${issue?.path.join('.')}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/** A checkpoint whose signature verifies and whose fields are the ones signed. */
export function verifyCheckpoint(checkpoint: SignedCheckpoint, hubKey: PublicJwk): CheckpointStatement {
  const statement = verifyHubStatement(checkpoint.jws, hubKey, CheckpointStatement);
  if (
    statement.treeSize !== checkpoint.treeSize ||
    statement.rootHash !== checkpoint.rootHash ||
    statement.issuedAt !== checkpoint.issuedAt
  ) {
    throw new HubStatementError(
      'ERR_STATEMENT_MISMATCH',
      'the checkpoint fields differ from what was signed',
    );
  }
  return statement;
}

function decodeJson(part: string): unknown {
  try {
    // Nesting checked before parsing (input.ts); a refusal is reported as malformed, as bad JSON is.
    return parseJsonDocument(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
