// What the hub reports to administrators about envelopes it refused or found in conflict: ids,
// node ids, digests and codes — never an envelope's contents.
import type { EnvelopeType, ErrorCode } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import { and, asc, eq, gt } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { envelopeConflicts, envelopeRefusals } from '../db/schema/index.ts';

type HubDb = Database<typeof schema>;

export async function recordRefusal(
  db: HubDb,
  refusal: {
    sender: string;
    envelopeId: string;
    type: EnvelopeType;
    code: ErrorCode;
    message: string;
    at: Date;
    requestId: string | null;
  },
): Promise<void> {
  await db.insert(envelopeRefusals).values({ ...refusal, message: refusal.message.slice(0, 1_000) });
}

export async function recordConflict(
  db: HubDb,
  conflict: {
    envelopeId: string;
    origin: string;
    storedDigest: string;
    offeredDigest: string;
    at: Date;
    requestId: string | null;
  },
): Promise<void> {
  await db.insert(envelopeConflicts).values(conflict);
}

export async function listRefusals(db: HubDb, page: { after: number; limit: number; sender?: string }) {
  const rows = await db
    .select()
    .from(envelopeRefusals)
    .where(
      and(
        gt(envelopeRefusals.seq, page.after),
        page.sender ? eq(envelopeRefusals.sender, page.sender) : undefined,
      ),
    )
    .orderBy(asc(envelopeRefusals.seq))
    .limit(page.limit);
  return rows.map(({ at, requestId, ...row }) => ({
    ...row,
    at: at.toISOString(),
    ...(requestId ? { requestId } : {}),
  }));
}

export async function listConflicts(db: HubDb, page: { after: number; limit: number; origin?: string }) {
  const rows = await db
    .select()
    .from(envelopeConflicts)
    .where(
      and(
        gt(envelopeConflicts.seq, page.after),
        page.origin ? eq(envelopeConflicts.origin, page.origin) : undefined,
      ),
    )
    .orderBy(asc(envelopeConflicts.seq))
    .limit(page.limit);
  return rows.map(({ at, requestId, ...row }) => ({
    ...row,
    at: at.toISOString(),
    ...(requestId ? { requestId } : {}),
  }));
}
