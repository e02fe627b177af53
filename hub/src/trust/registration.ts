// Member registration files: the public half of what `khoj node create` makes for a node (its
// certificate and public keys), dropped into the hub's members directory. The hub registers
// each file it finds; the enrolment flow with approval replaces this in the trust issue.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeId, PublicJwk } from '@khoj/contracts';
import { certificateFingerprint, nodeIdFromCertificate, verifyCertificateChain } from '@khoj/pki';
import { errorLine } from '@khoj/platform';
import { z } from 'zod';

export const MemberRegistration = z.object({
  nodeId: NodeId,
  displayName: z.string().min(1).max(200),
  /** The node's TLS certificate, followed by the issuing CA certificate. */
  certificatePem: z.string().includes('BEGIN CERTIFICATE'),
  signingKey: PublicJwk.refine((key) => key.crv === 'Ed25519', 'signing key must be Ed25519'),
  encryptionKey: PublicJwk.refine((key) => key.crv === 'X25519', 'encryption key must be X25519'),
});
export type MemberRegistration = z.infer<typeof MemberRegistration>;

export type CheckedRegistration = MemberRegistration & { leafPem: string; fingerprint: string };

/** Split a PEM bundle into its certificates, leaf first. */
export function splitPemBundle(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * Validates a registration: its certificate must chain to the federation root and name the
 * node it claims to be. A file that fails is reported and skipped, never half-registered.
 */
export function checkRegistration(
  registration: MemberRegistration,
  rootPem: string,
  now = new Date(),
): CheckedRegistration {
  const [leafPem, ...intermediates] = splitPemBundle(registration.certificatePem);
  if (!leafPem) throw new Error(`${registration.nodeId}: no certificate in registration`);
  verifyCertificateChain(leafPem, { intermediates, root: rootPem, now });
  const certifiedNode = nodeIdFromCertificate(leafPem);
  if (certifiedNode !== registration.nodeId) {
    throw new Error(`registration for ${registration.nodeId} carries a certificate for ${certifiedNode}`);
  }
  return { ...registration, leafPem, fingerprint: certificateFingerprint(leafPem) };
}

export async function readRegistrations(
  membersDir: string,
  rootPem: string,
  log: (message: string) => void,
): Promise<CheckedRegistration[]> {
  const files = (await readdir(membersDir).catch(() => [])).filter((file) => file.endsWith('.json')).sort();
  const checked: CheckedRegistration[] = [];
  for (const file of files) {
    try {
      const raw = JSON.parse(await readFile(join(membersDir, file), 'utf8'));
      checked.push(checkRegistration(MemberRegistration.parse(raw), rootPem));
    } catch (error) {
      log(`members/${file} not registered: ${errorLine(error)}`);
    }
  }
  return checked;
}
