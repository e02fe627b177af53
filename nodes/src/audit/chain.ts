// The audit chain's rules, with no I/O: how an entry's hash is made from the entry and the hash
// before it, and how a sequence of stored entries is checked.
import { canonicalJson, digestOf } from '@khoj/contracts';

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditFields = {
  at: Date;
  actorId: string;
  unitId: string | null;
  action: string;
  recordType: string;
  recordId: string;
  reason: string | null;
  requestId: string | null;
};

export type ChainedEntry = AuditFields & { seq: number; prevHash: string; hash: string };

export function entryHash(seq: number, prevHash: string, fields: AuditFields): string {
  return digestOf(entryBody(seq, prevHash, fields));
}

/** What an entry's hash covers: its fields, its number and the hash of the entry before it. */
function entryBody(seq: number, prevHash: string, fields: AuditFields) {
  return {
    seq,
    prevHash,
    at: fields.at.toISOString(),
    actorId: fields.actorId,
    unitId: fields.unitId,
    action: fields.action,
    recordType: fields.recordType,
    recordId: fields.recordId,
    reason: fields.reason,
    requestId: fields.requestId,
  };
}

/**
 * The text entryHash hashes, cut around the two values only known under the chain's lock, so
 * that the database can finish and hash it in the statement that appends the entry:
 * `before + prevHash + between + seq + after` (the hash as hex, the number in decimal) is
 * exactly what entryHash(seq, prevHash, fields) hashes.
 */
export function hashTextAround(fields: AuditFields): { before: string; between: string; after: string } {
  const text = canonicalJson(entryBody(0, '', fields));
  // Keys are written unescaped and every quote inside a value is escaped, so each of these
  // occurs once, at the key; canonical order puts prevHash before seq.
  const prev = '"prevHash":""';
  const seq = '"seq":0';
  const prevAt = text.indexOf(prev);
  const seqAt = text.indexOf(seq);
  if (prevAt < 0 || seqAt < prevAt) throw new Error('audit entry text has an unexpected layout');
  return {
    before: `${text.slice(0, prevAt)}"prevHash":"`,
    between: `"${text.slice(prevAt + prev.length, seqAt)}"seq":`,
    after: text.slice(seqAt + seq.length),
  };
}

export type ChainCheck =
  | { ok: true; entries: number }
  | { ok: false; entries: number; seq: number; problem: string };

/**
 * Checks entries in order, continuing from `previous` (the last entry of the batch before, if
 * any). Names the first entry that breaks the chain: altered (its hash no longer matches),
 * re-linked (its prevHash is not the previous hash), or missing (a gap in the numbering).
 */
export function checkChain(entries: ChainedEntry[], previous?: { seq: number; hash: string }): ChainCheck {
  let prior = previous ?? { seq: 0, hash: GENESIS_HASH };
  for (const entry of entries) {
    if (entry.seq !== prior.seq + 1) {
      return {
        ok: false,
        entries: entries.length,
        seq: prior.seq + 1,
        problem: `entry ${prior.seq + 1} is missing`,
      };
    }
    if (entry.prevHash !== prior.hash) {
      return {
        ok: false,
        entries: entries.length,
        seq: entry.seq,
        problem: 'does not link to the entry before it',
      };
    }
    if (entryHash(entry.seq, entry.prevHash, entry) !== entry.hash) {
      return {
        ok: false,
        entries: entries.length,
        seq: entry.seq,
        problem: 'was altered after it was written',
      };
    }
    prior = entry;
  }
  return { ok: true, entries: entries.length };
}
