// Node ids are the ISO 3166 code of a node's jurisdiction: a country (`BD`, `NP`) or a
// subdivision (`IN-WB`). They name nodes in certificates, envelopes and the federation
// configuration, so every boundary validates them with the same pattern.

import { PkiError } from './errors.ts';

export const NODE_ID_PATTERN = /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/;

/** The SAN URI that binds a certificate to a node id. */
export const NODE_URI_PREFIX = 'urn:khoj:node:';

export function isNodeId(value: unknown): value is string {
  return typeof value === 'string' && NODE_ID_PATTERN.test(value);
}

export function assertNodeId(value: unknown): asserts value is string {
  if (!isNodeId(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
    throw new PkiError('ERR_NODE_ID_INVALID', `not a node id (ISO 3166 code such as IN-WB): ${shown}`);
  }
}

export function nodeUri(nodeId: string): string {
  assertNodeId(nodeId);
  return `${NODE_URI_PREFIX}${nodeId}`;
}
