// Reading and replacing the node's sharing policy, and the check every consent a case is given
// goes through: within the policy for the case's kind, or refused with CONSENT_EXCEEDS_POLICY
// naming each excess — and audited, since a refusal at the origin is one of the exchange's hops.
import type { ConsentScope, SharingCategory, SharingRule } from '@khoj/contracts';
import { ApiError, type Database } from '@khoj/platform';
import { asc, eq } from 'drizzle-orm';
import { type AuditInput, appendAudit } from '../audit/audit.store.ts';
import type * as schema from '../db/schema/index.ts';
import { type SharingPolicyRow, sharingPolicies } from '../db/schema/index.ts';
import { categoryOf, consentExcess } from './policy.ts';

type NodeDb = Database<typeof schema>;
type Reader = Pick<NodeDb, 'select'>;

export async function listPolicy(db: Reader): Promise<SharingPolicyRow[]> {
  return db.select().from(sharingPolicies).orderBy(asc(sharingPolicies.category));
}

export async function findRule(db: Reader, category: SharingCategory): Promise<SharingPolicyRow | undefined> {
  const [row] = await db
    .select()
    .from(sharingPolicies)
    .where(eq(sharingPolicies.category, category))
    .limit(1);
  return row;
}

export async function putRule(
  tx: Pick<NodeDb, 'insert'>,
  category: SharingCategory,
  rule: SharingRule,
  by: string,
  now: Date,
): Promise<SharingPolicyRow> {
  const values = { category, ...rule, updatedBy: by, updatedAt: now };
  const [row] = await tx
    .insert(sharingPolicies)
    .values(values)
    .onConflictDoUpdate({ target: sharingPolicies.category, set: values })
    .returning();
  if (!row) throw new Error('upsert returned no row');
  return row;
}

/**
 * Who asked for the consent, and about what: the case, or for a report not yet stored the request
 * that carried it (recordType `report_input`, recordId the request id: the input itself is not
 * kept).
 */
export type ConsentRequester = Omit<AuditInput, 'action' | 'reason'>;

/**
 * Refuses a consent wider than the policy for the case's kind (a kind without a policy entry may
 * not be shared at all), auditing the refusal (`case.consent.refused`: who, which case or input,
 * the code and each excess — never the report). Nothing else is stored when this throws.
 */
export async function requireWithinPolicy(
  db: NodeDb,
  row: Parameters<typeof categoryOf>[0],
  consent: ConsentScope,
  now: Date,
  requester: ConsentRequester,
): Promise<void> {
  const category = categoryOf(row);
  const rule = await findRule(db, category);
  const excess = rule
    ? consentExcess(rule, consent, now)
    : [`no sharing policy for ${category}: such reports stay at this node`];
  if (excess.length > 0) {
    const message = `the consent is wider than this node's sharing policy for ${category}: ${excess.join('; ')}`;
    await appendAudit(db, {
      ...requester,
      action: 'case.consent.refused',
      reason: `CONSENT_EXCEEDS_POLICY: ${message}`,
    });
    throw new ApiError('CONSENT_EXCEEDS_POLICY', message);
  }
}
