// The audit chain's pure rules: the text the database finishes and hashes when it appends an
// entry is exactly the text entryHash hashes, whatever the fields hold.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type AuditFields, entryHash, GENESIS_HASH, hashTextAround } from './chain.ts';

const plain: AuditFields = {
  at: new Date('2026-11-02T10:15:00.000Z'),
  actorId: 'user_1',
  unitId: 'unit_1',
  action: 'case.read',
  recordType: 'case',
  recordId: 'case_1',
  reason: null,
  requestId: 'req_1',
};

/** What appendAudit's SQL computes: before || prevHash || between || seq || after, hashed. */
function joinedHash(seq: number, prevHash: string, fields: AuditFields): string {
  const text = hashTextAround(fields);
  return createHash('sha256')
    .update(`${text.before}${prevHash}${text.between}${seq}${text.after}`)
    .digest('hex');
}

describe('hashTextAround', () => {
  it.each([
    ['plain fields', plain],
    ['no unit, reason or request', { ...plain, unitId: null, requestId: null }],
    ['quotes, backslashes and key-like text', { ...plain, reason: 'say "prevHash":"" and "seq":0 \\ done' }],
    ['other scripts and emoji', { ...plain, reason: 'রিয়া দাস — सीता 👧', recordId: 'ছ' }],
    ['control characters', { ...plain, reason: 'line\nbreak\ttab\u0001\u001f' }],
  ])('matches entryHash for %s', (_, fields) => {
    for (const [seq, prev] of [
      [1, GENESIS_HASH],
      [9_007_199_254_740_991, 'ab'.repeat(32)],
    ] as const) {
      expect(joinedHash(seq, prev, fields)).toBe(entryHash(seq, prev, fields));
    }
  });

  it('leaves out exactly the previous hash and the number', () => {
    const text = hashTextAround(plain);
    expect(text.before.endsWith('"prevHash":"')).toBe(true);
    expect(text.between.startsWith('"')).toBe(true);
    expect(text.between.endsWith('"seq":')).toBe(true);
    expect(text.after.startsWith(',"unitId":"unit_1"}')).toBe(true);
  });
});
