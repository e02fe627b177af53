// Identifiers. Node ids are ISO 3166 codes of the jurisdiction (IN-WB, BD, NP); record ids carry
// a prefix so that logs read on their own (case_…, env_…).
import { z } from '@hono/zod-openapi';

export const NODE_ID_PATTERN = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;
/** A node id or a pattern over node ids such as `IN-*` (every subdivision of India). */
export const RECIPIENT_PATTERN = /^[A-Z]{2}(-([A-Z0-9]{1,3}|\*))?$/;

export const NodeId = z
  .string()
  .regex(NODE_ID_PATTERN, 'an ISO 3166 code such as IN-WB, BD or NP')
  .openapi({ example: 'IN-WB' });

export const RecipientPattern = z
  .string()
  .regex(RECIPIENT_PATTERN, 'a node id (IN-WB) or a pattern (IN-*)')
  .openapi({ example: 'IN-*' });

export const CaseId = z
  .string()
  .regex(/^case_[0-9a-z]{20,40}$/)
  .openapi({ example: 'case_01jq3v7w8x9y0z1a2b3c4d5e6f' });

export const EnvelopeId = z
  .string()
  .regex(/^env_[0-9a-z]{20,64}$/)
  .openapi({ example: 'env_5g2k7xq0m3d4p8t1v6b9n2c5h7' });

/** Does `nodeId` fall under `pattern` (`IN-*` covers `IN-WB`, not `IN`)? */
export function recipientMatches(pattern: string, nodeId: string): boolean {
  if (pattern.endsWith('-*')) return nodeId.startsWith(pattern.slice(0, -1));
  return pattern === nodeId;
}
