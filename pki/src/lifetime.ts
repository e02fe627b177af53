// When certificates should be replaced: node certificates renew automatically at two thirds
// of their lifetime (leaving a third for retries while the hub is unreachable), the issuing
// CA is rotated early enough that every node renews onto the new one before the old expires,
// and the hub's expiry watch lists what runs out soon. Pure functions of a certificate and a clock.

import { X509Certificate } from 'node:crypto';
import { PkiError } from './errors.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Fraction of a node certificate's lifetime after which it is renewed. */
export const RENEWAL_FRACTION = 2 / 3;

/** The moment a certificate becomes due for renewal: notBefore + 2/3 of (notAfter - notBefore). */
export function renewalDueAt(cert: string | X509Certificate): Date {
  const { validFromDate, validToDate } = readCertificate(cert);
  const lifetime = validToDate.getTime() - validFromDate.getTime();
  return new Date(validFromDate.getTime() + Math.floor(lifetime * RENEWAL_FRACTION));
}

/** True from two thirds of the lifetime on, and for an expired certificate. */
export function renewalDue(cert: string | X509Certificate, now: Date = new Date()): boolean {
  return now.getTime() >= renewalDueAt(cert).getTime();
}

/** True when the certificate expires within `days` days of `now` (or already has). */
export function expiresWithin(cert: string | X509Certificate, days: number, now: Date = new Date()): boolean {
  if (!Number.isFinite(days) || days < 0)
    throw new RangeError(`days must be a non-negative number, got ${days}`);
  return readCertificate(cert).validToDate.getTime() - now.getTime() <= days * DAY_MS;
}

export type IssuingCaRotationOptions = {
  now?: Date;
  /** lifetime of the node certificates this CA issues, in days (90 by default) */
  nodeCertificateDays?: number;
};

/**
 * True once the issuing CA has less than two node-certificate lifetimes left. From then on a
 * new issuing CA should sign new certificates: node certificates are cut off at their CA's
 * notAfter, so staying longer would hand out ever shorter certificates, and two lifetimes
 * leave every node a full lifetime to renew onto the new CA while the old one is still valid.
 */
export function issuingCaRotationDue(
  issuingCert: string | X509Certificate,
  options: IssuingCaRotationOptions = {},
): boolean {
  const { now = new Date(), nodeCertificateDays = 90 } = options;
  const cert = readCertificate(issuingCert);
  if (!cert.ca) throw new PkiError('ERR_KEY_INVALID', 'not a CA certificate');
  return expiresWithin(cert, 2 * nodeCertificateDays, now);
}

function readCertificate(cert: string | X509Certificate): X509Certificate {
  if (cert instanceof X509Certificate) return cert;
  try {
    return new X509Certificate(cert);
  } catch (cause) {
    throw new PkiError('ERR_CERT_CHAIN_INVALID', 'not a readable X.509 certificate', { cause });
  }
}
