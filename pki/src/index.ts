// @khoj/pki: the federation's keys and certificates. X.509 (root and issuing CA, node CSRs,
// node, admin and server certificates, chain validation, CRLs, renewal timing) for mTLS; JOSE
// (Ed25519 JWS, X25519 JWE) for end-to-end signed and encrypted payloads; enrolment proofs of
// possession; key files on disk, passphrase-encrypted for the offline root key.

export {
  ADMIN_NAME_PATTERN,
  ADMIN_ROLE_URI_PREFIX,
  ADMIN_ROLES,
  ADMIN_URI_PREFIX,
  type AdminCertificateOptions,
  type AdminIdentity,
  type AdminRole,
  adminFromCertificate,
  isAdminRole,
  issueAdminCertificate,
} from './admin-certificates.ts';
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
export { assertClientCertificateUsage } from './client-usage.ts';
export {
  CRL_PEM_LABEL,
  type CrlOptions,
  createCrl,
  type EncodedCrl,
  isRevocationReason,
  normalizeSerialHex,
  REVOCATION_REASONS,
  type RevocationReason,
  type RevokedCertificate,
} from './crl.ts';
export { type CrlEntry, type ParsedCrl, parseCrl, type VerifyCrlOptions, verifyCrl } from './crl-verify.ts';
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
  decryptPrivateKeyPem,
  encryptPrivateKeyPem,
  isEncryptedPrivateKeyPem,
  KEY_ENCRYPTION_ITERATIONS,
  MIN_PASSPHRASE_LENGTH,
} from './key-encryption.ts';
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
export {
  expiresWithin,
  type IssuingCaRotationOptions,
  issuingCaRotationDue,
  RENEWAL_FRACTION,
  renewalDue,
  renewalDueAt,
} from './lifetime.ts';
export { assertNodeId, isNodeId, NODE_ID_PATTERN, NODE_URI_PREFIX, nodeUri } from './node-id.ts';
export {
  createEnrolmentChallenge,
  createProofOfPossession,
  type EnrolmentChallenge,
  type HubEnrolmentChallenge,
  type NodeEnrolmentKeys,
  type ProofClaims,
  type ProofOfPossession,
  type ProofSubmission,
  type VerifiedEnrolmentKeys,
  verifyProofOfPossession,
} from './proof-of-possession.ts';
