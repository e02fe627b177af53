// Reading and checking CRLs: parseCrl decodes one of ours (or any RFC 5280 v2 CRL that uses
// only the extensions we understand), verifyCrl also checks it was signed by a given issuing
// CA. Nodes and tests use these; TLS terminators read the same bytes with their own code.

import { verify, X509Certificate } from 'node:crypto';
import {
  type CertificateParts,
  certificateParts,
  keyUsageOf,
  subjectKeyIdentifierOf,
} from './certificate-der.ts';
import { CRL_PEM_LABEL, isRevocationReason, REVOCATION_REASONS, type RevocationReason } from './crl.ts';
import {
  type Asn1,
  children,
  DerError,
  type Extension,
  fromDer,
  isContext,
  isUniversal,
  OID,
  pemBody,
  readBitStringBytes,
  readExtensions,
  readOid,
  readTime,
  readUnsigned,
  Type,
  toDer,
} from './der.ts';
import { PkiError } from './errors.ts';

export type CrlEntry = { serialHex: string; revokedAt: Date; reason: RevocationReason };

export type ParsedCrl = {
  /** issuer Name in X509Certificate.subject form ("O=…\nCN=…"), for display and comparison */
  issuer: string;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: bigint;
  /** hex keyIdentifier of the authorityKeyIdentifier extension, when present */
  authorityKeyId: string | undefined;
  entries: CrlEntry[];
};

export type VerifyCrlOptions = {
  /** When given, also refuse a CRL that is stale (after nextUpdate) or from the future. */
  now?: Date;
};

type DecodedCrl = ParsedCrl & { tbs: Buffer; issuerDer: Buffer; hash: string; signature: Buffer };

const SIGNATURE_HASHES: Record<string, string> = {
  [OID.sha256WithRsa]: 'sha256',
  [OID.sha384WithRsa]: 'sha384',
  [OID.sha512WithRsa]: 'sha512',
};

const REASON_NAMES = new Map<number, RevocationReason>(
  Object.entries(REVOCATION_REASONS).map(([name, code]) => [code, name as RevocationReason]),
);

// Short names as X509Certificate.subject prints them; anything else shows as its OID.
const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
};

/** Decode a DER or PEM CRL. Throws ERR_CRL_INVALID; does not check the signature (see verifyCrl). */
export function parseCrl(crl: Uint8Array | string): ParsedCrl {
  const { tbs: _tbs, issuerDer: _issuer, hash: _hash, signature: _signature, ...parsed } = decodeCrl(crl);
  return parsed;
}

/**
 * Check that `issuerCertPem` signed this CRL: issuer name byte-equal to the certificate's
 * subject, authorityKeyIdentifier (when present) equal to its subjectKeyIdentifier, a CA
 * certificate allowed to sign CRLs, and an RSA signature with SHA-256/384/512 verified by
 * OpenSSL. Throws ERR_CRL_INVALID, ERR_SIGNATURE_INVALID, ERR_CRL_EXPIRED or ERR_CRL_NOT_YET_VALID.
 */
