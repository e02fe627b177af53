// Issuing a node certificate from a CSR and recording it: the one path for enrolment, renewal by
// the node and re-issue by an administrator. The certificate comes from the current issuing CA;
// earlier certificates of the node stay valid until they expire (the overlap of a renewal).
import { createHash, createPublicKey } from 'node:crypto';
import { checkNodeCsr, isPkiError, issueNodeCertificate, type PkiError } from '@khoj/pki';
import { ApiError } from '@khoj/platform';
import { eq } from 'drizzle-orm';
import type { HubTx } from '../audit/audit.store.ts';
import { members, type NodeCertificateRow, nodeCertificates } from '../db/schema/index.ts';
import type { HubServices } from '../services.ts';
import { certificateFacts } from './certificate-facts.ts';

/** A CSR refused by pki, as the API names it. */
export function csrError(error: PkiError): ApiError {
  return error.code === 'ERR_KEY_TOO_WEAK'
    ? new ApiError('KEY_TOO_WEAK', error.message)
    : new ApiError('CSR_INVALID', error.message);
}

/**
 * Checks a CSR for `nodeId` (signature by its own key, RSA ≥ 3072, CN and SAN naming the node)
 * and returns the SHA-256 of its SubjectPublicKeyInfo — the fingerprint administrators compare.
 */
export function checkCsrFor(csrPem: string, nodeId: string): { tlsKeySha256: string } {
  try {
    const { publicKey } = checkNodeCsr(csrPem, nodeId);
    const spki = createPublicKey({
      key: {
        kty: 'RSA',
        n: Buffer.from(hexEven(publicKey.n.toString(16)), 'hex').toString('base64url'),
        e: Buffer.from(hexEven(publicKey.e.toString(16)), 'hex').toString('base64url'),
      },
      format: 'jwk',
    }).export({ type: 'spki', format: 'der' });
    return { tlsKeySha256: createHash('sha256').update(spki).digest('hex') };
  } catch (error) {
    if (isPkiError(error)) throw csrError(error);
    throw error;
  }
}

function hexEven(hex: string): string {
  return hex.length % 2 === 1 ? `0${hex}` : hex;
}

/** Issues from `csrPem` and records the certificate inside `tx`; the member row names the newest. */
export async function issueNodeCertificateFor(
  tx: HubTx,
  services: Pick<HubServices, 'ca' | 'trust'>,
  options: { nodeId: string; csrPem: string; source: NodeCertificateRow['source']; now: Date },
): Promise<NodeCertificateRow> {
  const { nodeId, csrPem, source, now } = options;
  const ca = await services.ca.current(now);
  let leafPem: string;
  try {
    leafPem = issueNodeCertificate(ca, csrPem, { nodeId, now, validityDays: services.trust.certificateDays });
  } catch (error) {
    if (isPkiError(error)) throw csrError(error);
    throw error;
  }
  const certificatePem = leafPem + ca.certPem;
  const facts = certificateFacts(certificatePem);
  const row: NodeCertificateRow = {
    serialHex: facts.serialHex,
    nodeId,
    fingerprint: facts.fingerprint,
    certificatePem,
    csrPem,
    issuerSerialHex: ca.serialHex,
    source,
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    issuedAt: now,
  };
  await tx.insert(nodeCertificates).values(row);
  await tx
    .update(members)
    .set({ certificatePem, certificateFingerprint: facts.fingerprint })
    .where(eq(members.nodeId, nodeId));
  return row;
}

/** The API shape of an issued certificate. */
export function issuedCertificate(row: NodeCertificateRow) {
  return {
    nodeId: row.nodeId,
    serialHex: row.serialHex,
    certificatePem: row.certificatePem,
    notBefore: row.notBefore.toISOString(),
    notAfter: row.notAfter.toISOString(),
  };
}
