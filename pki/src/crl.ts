// The federation's certificate revocation list: a standard X.509 v2 CRL (RFC 5280 §5) signed
// by the issuing CA, so nginx, openssl and any other TLS terminator can refuse revoked node
// and admin certificates without knowing anything about khoj. node-forge has no CRL writer,
// so the structure is assembled here with its ASN.1 module and signed with node:crypto.

import { sign } from 'node:crypto';
import { type CertificateParts, certificateParts, keyUsageOf } from './certificate-der.ts';
import {
  type Asn1,
  bitString,
  bytesFromBinary,
  contextPrimitive,
  explicit,
  extension,
  fromDer,
  integer,
  nullValue,
  OID,
  oid,
  pem,
  sequence,
  Type,
  time,
  toDer,
} from './der.ts';
import { PkiError } from './errors.ts';
import { authorityKeyIdentifier, type CaMaterial, loadCa } from './x509-support.ts';

/** CRLReason codes of RFC 5280 §5.3.1 (7 is unused). */
export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

export type RevocationReason = keyof typeof REVOCATION_REASONS;

export type RevokedCertificate = {
  /** the certificate's serial number in hex, as certificateSerial() returns it */
  serialHex: string;
  revokedAt: Date;
  reason: RevocationReason;
};

export type CrlOptions = {
  issuer: CaMaterial;
  revoked: RevokedCertificate[];
  /** monotonically increasing per issuer, so relying parties can tell the newer of two CRLs */
  crlNumber: bigint | number;
  thisUpdate: Date;
  /** when relying parties should treat this CRL as stale */
  nextUpdate: Date;
};

export type EncodedCrl = { der: Uint8Array; pem: string };

export const CRL_PEM_LABEL = 'X509 CRL';

// RFC 5280 §5.2.3: a CRL number fits in 20 octets.
const MAX_CRL_NUMBER = 2n ** 159n - 1n;

export function isRevocationReason(value: unknown): value is RevocationReason {
  return typeof value === 'string' && Object.hasOwn(REVOCATION_REASONS, value);
}

/** Lowercase hex without leading zero bytes, so serials compare equal however they were written. */
export function normalizeSerialHex(serialHex: string): string {
  if (typeof serialHex !== 'string' || !/^[0-9a-fA-F]{1,40}$/.test(serialHex)) {
    throw new PkiError(
      'ERR_CRL_INVALID',
      `not a certificate serial number in hex: ${String(serialHex).slice(0, 60)}`,
    );
  }
  let hex = serialHex.toLowerCase().replace(/^0+/, '');
  if (hex === '') throw new PkiError('ERR_CRL_INVALID', 'serial number 0 is not a valid certificate serial');
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return hex;
}

/**
 * Build and sign a full CRL. The issuer name is copied byte for byte from the issuing CA
 * certificate, and the authorityKeyIdentifier repeats that CA's subjectKeyIdentifier: both are
 * how openssl picks the CRL for a certificate, so a re-encoded name would silently not match.
 */
export function createCrl(options: CrlOptions): EncodedCrl {
  const { issuer, revoked, thisUpdate, nextUpdate } = options;
  const ca = loadCa(issuer);
  let parts: CertificateParts;
  try {
    parts = certificateParts(ca.x509);
  } catch (cause) {
    throw new PkiError('ERR_KEY_INVALID', 'the issuing CA certificate is not strict DER', { cause });
  }
  if (keyUsageOf(parts)?.cRLSign === false) {
    throw new PkiError(
      'ERR_KEY_INVALID',
      'the issuing CA certificate does not allow CRL signing (keyUsage cRLSign)',
    );
  }
  assertDate(thisUpdate, 'thisUpdate');
  assertDate(nextUpdate, 'nextUpdate');
  // Times are written in whole seconds, so compare them as they will be encoded.
  if (Math.floor(nextUpdate.getTime() / 1000) <= Math.floor(thisUpdate.getTime() / 1000)) {
    throw new PkiError('ERR_CRL_INVALID', 'nextUpdate must be at least a second later than thisUpdate');
  }
  if (!Array.isArray(revoked)) throw new PkiError('ERR_CRL_INVALID', 'revoked must be a list');
  const crlNumber = crlNumberOf(options.crlNumber);

  const algorithm = sequence([oid(OID.sha256WithRsa), nullValue()]);
  const keyIdentifier = bytesFromBinary(authorityKeyIdentifier(ca.cert).keyIdentifier);
  const tbsFields: Asn1[] = [
    integer(1n), // v2
    algorithm,
    fromDer(parts.subjectDer),
    time(thisUpdate),
    time(nextUpdate),
  ];
  // RFC 5280 §5.1.2.6: with nothing revoked the list is absent, not empty.
  if (revoked.length > 0) tbsFields.push(sequence(revokedEntries(revoked)));
  tbsFields.push(
    explicit(
      0,
      sequence([
        extension(OID.authorityKeyIdentifier, sequence([contextPrimitive(0, keyIdentifier)])),
        extension(OID.crlNumber, integer(crlNumber)),
      ]),
    ),
  );
  const tbs = toDer(sequence(tbsFields));
  // PKCS#1 v1.5 with SHA-256: sha256WithRSAEncryption, what every TLS stack verifies.
  const signature = sign('sha256', tbs, issuer.keyPem);
  const der = toDer(sequence([fromDer(tbs), algorithm, bitString(signature)]));
  return { der: new Uint8Array(der), pem: pem(CRL_PEM_LABEL, der) };
}

function revokedEntries(revoked: RevokedCertificate[]): Asn1[] {
  const seen = new Set<string>();
  return revoked.map((entry) => {
    const serial = normalizeSerialHex(entry.serialHex);
    if (seen.has(serial)) throw new PkiError('ERR_CRL_INVALID', `serial ${serial} is listed twice`);
    seen.add(serial);
    assertDate(entry.revokedAt, `revokedAt of ${serial}`);
    if (!isRevocationReason(entry.reason)) {
      throw new PkiError('ERR_CRL_INVALID', `unknown revocation reason: ${String(entry.reason)}`);
    }
    // removeFromCRL only has a meaning in delta CRLs (§5.3.1); we publish full CRLs only.
    if (entry.reason === 'removeFromCRL') {
      throw new PkiError('ERR_CRL_INVALID', 'removeFromCRL is for delta CRLs; drop the entry instead');
    }
    const fields = [integer(BigInt(`0x${serial}`)), time(entry.revokedAt)];
    // §5.3.1: the reasonCode extension SHOULD be absent rather than say "unspecified".
    if (entry.reason !== 'unspecified') {
      const code = integer(BigInt(REVOCATION_REASONS[entry.reason]), Type.ENUMERATED);
      fields.push(sequence([extension(OID.reasonCode, code)]));
    }
    return sequence(fields);
  });
}

function crlNumberOf(value: bigint | number): bigint {
  const number = typeof value === 'bigint' ? value : Number.isSafeInteger(value) ? BigInt(value) : undefined;
  if (number === undefined || number < 0n || number > MAX_CRL_NUMBER) {
    throw new PkiError(
      'ERR_CRL_INVALID',
      `CRL number must be a whole number from 0 to 2^159-1, got ${String(value)}`,
    );
  }
  return number;
}

function assertDate(value: Date, what: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new PkiError('ERR_CRL_INVALID', `${what} is not a valid date`);
  }
}
