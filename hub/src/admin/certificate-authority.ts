// CA operations for the command line (never over HTTP): rotating the issuing CA needs the root
// key's passphrase, which the hub process never holds; administrator certificates are issued by
// the current issuing CA. Both are audited like every administrative action.
import type { KeyObject } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AdminRole } from '@khoj/contracts';
import { issueAdminCertificate } from '@khoj/pki';
import { appendHubAudit } from '../audit/audit.store.ts';
import type { HubServices } from '../services.ts';
import { createNextIssuingCa, type IssuingCa, liveIssuingCas } from '../trust/ca-store.ts';
import { certificateFacts } from '../trust/certificate-facts.ts';
import { issueCrls } from '../trust/crl.store.ts';

/**
 * Signs a new issuing CA with the root and makes it current; the previous issuing CAs stay live
 * (their certificates keep working, their CRLs keep being served) until they expire. Nodes
 * trust the root, so none has to re-enrol; they move to the new CA at their next renewal.
 */
export async function rotateIssuingCa(
  services: HubServices,
  options: { rootKeyPassphrase: string; commonName?: string; validityDays?: number; actor: string },
): Promise<{ current: IssuingCa; live: IssuingCa[] }> {
  const now = services.clock();
  const current = await createNextIssuingCa(services.paths, { ...options, now });
  try {
    await services.db.transaction(async (tx) => {
      await appendHubAudit(tx, {
        at: now,
        actor: options.actor,
        action: 'issuing-ca.rotate',
        subject: current.serialHex,
        detail: { notBefore: current.notBefore.toISOString(), notAfter: current.notAfter.toISOString() },
      });
      await issueCrls(tx, [current], now);
    });
  } catch (error) {
    // Unrecorded, the new CA must not issue anything: take it out of the home again.
    const base = join(services.paths.ca.issuingDir, current.serialHex);
    await Promise.all([rm(`${base}.cert.pem`, { force: true }), rm(`${base}.key.pem`, { force: true })]);
    throw error;
  }
  return { current, live: liveIssuingCas(await services.ca.issuingCas(), now) };
}

/**
 * An administrator's client certificate (role in the certificate) from the current issuing CA,
 * for the key of `subjectKey` (a CSR, or an RSA public key the CLI generated). Returns the leaf
 * followed by the issuing CA, as a TLS client presents it.
 */
export async function issueAdminCert(
  services: HubServices,
  options: {
    subjectKey: string | KeyObject;
    adminName: string;
    role: AdminRole;
    validityDays?: number;
    actor: string;
  },
): Promise<{ certificatePem: string; serialHex: string; notAfter: Date }> {
  const now = services.clock();
  const ca = await services.ca.current(now);
  const leaf = issueAdminCertificate(ca, options.subjectKey, {
    adminName: options.adminName,
    role: options.role,
    now,
    ...(options.validityDays ? { validityDays: options.validityDays } : {}),
  });
  const certificatePem = leaf + ca.certPem;
  const facts = certificateFacts(certificatePem);
  await services.db.transaction(async (tx) => {
    await appendHubAudit(tx, {
      at: now,
      actor: options.actor,
      action: 'admin-cert.issue',
      subject: options.adminName,
      detail: { role: options.role, serialHex: facts.serialHex, notAfter: facts.notAfter.toISOString() },
    });
  });
  return { certificatePem, serialHex: facts.serialHex, notAfter: facts.notAfter };
}
