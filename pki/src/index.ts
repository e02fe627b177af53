// @khoj/pki: the federation's keys and certificates. X.509 (root and issuing CA, node CSRs,
// node and server certificates, chain validation) for mTLS; JOSE (Ed25519 JWS, X25519 JWE)
// for end-to-end signed and encrypted payloads; key files on disk.

export {
  assertCaMaterial,
  type CaMaterial,
  createIssuingCa,
  createRootCa,
  type IssuingCaOptions,
  type RootCaOptions,
} from './ca.ts';
export {
  certificateSerial,
  certificateValidity,
  nodeIdFromCertificate,
  nodeIdFromX509,
} from './certificate-info.ts';
export {
  issueNodeCertificate,
  issueServerCertificate,
  type NodeCertificateOptions,
  type ServerCertificateOptions,
} from './certificates.ts';
export { type ChainOptions, verifyCertificateChain } from './chain.ts';
export {
  type CheckedCsr,
  type CsrMaterial,
  type CsrOptions,
  checkCsr,
  checkNodeCsr,
  createCsr,
} from './csr.ts';
export { isPkiError, PkiError, type PkiErrorCode } from './errors.ts';
export { certificateFingerprint, sha256Hex } from './fingerprint.ts';
export {
  decryptForRecipient,
  encryptForRecipients,
  type GeneralJwe,
  JWE_CONTENT_ENCRYPTION_ALGORITHMS,
  JWE_KEY_MANAGEMENT_ALGORITHMS,
  type JweDecryptionKey,
  type JweRecipient,
} from './jwe.ts';
export {
  JWS_ALGORITHMS,
  type JwsSigningKey,
  type ResolveSigningKey,
  signDetached,
  signJws,
  type VerifiedJws,
  verifyDetached,
  verifyJws,
} from './jws.ts';
export {
  readPrivateFile,
  readPrivateJwk,
  readPublicJwk,
  writePrivateFile,
  writePrivateJwk,
  writePublicFile,
  writePublicJwk,
} from './key-files.ts';
export {
  computeKid,
  type EncryptionKeyPair,
  generateEncryptionKey,
  generateSigningKey,
  type KeyCurve,
  type PrivateJwk,
  type PublicJwk,
  parsePrivateJwk,
  parsePublicJwk,
  type SigningKeyPair,
  toPublicJwk,
} from './keys.ts';
export { assertNodeId, isNodeId, NODE_ID_PATTERN, NODE_URI_PREFIX, nodeUri } from './node-id.ts';
