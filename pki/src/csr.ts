// Certificate signing requests: a node makes its key pair and a CSR locally (the private key
// never leaves the node), the hub checks the CSR here before an administrator approves it.

import { createPublicKey, verify } from 'node:crypto';
import forge from 'node-forge';
import { PkiError } from './errors.ts';
import { assertNodeId, NODE_URI_PREFIX, nodeUri } from './node-id.ts';
import { generateRsaKey, MIN_RSA_BITS, publicKeyOf, subjectAttributes } from './x509-support.ts';

export type CsrOptions = { nodeId: string; keyBits?: number };

export type CsrMaterial = { csrPem: string; keyPem: string };

/** What a hub administrator sees before approving a CSR. */
export type CsrSummary = { commonName: string | undefined; keyBits: number; requestedUris: string[] };

/** A CSR whose signature verified and whose key is strong enough (internal: carries forge's key). */
export type CheckedCsr = {
  commonName: string | undefined;
  publicKey: forge.pki.rsa.PublicKey;
  /** SAN URIs the requester asked for (informational; issuance sets its own SAN). */
  requestedUris: string[];
};

const SAN_URI = 6;

// Signature algorithms accepted on a CSR, by OID. SHA-1 and MD5 are refused: a proof of
// possession made with a broken hash proves nothing.
const CSR_SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

export function createCsr(options: CsrOptions): CsrMaterial {
  const { nodeId, keyBits = 3072 } = options;
  const uri = nodeUri(nodeId);
  const { keyPem, key } = generateRsaKey(keyBits);
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = publicKeyOf(key);
  csr.setSubject(subjectAttributes(nodeId));
  csr.setAttributes([
    {
      name: 'extensionRequest',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: SAN_URI, value: uri }] }],
    },
  ]);
  csr.sign(key, forge.md.sha256.create());
  return { csrPem: forge.pki.certificationRequestToPem(csr), keyPem };
}

/**
 * Parse a PEM CSR, verify its self-signature with OpenSSL (node:crypto) rather than forge's
 * JS RSA code, and require an RSA key of at least MIN_RSA_BITS.
 */
export function checkCsr(csrPem: string): CheckedCsr {
  let csr: forge.pki.CertificateSigningRequest;
  try {
    csr = forge.pki.certificationRequestFromPem(csrPem);
  } catch (cause) {
    throw new PkiError('ERR_CSR_INVALID', 'not a PKCS#10 CSR with an RSA key', { cause });
  }
  const publicKey = csr.publicKey as forge.pki.rsa.PublicKey | null;
  if (!publicKey || !csr.certificationRequestInfo) {
    throw new PkiError('ERR_CSR_INVALID', 'CSR has no public key');
  }
  const hash = csr.signatureOid ? CSR_SIGNATURE_HASHES[csr.signatureOid] : undefined;
  if (!hash) {
    throw new PkiError('ERR_CSR_INVALID', `CSR signature algorithm not accepted: ${csr.signatureOid}`);
  }
  const signedBytes = Buffer.from(forge.asn1.toDer(csr.certificationRequestInfo).getBytes(), 'binary');
  const signature = Buffer.from(String(csr.signature), 'binary');
  let valid = false;
  try {
    valid = verify(hash, signedBytes, createPublicKey(forge.pki.publicKeyToPem(publicKey)), signature);
  } catch {
    valid = false;
  }
  if (!valid)
    throw new PkiError('ERR_CSR_SIGNATURE_INVALID', 'CSR signature does not verify with its own key');

  const bits = publicKey.n.bitLength();
  // e = 3 or other tiny exponents invite known attacks on PKCS#1 v1.5; insist on the usual 65537 or larger.
  if (bits < MIN_RSA_BITS || publicKey.e.compareTo(new forge.jsbn.BigInteger('65537')) < 0) {
    throw new PkiError(
      'ERR_KEY_TOO_WEAK',
      `CSR key is RSA-${bits}; at least RSA-${MIN_RSA_BITS} is required`,
    );
  }

  const cn = csr.subject.getField('CN') as { value?: unknown } | null;
  return {
    commonName: typeof cn?.value === 'string' ? cn.value : undefined,
    publicKey,
    requestedUris: requestedSanUris(csr),
  };
}

/** Verify a CSR (signature, key strength) and summarise it; throws like issueNodeCertificate would. */
export function inspectCsr(csrPem: string): CsrSummary {
  const { commonName, publicKey, requestedUris } = checkCsr(csrPem);
  return { commonName, keyBits: publicKey.n.bitLength(), requestedUris };
}

/** Check a CSR is fit to become the certificate of `nodeId`. */
export function checkNodeCsr(csrPem: string, nodeId: string): CheckedCsr {
  assertNodeId(nodeId);
  const checked = checkCsr(csrPem);
  if (checked.commonName !== nodeId) {
    throw new PkiError(
      'ERR_CSR_INVALID',
      `CSR common name ${checked.commonName} is not the node id ${nodeId}`,
    );
  }
  const foreign = checked.requestedUris.filter(
    (uri) => uri.startsWith(NODE_URI_PREFIX) && uri !== nodeUri(nodeId),
  );
  if (foreign.length > 0) {
    throw new PkiError('ERR_CSR_INVALID', `CSR asks for another node's identity: ${foreign.join(', ')}`);
  }
  return checked;
}

function requestedSanUris(csr: forge.pki.CertificateSigningRequest): string[] {
  const request = csr.getAttribute({ name: 'extensionRequest' }) as { extensions?: unknown[] } | null;
  const uris: string[] = [];
  for (const ext of request?.extensions ?? []) {
    const altNames = (ext as { name?: string; altNames?: Array<{ type: number; value: unknown }> }).altNames;
    for (const altName of altNames ?? []) {
      if (altName.type === SAN_URI && typeof altName.value === 'string') uris.push(altName.value);
    }
  }
  return uris;
}
