// Shared building blocks for issuing X.509 material with node-forge: RSA key generation,
// serial numbers, validity windows, key identifiers and loading CA material. Internal to
// @khoj/pki (not re-exported from index.ts).

import { createPublicKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { PkiError } from './errors.ts';

export type CaMaterial = { certPem: string; keyPem: string };

/** Smallest RSA modulus (bits) accepted for anything in the federation. */
export const MIN_RSA_BITS = 3072;

/** notBefore is set this far in the past so a peer whose clock runs slow accepts a fresh certificate. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

export const ORGANIZATION = 'khoj federation';

export type LoadedCa = {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  x509: X509Certificate;
};

/**
 * RSA keys come from node:crypto (OpenSSL) because forge's pure-JS generator takes seconds
 * to minutes for 3072/4096-bit moduli. The private key is returned as PKCS#8 PEM.
 */
export function generateRsaKey(bits: number): { keyPem: string; key: forge.pki.rsa.PrivateKey } {
  if (!Number.isInteger(bits) || bits < MIN_RSA_BITS) {
    throw new PkiError('ERR_KEY_TOO_WEAK', `RSA keys must have at least ${MIN_RSA_BITS} bits, got ${bits}`);
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { keyPem, key: forge.pki.privateKeyFromPem(keyPem) };
}

export function publicKeyOf(key: forge.pki.rsa.PrivateKey): forge.pki.rsa.PublicKey {
  return forge.pki.setRsaPublicKey(key.n, key.e);
}

/**
 * 16 random bytes as a positive DER INTEGER. The top bit is cleared (positive) and the next
 * one set, so the encoding is always exactly 16 bytes with no leading zero (which strict DER
 * parsers reject) while keeping 126 random bits, well above RFC 5280's 64.
 */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x40;
  return bytes.toString('hex');
}

export function assertValidityDays(days: number): void {
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(`validityDays must be a positive whole number of days, got ${days}`);
  }
}

/**
 * Validity window starting at `now` (back-dated by the clock skew allowance). When an issuer
 * is given, notAfter is clamped to the issuer's notAfter: a certificate must not outlive the
 * CA that vouches for it, or it would fail path validation early without warning.
 */
export function validityWindow(
  now: Date,
  days: number,
  issuer?: forge.pki.Certificate,
): { notBefore: Date; notAfter: Date } {
  assertValidityDays(days);
  const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  let notAfter = new Date(now.getTime() + days * DAY_MS);
  if (issuer && notAfter > issuer.validity.notAfter) notAfter = new Date(issuer.validity.notAfter);
  return { notBefore, notAfter };
}

/** Fresh certificate shell: version 3, random serial, validity and public key set. */
export function newCertificate(
  publicKey: forge.pki.rsa.PublicKey,
  validity: { notBefore: Date; notAfter: Date },
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = validity.notBefore;
  cert.validity.notAfter = validity.notAfter;
  return cert;
}

export function subjectAttributes(commonName: string): forge.pki.CertificateField[] {
  return [
    { name: 'organizationName', value: ORGANIZATION },
    { name: 'commonName', value: commonName },
  ];
}

/** The issuer's own SKI, so the AKI of what it signs matches byte for byte (what path builders compare). */
export function authorityKeyIdentifier(issuer: forge.pki.Certificate): {
  name: string;
  keyIdentifier: string;
} {
  const ext = issuer.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  const keyIdentifier = ext?.subjectKeyIdentifier
    ? forge.util.hexToBytes(ext.subjectKeyIdentifier)
    : issuer.generateSubjectKeyIdentifier().getBytes();
  return { name: 'authorityKeyIdentifier', keyIdentifier };
}

export function signCertificate(cert: forge.pki.Certificate, key: forge.pki.rsa.PrivateKey): string {
  cert.sign(key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/**
 * Parse CA material and check that the key belongs to the certificate: a mismatched pair
 * (say, a rotated key next to the old certificate) would otherwise issue certificates that
 * no peer can verify.
 */
export function loadCa(material: CaMaterial): LoadedCa {
  let x509: X509Certificate;
  let cert: forge.pki.Certificate;
  let key: forge.pki.rsa.PrivateKey;
  try {
    x509 = new X509Certificate(material.certPem);
    cert = forge.pki.certificateFromPem(material.certPem);
    key = forge.pki.privateKeyFromPem(material.keyPem);
  } catch (cause) {
    throw new PkiError('ERR_KEY_INVALID', 'CA certificate or key cannot be read (RSA PEM expected)', {
      cause,
    });
  }
  if (!x509.ca) throw new PkiError('ERR_KEY_INVALID', 'certificate is not a CA certificate');
  if (!x509.publicKey.equals(createPublicKey(material.keyPem))) {
    throw new PkiError('ERR_KEY_INVALID', 'CA private key does not match the CA certificate');
  }
  return { cert, key, x509 };
}
