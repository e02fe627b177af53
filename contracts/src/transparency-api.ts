// The hub's transparency routes (over mutual TLS, for members): the newest signed checkpoint, a
// proof that an envelope the caller sent or received is in the log, and a proof that one tree
// size extends another. Check the answers with verifyCheckpoint, verifyInclusionProof and
// verifyConsistencyProof (transparency.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses } from './errors.ts';
import { HUB_ACCESS_KEY } from './hub-admin-api.ts';
import { EnvelopeId } from './ids.ts';
import { jsonResponse } from './openapi-parts.ts';
import { Sha256Hex, SignedCheckpoint, TransparencyLeaf } from './transparency.ts';

const security = [{ mutualTLS: [] }];
const TreeSize = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const InclusionProof = z
  .object({
    leaf: TransparencyLeaf,
    /** Zero-based position of the entry in the log. */
    leafIndex: z.number().int().nonnegative(),
    /** The signed checkpoint the proof leads to (its treeSize and rootHash). */
    checkpoint: SignedCheckpoint,
    /** RFC 9162 audit path, leaf to root. */
    proof: z.array(Sha256Hex),
  })
  .openapi('InclusionProof');
export type InclusionProof = z.infer<typeof InclusionProof>;

export const ConsistencyProof = z
  .object({
    firstSize: z.number().int().nonnegative(),
    secondSize: z.number().int().nonnegative(),
    proof: z.array(Sha256Hex),
  })
  .openapi('ConsistencyProof');
export type ConsistencyProof = z.infer<typeof ConsistencyProof>;

export const checkpointRoute = createRoute({
  method: 'get',
  path: '/v1/transparency/checkpoint',
  operationId: 'getCheckpoint',
  summary: 'The newest signed checkpoint of the transparency log (signed anew once the log has grown)',
  security,
  [HUB_ACCESS_KEY]: 'member',
  responses: {
    200: jsonResponse(SignedCheckpoint, 'Tree size and root hash, signed by the configuration key'),
    ...errorResponses(401, 403),
  },
});

export const inclusionProofRoute = createRoute({
  method: 'get',
  path: '/v1/transparency/proofs/{envelopeId}',
  operationId: 'getInclusionProof',
  summary: 'Proof that an envelope the caller sent or received is in the log',
  security,
  [HUB_ACCESS_KEY]: 'member',
  request: {
    params: z.object({ envelopeId: EnvelopeId }),
    query: z.object({
      treeSize: TreeSize.optional().openapi({
        description:
          'Prove against the checkpoint of this size (default: the newest that includes the entry)',
      }),
    }),
  },
  responses: {
    200: jsonResponse(InclusionProof, 'The entry, its index and the audit path to a signed checkpoint'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const consistencyProofRoute = createRoute({
  method: 'get',
  path: '/v1/transparency/consistency',
  operationId: 'getConsistencyProof',
  summary: 'Proof that the log at `to` entries extends the log at `from` entries',
  security,
  [HUB_ACCESS_KEY]: 'member',
  request: { query: z.object({ from: TreeSize, to: TreeSize }) },
  responses: {
    200: jsonResponse(ConsistencyProof, 'The RFC 9162 consistency proof'),
    ...errorResponses(400, 401, 403),
  },
});

export const transparencyRoutes = [checkpointRoute, inclusionProofRoute, consistencyProofRoute] as const;
