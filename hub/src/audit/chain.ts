// The hub audit chain's rules, with no I/O: how an entry's hash is made from the entry and the
// hash before it, and how a sequence of stored entries is checked.
import { digestOf } from '@khoj/contracts';

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export type HubAuditDetail = Record<string, string | number | boolean | null>;

export type HubAuditFields = {
  at: Date;
  actor: string;
  action: string;
  subject: string;
  detail: HubAuditDetail;
  requestId: string | null;
};

export type ChainedHubEntry = HubAuditFields & { seq: number; prevHash: string; hash: string };

export function hubEntryHash(seq: number, prevHash: string, fields: HubAuditFields): string {
  return digestOf({
    seq,
    prevHash,
    at: fields.at.toISOString(),
    actor: fields.actor,
    action: fields.action,
    subject: fields.subject,
    detail: fields.detail,
    requestId: fields.requestId,
  });
}

export type HubChainCheck =
  | { ok: true; entries: number }
  | { ok: false; entries: number; seq: number; problem: string };

/**
 * Checks entries in order, continuing from `previous` (the last entry of the batch before).
 * Names the first entry that breaks the chain: altered (its hash no longer matches), re-linked
 * (its prevHash is not the previous hash) or missing (a gap in the numbering).
 */
export function checkHubChain(
  entries: ChainedHubEntry[],
  previous?: { seq: number; hash: string },
): HubChainCheck {
  let prior = previous ?? { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for (const entry of entries) {
    if (entry.seq !== prior.seq + 1) {
      return {
        ok: false,
        entries: checked,
        seq: prior.seq + 1,
        problem: `entry ${prior.seq + 1} is missing`,
      };
    }
    if (entry.prevHash !== prior.hash) {
      return { ok: false, entries: checked, seq: entry.seq, problem: 'does not link to the entry before it' };
    }
    if (hubEntryHash(entry.seq, entry.prevHash, entry) !== entry.hash) {
      return { ok: false, entries: checked, seq: entry.seq, problem: 'was altered after it was written' };
    }
    checked++;
    prior = entry;
  }
  return { ok: true, entries: checked };
}
