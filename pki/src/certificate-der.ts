// Reading what node:crypto's X509Certificate does not expose: the subject Name exactly as
// encoded, and the keyUsage, extendedKeyUsage and subjectKeyIdentifier extensions. Works on
// the DER of any certificate (RSA or not), unlike forge's certificate parser. Internal.

import type { X509Certificate } from 'node:crypto';
import {
  type Asn1,
  children,
  DerError,
  type Extension,
  fromDer,
  isContext,
  OID,
  primitiveBytes,
  readExtensions,
  readOid,
  Type,
  toDer,
} from './der.ts';

export type CertificateParts = {
  /** DER of the subject Name, byte for byte as in the certificate (what CRL issuers must match). */
  subjectDer: Buffer;
  extensions: Map<string, Extension>;
};

/** RFC 5280 §4.2.1.3 KeyUsage bits, named. */
export type KeyUsage = {
  digitalSignature: boolean;
  keyEncipherment: boolean;
  keyCertSign: boolean;
  cRLSign: boolean;
};

/** Throws DerError when the certificate's structure is not what RFC 5280 describes. */
export function certificateParts(cert: X509Certificate): CertificateParts {
  const tbs = children(children(fromDer(cert.raw), 'certificate')[0], 'tbsCertificate');
  // version [0] is optional; the subject is the fifth field after it.
  const offset = isContext(tbs[0], 0) ? 1 : 0;
  const subject = tbs[offset + 4];
  if (!subject) throw new DerError('certificate has no subject');
  const extensionsField = tbs.find((field: Asn1) => isContext(field, 3));
  const extensions = extensionsField
    ? readExtensions(children(extensionsField, 'extensions')[0], 'certificate extension')
    : new Map<string, Extension>();
  return { subjectDer: toDer(subject), extensions };
}

/** undefined when the certificate has no keyUsage extension (which RFC 5280 reads as "any usage"). */
export function keyUsageOf(parts: CertificateParts): KeyUsage | undefined {
  const ext = parts.extensions.get(OID.keyUsage);
  if (!ext) return undefined;
  const bits = primitiveBytes(fromDer(ext.value), Type.BITSTRING, 'keyUsage');
  // Byte 0 counts unused bits; bit 0 (digitalSignature) is the top bit of byte 1.
  const first = bits[1] ?? 0;
  return {
    digitalSignature: (first & 0x80) !== 0,
    keyEncipherment: (first & 0x20) !== 0,
    keyCertSign: (first & 0x04) !== 0,
    cRLSign: (first & 0x02) !== 0,
  };
}

/** Extended key usage OIDs, or undefined when the extension is absent. */
export function extendedKeyUsageOf(parts: CertificateParts): string[] | undefined {
  const ext = parts.extensions.get(OID.extKeyUsage);
  if (!ext) return undefined;
  return children(fromDer(ext.value), 'extKeyUsage').map((node) => readOid(node, 'extKeyUsage'));
}

export function subjectKeyIdentifierOf(parts: CertificateParts): Buffer | undefined {
  const ext = parts.extensions.get(OID.subjectKeyIdentifier);
  return ext ? primitiveBytes(fromDer(ext.value), Type.OCTETSTRING, 'subjectKeyIdentifier') : undefined;
}
