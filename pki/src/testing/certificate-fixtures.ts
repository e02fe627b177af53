// Certificates that the federation's own issuing functions refuse to make, for security tests
// here and in the hub's suite: wrong key usage, server-only, no EKU, mixed identities. Signed
// by a real issuing CA so that only the property under test is wrong. Test use only: not
// exported from the package root.

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
} from '../x509-support.ts';

export type FixtureCertificateOptions = {
  commonName: string;
  /** SAN URIs, e.g. urn:khoj:node:BD */
  uris?: string[];
  /** keyUsage bits to set; omitted: no keyUsage extension at all */
  keyUsage?: { digitalSignature?: boolean; keyEncipherment?: boolean };
  /** extendedKeyUsage purposes; omitted: no extendedKeyUsage extension at all */
  extendedKeyUsage?: { clientAuth?: boolean; serverAuth?: boolean };
  /** days */
  validityDays?: number;
  now?: Date;
};

const SAN_URI = 6;

/** A client-shaped certificate with exactly the extensions asked for; returns its key too. */
export function issueFixtureCertificate(
  issuing: CaMaterial,
  options: FixtureCertificateOptions,
): { certPem: string; keyPem: string } {
  const { commonName, uris = [], keyUsage, extendedKeyUsage, validityDays = 30, now = new Date() } = options;
  const issuer = loadCa(issuing);
  const { keyPem, key } = generateRsaKey(3072);
  const cert = newCertificate(publicKeyOf(key), validityWindow(now, validityDays, issuer.cert));
  cert.setSubject(subjectAttributes(commonName));
  cert.setIssuer(issuer.cert.subject.attributes);
  const extensions: Record<string, unknown>[] = [{ name: 'basicConstraints', cA: false, critical: true }];
  if (keyUsage) extensions.push({ name: 'keyUsage', critical: true, ...keyUsage });
  if (extendedKeyUsage) extensions.push({ name: 'extKeyUsage', ...extendedKeyUsage });
  if (uris.length > 0) {
    extensions.push({ name: 'subjectAltName', altNames: uris.map((value) => ({ type: SAN_URI, value })) });
  }
  extensions.push({ name: 'subjectKeyIdentifier' }, authorityKeyIdentifier(issuer.cert));
  cert.setExtensions(extensions);
  return { certPem: signCertificate(cert, issuer.key), keyPem };
}

/** The usual "wrong key usage" client: serverAuth only, as a server certificate would have. */
export function issueServerOnlyCertificate(issuing: CaMaterial, uris: string[]) {
  return issueFixtureCertificate(issuing, {
    commonName: 'server-only',
    uris,
    keyUsage: { digitalSignature: true, keyEncipherment: true },
    extendedKeyUsage: { serverAuth: true },
  });
}

/** clientAuth, but a keyUsage without digitalSignature: its key may not sign a TLS handshake. */
export function issueNoDigitalSignatureCertificate(issuing: CaMaterial, uris: string[]) {
  return issueFixtureCertificate(issuing, {
    commonName: 'no-digital-signature',
    uris,
    keyUsage: { keyEncipherment: true },
    extendedKeyUsage: { clientAuth: true },
  });
}
