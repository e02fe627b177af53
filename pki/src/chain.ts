// Path validation for federation certificates: leaf -> issuing CA(s) -> the root the caller
// trusts. Signatures, issuer names and dates are checked with node:crypto (OpenSSL);
// forge is used only to read basicConstraints/keyUsage, which X509Certificate does not expose.

import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { PkiError } from './errors.ts';

export type ChainOptions = {
  /** PEM certificates that may sit between the leaf and the root (order does not matter). */
  intermediates: string[];
  /** PEM of the trust anchor. */
  root: string;
  now?: Date;
};

/**
 * Throws ERR_CERT_CHAIN_INVALID, ERR_CERT_EXPIRED or ERR_CERT_NOT_YET_VALID. The leaf must be
 * an end-entity certificate: a CA certificate is never accepted as a node or server identity.
 */
export function verifyCertificateChain(certPem: string, options: ChainOptions): void {
  const now = options.now ?? new Date();
  const leaf = parse(certPem, 'certificate');
  const root = parse(options.root, 'root');
  const pool = options.intermediates.map((pem) => parse(pem, 'intermediate'));

  if (leaf.ca) throw invalid('the certificate is a CA certificate, not an end-entity certificate');
  if (!root.ca) throw invalid('the root is not a CA certificate');

  // Walk up from the leaf; each intermediate may be used once, which also bounds the loop.
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  while (!issues(root, current)) {
    const index = pool.findIndex((candidate) => candidate.ca && issues(candidate, current));
    const next = index === -1 ? undefined : pool.splice(index, 1)[0];
    if (!next) throw invalid(`no trusted issuer for ${describe(current)}`);
    path.push(next);
    current = next;
  }
  path.push(root);

  checkCaConstraints(path);

  // Dates last, so a certificate from a foreign CA is reported as untrusted, not as expired.
  for (const cert of path) {
    if (now < cert.validFromDate) {
      throw new PkiError('ERR_CERT_NOT_YET_VALID', `${describe(cert)} is not valid before ${cert.validFrom}`);
    }
    if (now > cert.validToDate) {
      throw new PkiError('ERR_CERT_EXPIRED', `${describe(cert)} expired on ${cert.validTo}`);
    }
  }
}

function issues(issuer: X509Certificate, child: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Every issuer in the path must be allowed to sign certificates (keyUsage keyCertSign when the
 * extension is present) and must not have more CAs below it than its pathLenConstraint allows,
 * so the pathLen 0 on the issuing CA really stops it from minting sub-CAs.
 */
function checkCaConstraints(path: X509Certificate[]): void {
  // path[0] is the leaf; path[i] for i >= 1 are issuers, with i - 1 CA certificates below them.
  for (let i = 1; i < path.length; i++) {
    const cert = path[i] as X509Certificate;
    let parsed: forge.pki.Certificate;
    try {
      parsed = forge.pki.certificateFromPem(cert.toString());
    } catch (cause) {
      throw invalid(`cannot read the constraints of ${describe(cert)} (federation CAs are RSA)`, cause);
    }
    const usage = parsed.getExtension('keyUsage') as { keyCertSign?: boolean } | undefined;
    if (usage && !usage.keyCertSign) throw invalid(`${describe(cert)} may not sign certificates`);
    const constraints = parsed.getExtension('basicConstraints') as { pathLenConstraint?: number } | undefined;
    const pathLen = constraints?.pathLenConstraint;
    const casBelow = i - 1;
    if (typeof pathLen === 'number' && casBelow > pathLen) {
      throw invalid(
        `${describe(cert)} allows ${pathLen} CA certificate(s) below it, the path has ${casBelow}`,
      );
    }
  }
}

function parse(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (cause) {
    throw invalid(`the ${what} is not a readable X.509 certificate`, cause);
  }
}

function describe(cert: X509Certificate): string {
  const cn = /^CN=(.*)$/m.exec(cert.subject)?.[1];
  return cn ? `certificate "${cn}"` : 'certificate';
}

function invalid(message: string, cause?: unknown): PkiError {
  return new PkiError('ERR_CERT_CHAIN_INVALID', message, cause === undefined ? undefined : { cause });
}
