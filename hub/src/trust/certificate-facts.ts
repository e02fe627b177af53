// What the hub records about a certificate it issued or was shown: serial (normalised as the CRL
// lists it), SHA-256 fingerprint of the DER, validity, and the issuing CA's serial.
import { X509Certificate } from 'node:crypto';
import { normalSerial } from './ca-store.ts';
import { splitPemBundle } from './registration.ts';

export type CertificateFacts = {
  serialHex: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  /** Serial of the CA certificate that follows the leaf in the bundle, when there is one. */
  issuerSerialHex: string | null;
};

/** Facts of the first certificate of a PEM bundle (leaf, then its issuing CA). */
export function certificateFacts(bundlePem: string): CertificateFacts {
  const [leafPem, issuerPem] = splitPemBundle(bundlePem);
  if (!leafPem) throw new TypeError('no certificate in PEM');
  const leaf = new X509Certificate(leafPem);
  return {
    serialHex: normalSerial(leaf.serialNumber),
    fingerprint: x509Fingerprint(leaf),
    notBefore: leaf.validFromDate,
    notAfter: leaf.validToDate,
    issuerSerialHex: issuerPem ? normalSerial(new X509Certificate(issuerPem).serialNumber) : null,
  };
}

/** Lowercase hex SHA-256 of the DER, as `certificateFingerprint` and the members table write it. */
export function x509Fingerprint(cert: X509Certificate): string {
  return cert.fingerprint256.replaceAll(':', '').toLowerCase();
}
