// Client certificates for hub administrators (`khoj ca admin-cert`). The administrator's
// name and role travel in the certificate as SAN URIs, `urn:khoj:admin:<name>` and
// `urn:khoj:admin-role:<role>`, so the hub learns both from the mTLS handshake alone. An admin
// certificate never carries a node URI and vice versa: nodeIdFromX509 refuses the one and
// adminFromCertificate the other.

import { type KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { subjectAltNameUris } from './certificate-info.ts';
import { checkCsr } from './csr.ts';
import { PkiError } from './errors.ts';
import {
  authorityKeyIdentifier,
  type CaMaterial,
  loadCa,
  MIN_RSA_BITS,
  newCertificate,
  ORGANIZATION,
  signCertificate,
  validityWindow,
} from './x509-support.ts';

export const ADMIN_ROLES = ['admin', 'approver', 'auditor'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const ADMIN_URI_PREFIX = 'urn:khoj:admin:';
export const ADMIN_ROLE_URI_PREFIX = 'urn:khoj:admin-role:';

/**
 * Lowercase only, so an administrator's name can never read as a node id (those are
 * upper-case ISO 3166 codes), and safe inside a URN without escaping.
 */
export const ADMIN_NAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

/** The subject OU of every admin certificate; informational (the SAN URIs decide). */
const ADMIN_UNIT = 'administrators';

export type AdminCertificateOptions = {
  adminName: string;
  role: AdminRole;
  /** days */
  validityDays?: number;
  now?: Date;
};

export type AdminIdentity = { name: string; role: AdminRole };

const SAN_URI = 6;

export function isAdminRole(value: unknown): value is AdminRole {
  return typeof value === 'string' && (ADMIN_ROLES as readonly string[]).includes(value);
}

/**
 * Issue an administrator's client certificate for the key in `subjectKey`: a CSR (its
 * signature and key strength are checked, its names ignored) or an RSA public KeyObject the
 * caller generated. Throws ERR_ADMIN_INVALID for a bad name or role, plus the CSR/key codes.
 */
export function issueAdminCertificate(
  issuing: CaMaterial,
  subjectKey: string | KeyObject,
  options: AdminCertificateOptions,
): string {
  const { adminName, role, validityDays = 365, now = new Date() } = options;
  assertAdminName(adminName, 'ERR_ADMIN_INVALID');
  if (!isAdminRole(role)) {
    throw new PkiError(
      'ERR_ADMIN_INVALID',
      `unknown admin role ${String(role)}; expected ${ADMIN_ROLES.join(', ')}`,
    );
  }
  const publicKey =
    typeof subjectKey === 'string' ? checkCsr(subjectKey).publicKey : rsaPublicKey(subjectKey);
  const issuer = loadCa(issuing);
  const cert = newCertificate(publicKey, validityWindow(now, validityDays, issuer.cert));
  cert.setSubject([
    { name: 'organizationName', value: ORGANIZATION },
    { name: 'organizationalUnitName', value: ADMIN_UNIT },
    { name: 'commonName', value: adminName },
  ]);
  cert.setIssuer(issuer.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    // digitalSignature only: a TLS client key signs the handshake and never encrypts.
    { name: 'keyUsage', digitalSignature: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: SAN_URI, value: `${ADMIN_URI_PREFIX}${adminName}` },
        { type: SAN_URI, value: `${ADMIN_ROLE_URI_PREFIX}${role}` },
      ],
    },
    { name: 'subjectKeyIdentifier' },
    authorityKeyIdentifier(issuer.cert),
  ]);
  return signCertificate(cert, issuer.key);
}

/**
 * The administrator a certificate names. Requires exactly one admin URI with a valid name,
 * exactly one known role and no node URI; anything else is ERR_NOT_ADMIN_CERT. This reads the
 * identity only: the chain, revocation and assertClientCertificateUsage are checked separately.
 */
export function adminFromCertificate(cert: string | X509Certificate): AdminIdentity {
  let x509: X509Certificate;
  try {
    x509 = typeof cert === 'string' ? new X509Certificate(cert) : cert;
  } catch (cause) {
    throw new PkiError('ERR_NOT_ADMIN_CERT', 'not a readable X.509 certificate', { cause });
  }
  if (!(x509 instanceof X509Certificate)) throw new PkiError('ERR_NOT_ADMIN_CERT', 'not a certificate');
  if (x509.ca) throw new PkiError('ERR_NOT_ADMIN_CERT', 'a CA certificate is not an administrator');
  const uris = subjectAltNameUris(x509);
  const names = uris
    .filter((uri) => uri.startsWith(ADMIN_URI_PREFIX))
    .map((uri) => uri.slice(ADMIN_URI_PREFIX.length));
  const roles = uris
    .filter((uri) => uri.startsWith(ADMIN_ROLE_URI_PREFIX))
    .map((uri) => uri.slice(ADMIN_ROLE_URI_PREFIX.length));
  const others = uris.filter(
    (uri) =>
      uri.toLowerCase().startsWith('urn:khoj:') &&
      !uri.startsWith(ADMIN_URI_PREFIX) &&
      !uri.startsWith(ADMIN_ROLE_URI_PREFIX),
  );
  if (others.length > 0)
    throw new PkiError('ERR_NOT_ADMIN_CERT', `certificate also names ${others.join(', ')}`);
  if (names.length !== 1)
    throw new PkiError('ERR_NOT_ADMIN_CERT', `certificate names ${names.length} administrators`);
  if (roles.length !== 1)
    throw new PkiError('ERR_NOT_ADMIN_CERT', `certificate carries ${roles.length} admin roles`);
  const [name] = names as [string];
  const [role] = roles as [string];
  assertAdminName(name, 'ERR_NOT_ADMIN_CERT');
  if (!isAdminRole(role)) throw new PkiError('ERR_NOT_ADMIN_CERT', `unknown admin role ${role}`);
  return { name, role };
}

function assertAdminName(
  name: unknown,
  code: 'ERR_ADMIN_INVALID' | 'ERR_NOT_ADMIN_CERT',
): asserts name is string {
  if (typeof name !== 'string' || !ADMIN_NAME_PATTERN.test(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 70)) : typeof name;
    throw new PkiError(
      code,
      `not an administrator name (lowercase letters, digits, . _ @ -; at most 64): ${shown}`,
    );
  }
}

/** An RSA public KeyObject of at least MIN_RSA_BITS, as forge needs it to build a certificate. */
function rsaPublicKey(key: KeyObject): forge.pki.rsa.PublicKey {
  if (key?.type !== 'public' || key.asymmetricKeyType !== 'rsa') {
    throw new PkiError('ERR_KEY_INVALID', 'an admin certificate needs an RSA public key or a CSR');
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  const exponent = key.asymmetricKeyDetails?.publicExponent ?? 0n;
  if (bits < MIN_RSA_BITS || exponent < 65537n) {
    throw new PkiError('ERR_KEY_TOO_WEAK', `key is RSA-${bits}; at least RSA-${MIN_RSA_BITS} is required`);
  }
  return forge.pki.publicKeyFromPem(
    key.export({ type: 'spki', format: 'pem' }).toString(),
  ) as forge.pki.rsa.PublicKey;
}
