// Publishing the signed federation configuration. Every change (enrolment approved, renewal, key
// rotation, revocation, policy) publishes a new version in the transaction of the change, so a
// node never sees a state the database does not hold; versions are serialised by an advisory
// lock and every one is kept (the history). A version is re-signed as a new version once half
// its lifetime has passed, so nodes polling with If-None-Match always hold an unexpired one.
import { canonicalJson, type FederationConfig } from '@khoj/contracts';
import { signJws } from '@khoj/pki';
import { desc, sql } from 'drizzle-orm';
import type { HubTx } from '../audit/audit.store.ts';
import {
  type FederationConfigRow,
  federationConfigs,
  members,
  nodeCertificates,
  nodeKeys,
  nodePolicies,
  revocations,
} from '../db/schema/index.ts';
import type { HubServices } from '../services.ts';
import { buildFederationConfig } from './federation-config.ts';

/** Arbitrary constant naming the configuration's advisory lock. */
const CONFIG_LOCK = 7_423_102;
const HOUR_MS = 60 * 60 * 1000;

type Publisher = Pick<HubServices, 'configSigningKey' | 'trust'>;

/** Publishes the next version inside `tx` (the change's own transaction). */
export async function publishFederationConfig(
  tx: HubTx,
  services: Publisher,
  reason: string,
  now: Date,
): Promise<FederationConfigRow> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CONFIG_LOCK})`);
  const [last] = await tx
    .select({ version: federationConfigs.version })
    .from(federationConfigs)
    .orderBy(desc(federationConfigs.version))
    .limit(1);
  const document = buildFederationConfig(
    {
      members: await tx.select().from(members),
      certificates: await tx.select().from(nodeCertificates),
      keys: await tx.select().from(nodeKeys),
      revocations: await tx.select().from(revocations),
      policies: await tx.select().from(nodePolicies),
    },
    {
      version: (last?.version ?? 0) + 1,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + services.trust.configTtlHours * HOUR_MS),
    },
  );
  const row: FederationConfigRow = {
    version: document.version,
    issuedAt: now,
    expiresAt: new Date(document.expiresAt),
    reason,
    document,
    jws: await signFederationConfig(document, services),
  };
  await tx.insert(federationConfigs).values(row);
  return row;
}

export function signFederationConfig(
  document: FederationConfig,
  services: Pick<HubServices, 'configSigningKey'>,
) {
  return signJws(canonicalJson(document), services.configSigningKey);
}

/** The newest version, publishing a first one or re-signing one past half its lifetime. */
export async function currentFederationConfig(services: HubServices): Promise<FederationConfigRow> {
  const now = services.clock();
  const fresh = (row: FederationConfigRow | undefined): row is FederationConfigRow =>
    row !== undefined &&
    row.expiresAt.getTime() - now.getTime() > (services.trust.configTtlHours * HOUR_MS) / 2;
  const latest = await latestConfig(services.db);
  if (fresh(latest)) return latest;
  return services.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CONFIG_LOCK})`);
    // Another request (or hub process) may have re-signed while this one waited for the lock.
    const again = await latestConfig(tx);
    if (fresh(again)) return again;
    return publishFederationConfig(tx, services, latest ? 'refresh' : 'initial', now);
  });
}

async function latestConfig(db: Pick<HubTx, 'select'>): Promise<FederationConfigRow | undefined> {
  const [row] = await db.select().from(federationConfigs).orderBy(desc(federationConfigs.version)).limit(1);
  return row;
}

export async function federationConfigHistory(db: Pick<HubTx, 'select'>) {
  return db
    .select({
      version: federationConfigs.version,
      issuedAt: federationConfigs.issuedAt,
      expiresAt: federationConfigs.expiresAt,
      reason: federationConfigs.reason,
    })
    .from(federationConfigs)
    .orderBy(desc(federationConfigs.version));
}
