// The hub's CRLs: one per issuing CA still in use, signed by that CA, re-issued (crlNumber + 1)
// in the transaction of every revocation and again once half of a CRL's lifetime has passed.
// A revocation whose issuer is unknown (an administrator certificate never seen) is listed by
// every issuing CA: serials are 126 random bits, so it cannot name another certificate.
import { createCrl, isRevocationReason } from '@khoj/pki';
import { ApiError } from '@khoj/platform';
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { HubTx } from '../audit/audit.store.ts';
import { type CrlRow, crls, revocations } from '../db/schema/index.ts';
import type { HubServices } from '../services.ts';
import { currentIssuingCa, type IssuingCa, liveIssuingCas } from './ca-store.ts';

/** Arbitrary constant naming the CRL advisory lock. */
const CRL_LOCK = 7_423_103;
/** nextUpdate − thisUpdate */
export const CRL_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** Signs a new CRL for each issuing CA in `cas` inside `tx` (the revocation's transaction). */
export async function issueCrls(tx: HubTx, cas: IssuingCa[], now: Date): Promise<CrlRow[]> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CRL_LOCK})`);
  const issued: CrlRow[] = [];
  for (const ca of cas) {
    const [last] = await tx
      .select({ crlNumber: crls.crlNumber })
      .from(crls)
      .where(eq(crls.issuerSerialHex, ca.serialHex))
      .orderBy(desc(crls.crlNumber))
      .limit(1);
    const revoked = await tx
      .select()
      .from(revocations)
      .where(or(eq(revocations.issuerSerialHex, ca.serialHex), isNull(revocations.issuerSerialHex)));
    const nextUpdate = new Date(now.getTime() + CRL_LIFETIME_MS);
    const crl = createCrl({
      issuer: ca,
      revoked: revoked.map((row) => ({
        serialHex: row.serialHex,
        revokedAt: row.revokedAt,
        reason: isRevocationReason(row.reason) ? row.reason : 'unspecified',
      })),
      crlNumber: (last?.crlNumber ?? 0) + 1,
      thisUpdate: now,
      nextUpdate,
    });
    const row: CrlRow = {
      issuerSerialHex: ca.serialHex,
      crlNumber: (last?.crlNumber ?? 0) + 1,
      thisUpdate: now,
      nextUpdate,
      pem: crl.pem,
    };
    await tx.insert(crls).values(row);
    issued.push(row);
  }
  return issued;
}

/** Re-issues the CRLs of every live issuing CA (after a revocation, inside its transaction). */
export async function reissueCrls(tx: HubTx, services: HubServices, now: Date): Promise<void> {
  await issueCrls(tx, liveIssuingCas(await services.ca.issuingCas(), now), now);
}

/**
 * The newest CRL of the issuing CA with serial `issuerSerialHex`, or of the current issuing CA,
 * signing one when there is none yet or the newest is past half its lifetime.
 */
export async function currentCrl(services: HubServices, issuerSerialHex?: string): Promise<CrlRow> {
  const now = services.clock();
  const cas = await services.ca.issuingCas();
  const ca = issuerSerialHex
    ? liveIssuingCas(cas, now).find((candidate) => candidate.serialHex === issuerSerialHex)
    : currentIssuingCa(cas, now);
  if (!ca) {
    if (issuerSerialHex)
      throw new ApiError('NOT_FOUND', `no issuing CA in use with serial ${issuerSerialHex}`);
    throw new ApiError('CA_UNAVAILABLE', 'the hub has no valid issuing CA');
  }
  const fresh = (row: CrlRow | undefined): row is CrlRow =>
    row !== undefined && row.nextUpdate.getTime() - now.getTime() > CRL_LIFETIME_MS / 2;
  const latest = await latestCrl(services.db, ca.serialHex);
  if (fresh(latest)) return latest;
  return services.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CRL_LOCK})`);
    const again = await latestCrl(tx, ca.serialHex);
    if (fresh(again)) return again;
    const [issued] = await issueCrls(tx, [ca], now);
    return issued as CrlRow;
  });
}

/** PEM CRLs of every issuing CA still in use, current first: one file for nginx's ssl_crl. */
export async function currentCrlsPem(services: HubServices): Promise<string> {
  const now = services.clock();
  const cas = liveIssuingCas(await services.ca.issuingCas(), now);
  if (cas.length === 0) throw new ApiError('CA_UNAVAILABLE', 'the hub has no valid issuing CA');
  const pems: string[] = [];
  for (const ca of cas) pems.push((await currentCrl(services, ca.serialHex)).pem.trim());
  return `${pems.join('\n')}\n`;
}

export function crlDer(row: CrlRow): Uint8Array {
  const body = row.pem.replace(/-----(BEGIN|END) X509 CRL-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

async function latestCrl(db: Pick<HubTx, 'select'>, issuerSerialHex: string): Promise<CrlRow | undefined> {
  const [row] = await db
    .select()
    .from(crls)
    .where(and(eq(crls.issuerSerialHex, issuerSerialHex)))
    .orderBy(desc(crls.crlNumber))
    .limit(1);
  return row;
}
