// The key-usage check for a TLS client certificate (node or administrator). OpenSSL's
// handshake verification already applies the "sslclient" purpose, but the hub checks again per
// request so that a terminator configured without that purpose, or a certificate passed along
// in a header, cannot let a server-only or CA certificate act as a client.

import { X509Certificate } from 'node:crypto';
import { certificateParts, extendedKeyUsageOf, keyUsageOf } from './certificate-der.ts';
import { OID } from './der.ts';
import { PkiError } from './errors.ts';

/**
 * Throws ERR_CERT_USAGE unless the certificate is an end-entity certificate whose keyUsage
 * includes digitalSignature and whose extendedKeyUsage includes clientAuth. Both extensions
 * are required (our CA always writes them), and anyExtendedKeyUsage does not count.
 */
export function assertClientCertificateUsage(cert: string | X509Certificate): void {
  let x509: X509Certificate;
  try {
    x509 = typeof cert === 'string' ? new X509Certificate(cert) : cert;
  } catch (cause) {
    throw new PkiError('ERR_CERT_USAGE', 'not a readable X.509 certificate', { cause });
  }
  if (x509.ca) throw new PkiError('ERR_CERT_USAGE', 'a CA certificate cannot act as a TLS client');
  let keyUsage: ReturnType<typeof keyUsageOf>;
  let extendedKeyUsage: string[] | undefined;
  try {
    const parts = certificateParts(x509);
    keyUsage = keyUsageOf(parts);
    extendedKeyUsage = extendedKeyUsageOf(parts);
  } catch (cause) {
    throw new PkiError('ERR_CERT_USAGE', 'the certificate extensions cannot be read', { cause });
  }
  if (!keyUsage?.digitalSignature) {
    throw new PkiError('ERR_CERT_USAGE', 'the certificate key usage does not allow digitalSignature');
  }
  if (!extendedKeyUsage?.includes(OID.clientAuth)) {
    throw new PkiError(
      'ERR_CERT_USAGE',
      'the certificate is not for TLS client authentication (no clientAuth)',
    );
  }
}
