// The federation's certificate authorities: a self-signed root (the trust anchor every node
// receives at enrolment, kept offline) and an issuing CA under it that signs node and server
// certificates. Two tiers so the issuing key can be rotated or revoked without re-enrolling
// every node.

import {
  authorityKeyIdentifier,
  type CaMaterial,
  generateRsaKey,
  loadCa,
  newCertificate,
  publicKeyOf,
  signCertificate,
  subjectAttributes,
  validityWindow,
} from './x509-support.ts';

export type { CaMaterial } from './x509-support.ts';

export type RootCaOptions = {
  commonName: string;
  /** days */
  validityDays?: number;
  keyBits?: number;
  now?: Date;
};

export type IssuingCaOptions = RootCaOptions;

const CA_KEY_USAGE = { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true };

export function createRootCa(options: RootCaOptions): CaMaterial {
  const { commonName, validityDays = 3650, keyBits = 4096, now = new Date() } = options;
  const validity = validityWindow(now, validityDays);
  const { keyPem, key } = generateRsaKey(keyBits);
  const cert = newCertificate(publicKeyOf(key), validity);
  cert.setSubject(subjectAttributes(commonName));
  cert.setIssuer(subjectAttributes(commonName));
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    CA_KEY_USAGE,
    { name: 'subjectKeyIdentifier' },
  ]);
  return { certPem: signCertificate(cert, key), keyPem };
}

export function createIssuingCa(root: CaMaterial, options: IssuingCaOptions): CaMaterial {
  const { commonName, validityDays = 1825, keyBits = 3072, now = new Date() } = options;
  const issuer = loadCa(root);
  const { keyPem, key } = generateRsaKey(keyBits);
  const cert = newCertificate(publicKeyOf(key), validityWindow(now, validityDays, issuer.cert));
  cert.setSubject(subjectAttributes(commonName));
  cert.setIssuer(issuer.cert.subject.attributes);
  cert.setExtensions([
    // pathLen 0: the issuing CA signs end-entity certificates only, never another CA.
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    CA_KEY_USAGE,
    { name: 'subjectKeyIdentifier' },
    authorityKeyIdentifier(issuer.cert),
  ]);
  return { certPem: signCertificate(cert, issuer.key), keyPem };
}

/** Throws ERR_KEY_INVALID unless the key and certificate form a usable CA pair (check before storing). */
export function assertCaMaterial(material: CaMaterial): void {
  loadCa(material);
}