export function verifyCrl(
  crl: Uint8Array | string,
  issuerCertPem: string,
  options: VerifyCrlOptions = {},
): ParsedCrl {
  const decoded = decodeCrl(crl);
  let issuer: X509Certificate;
  try {
    issuer = new X509Certificate(issuerCertPem);
  } catch (cause) {
    throw new PkiError('ERR_CERT_CHAIN_INVALID', 'the CRL issuer is not a readable X.509 certificate', {
      cause,
    });
  }
  let parts: CertificateParts;
  try {
    parts = certificateParts(issuer);
  } catch (cause) {
    throw new PkiError('ERR_CERT_CHAIN_INVALID', 'the CRL issuer certificate is not strict DER', { cause });
  }
  if (!issuer.ca || keyUsageOf(parts)?.cRLSign === false) {
    throw new PkiError('ERR_SIGNATURE_INVALID', 'the given certificate may not sign CRLs');
  }
  if (!decoded.issuerDer.equals(parts.subjectDer)) {
    throw new PkiError(
      'ERR_SIGNATURE_INVALID',
      'the CRL names a different issuer than the given certificate',
    );
  }
  const ski = subjectKeyIdentifierOf(parts)?.toString('hex');
  if (decoded.authorityKeyId !== undefined && ski !== undefined && decoded.authorityKeyId !== ski) {
    throw new PkiError('ERR_SIGNATURE_INVALID', "the CRL's authority key identifier is not the issuer's key");
  }
  let valid = false;
  try {
    valid = verify(decoded.hash, decoded.tbs, issuer.publicKey, decoded.signature);
  } catch {
    valid = false;
  }
  if (!valid)
    throw new PkiError('ERR_SIGNATURE_INVALID', 'the CRL signature does not verify with the issuer key');
  if (options.now) {
    if (options.now < decoded.thisUpdate) {
      throw new PkiError('ERR_CRL_NOT_YET_VALID', `CRL is dated ${decoded.thisUpdate.toISOString()}`);
    }
    if (options.now > decoded.nextUpdate) {
      throw new PkiError(
        'ERR_CRL_EXPIRED',
        `CRL was due for replacement at ${decoded.nextUpdate.toISOString()}`,
      );
    }
  }
  const { tbs: _tbs, issuerDer: _issuer, hash: _hash, signature: _signature, ...parsed } = decoded;
  return parsed;
}

function decodeCrl(crl: Uint8Array | string): DecodedCrl {
  try {
    return decodeCertificateList(toBytes(crl));
  } catch (cause) {
    if (cause instanceof PkiError) throw cause;
    const detail = cause instanceof DerError ? `: ${cause.message}` : '';
    throw new PkiError('ERR_CRL_INVALID', `not a valid X.509 v2 CRL${detail}`, { cause });
  }
}

function toBytes(crl: Uint8Array | string): Uint8Array {
  if (crl instanceof Uint8Array) return crl;
  if (typeof crl !== 'string') throw new DerError('expected DER bytes or a PEM string');
  const der = pemBody(crl, CRL_PEM_LABEL);
  if (!der) throw new DerError(`no "${CRL_PEM_LABEL}" PEM block`);
  return der;
}

/** CertificateList and TBSCertList of RFC 5280 §5.1, read field by field in order. */
function decodeCertificateList(bytes: Uint8Array): DecodedCrl {
  const [tbsNode, outerAlgorithm, signatureNode, ...extra] = children(fromDer(bytes), 'CertificateList');
  if (extra.length > 0 || !tbsNode) throw new DerError('CertificateList has the wrong number of fields');
  const fields = children(tbsNode, 'TBSCertList');
  let i = 0;
  if (!isUniversal(fields[i], Type.INTEGER) || readUnsigned(fields[i], 'version') !== 1n) {
    throw new DerError('only version 2 CRLs are accepted');
  }
  i++;
  const innerAlgorithm = fields[i++];
  const hash = signatureHash(innerAlgorithm);
  // §5.1.1.2: the outer and inner algorithm identifiers must be identical.
  if (!innerAlgorithm || !outerAlgorithm || !toDer(innerAlgorithm).equals(toDer(outerAlgorithm))) {
    throw new DerError('signature algorithms inside and outside the signed part differ');
  }
  const issuerNode = fields[i++];
  const issuer = describeName(issuerNode);
  const thisUpdate = readTime(fields[i++], 'thisUpdate');
  // §5.1.2.5: conforming issuers always include nextUpdate; without it freshness is unknowable.
  const nextUpdate = readTime(fields[i++], 'nextUpdate');
  let entries: CrlEntry[] = [];
  if (isUniversal(fields[i], Type.SEQUENCE))
    entries = children(fields[i++], 'revokedCertificates').map(readEntry);
  let extensions = new Map<string, Extension>();
  if (isContext(fields[i], 0))
    extensions = readExtensions(children(fields[i++], 'crlExtensions')[0], 'CRL extension');
  if (i !== fields.length) throw new DerError('unexpected fields in TBSCertList');

  assertKnownCritical(extensions, [OID.authorityKeyIdentifier, OID.crlNumber], 'CRL');
  const numberExtension = extensions.get(OID.crlNumber);
  // §5.2.3: conforming CRL issuers MUST include the CRL number.
  if (!numberExtension) throw new DerError('CRL has no cRLNumber');
  const crlNumber = readUnsigned(fromDer(numberExtension.value), 'cRLNumber');
  const aki = extensions.get(OID.authorityKeyIdentifier);

  return {
    issuer,
    thisUpdate,
    nextUpdate,
    crlNumber,
    authorityKeyId: aki ? keyIdentifierOf(aki.value) : undefined,
    entries,
    tbs: toDer(tbsNode),
    issuerDer: toDer(issuerNode as Asn1),
    hash,
    signature: readBitStringBytes(signatureNode, 'signatureValue'),
  };
}

