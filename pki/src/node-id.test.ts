import { describe, expect, it } from 'vitest';
import { isPkiError, PkiError } from './errors.ts';
import { assertNodeId, isNodeId, nodeUri } from './node-id.ts';

describe('node ids', () => {
  it('accepts ISO 3166 country and subdivision codes', () => {
    for (const id of ['IN-WB', 'BD', 'NP', 'IN-BR', 'NP-P3', 'BD-13']) expect(isNodeId(id)).toBe(true);
    expect(nodeUri('IN-WB')).toBe('urn:khoj:node:IN-WB');
  });

  it('rejects anything else with ERR_NODE_ID_INVALID', () => {
    for (const id of ['in-wb', 'IND', 'IN-', 'IN-ABCD', 'IN_WB', ' IN-WB', 'IN-WB\n', '', 42, null]) {
      expect(isNodeId(id)).toBe(false);
      try {
        assertNodeId(id);
        expect.unreachable(`${String(id)} accepted`);
      } catch (error) {
        expect(isPkiError(error, 'ERR_NODE_ID_INVALID')).toBe(true);
      }
    }
  });
});

describe('isPkiError', () => {
  it('narrows by class and optionally by code', () => {
    const error = new PkiError('ERR_KEY_INVALID', 'x');
    expect(isPkiError(error)).toBe(true);
    expect(isPkiError(error, 'ERR_KEY_INVALID')).toBe(true);
    expect(isPkiError(error, 'ERR_KEY_TOO_WEAK')).toBe(false);
    expect(isPkiError(new Error('x'))).toBe(false);
    expect(error.name).toBe('PkiError');
  });
});
