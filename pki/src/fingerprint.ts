// Digests used across the federation: SHA-256 of arbitrary bytes (envelope payload digests)
// and of a certificate's DER (pinning a member certificate in the federation configuration).

import { createHash } from 'node:crypto';
import { parseCertificate } from './certificate-info.ts';

/** Lowercase hex SHA-256; strings are hashed as UTF-8. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Lowercase hex SHA-256 of the certificate's DER encoding (what `openssl x509 -fingerprint -sha256` shows). */
export function certificateFingerprint(certPem: string): string {
  return sha256Hex(parseCertificate(certPem).raw);
}