function readEntry(node: Asn1): CrlEntry {
  const [serialNode, dateNode, extensionsNode, ...extra] = children(node, 'revoked certificate');
  if (extra.length > 0) throw new DerError('revoked certificate entry has extra fields');
  const serial = readUnsigned(serialNode, 'userCertificate');
  let serialHex = serial.toString(16);
  if (serialHex.length % 2 === 1) serialHex = `0${serialHex}`;
  const extensions = extensionsNode
    ? readExtensions(extensionsNode, 'CRL entry extension')
    : new Map<string, Extension>();
  assertKnownCritical(extensions, [OID.reasonCode, OID.invalidityDate], 'CRL entry');
  const reasonExtension = extensions.get(OID.reasonCode);
  let reason: RevocationReason = 'unspecified';
  if (reasonExtension) {
    const code = readUnsigned(fromDer(reasonExtension.value), 'reasonCode', Type.ENUMERATED);
    const name = REASON_NAMES.get(Number(code));
    if (!name || !isRevocationReason(name)) throw new DerError(`unknown reasonCode ${code}`);
    reason = name;
  }
  return { serialHex, revokedAt: readTime(dateNode, 'revocationDate'), reason };
}

/** §5.2 / §5.3: a CRL with a critical extension the reader does not understand must not be used. */
function assertKnownCritical(extensions: Map<string, Extension>, known: string[], where: string): void {
  for (const [id, ext] of extensions) {
    if (ext.critical && !known.includes(id))
      throw new DerError(`${where} has an unsupported critical extension ${id}`);
  }
}

function signatureHash(node: Asn1 | undefined): string {
  const [algorithm, parameters, ...extra] = children(node, 'signature algorithm');
  const hash = SIGNATURE_HASHES[readOid(algorithm, 'signature algorithm')];
  if (!hash) throw new DerError('signature algorithm not accepted (RSA with SHA-256/384/512 only)');
  if (extra.length > 0 || (parameters !== undefined && !isUniversal(parameters, Type.NULL))) {
    throw new DerError('unexpected signature algorithm parameters');
  }
  return hash;
}

function keyIdentifierOf(value: Buffer): string | undefined {
  const keyId = children(fromDer(value), 'authorityKeyIdentifier').find((field) => isContext(field, 0));
  return keyId && typeof keyId.value === 'string'
    ? Buffer.from(keyId.value, 'binary').toString('hex')
    : undefined;
}

function describeName(node: Asn1 | undefined): string {
  const parts: string[] = [];
  for (const rdn of children(node, 'issuer')) {
    for (const attribute of children(rdn, 'issuer RDN')) {
      const [type, value] = children(attribute, 'issuer attribute');
      const id = readOid(type, 'attribute type');
      if (!value || typeof value.value !== 'string') throw new DerError('issuer attribute has no value');
      // Every string type we emit (UTF8, Printable, IA5) reads as UTF-8; BMPString is not used in the federation.
      const text =
        value.type === Type.UTF8 ? Buffer.from(value.value, 'binary').toString('utf8') : value.value;
      parts.push(`${ATTRIBUTE_NAMES[id] ?? id}=${text}`);
    }
  }
  return parts.join('\n');
}
