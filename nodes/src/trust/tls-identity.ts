// The node's TLS client identity on disk (`tls/client.key.pem` and `tls/client.cert.pem`: leaf
// followed by the issuing CA) and how it is replaced at enrolment and renewal. The key and the
// certificate must always match: a new pair is written beside the old one as `*.new`, then the
// key and the certificate are renamed into place, and whoever reads the pair first finishes a
// replacement a crash interrupted. A certificate from the hub is taken only if it chains to the
// anchor's root, names this node and certifies this key.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import {
  nodeIdFromCertificate,
  readPrivateFile,
  verifyCertificateChain,
  writePrivateFile,
  writePublicFile,
} from '@khoj/pki';
import type { NodePaths } from '../home.ts';

export type TlsIdentity = { certPem: string; keyPem: string };

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle, leaf first. */
export function pemCertificates(bundle: string): string[] {
  return bundle.match(PEM_CERTIFICATE) ?? [];
}

export function certificateMatchesKey(certPem: string, keyPem: string): boolean {
  try {
    const [leaf] = pemCertificates(certPem);
    if (!leaf) return false;
    return new X509Certificate(leaf).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/**
 * Checks a certificate (leaf + issuing CA) the hub issued for this node: it chains to `rootPem`,
 * is valid at `now`, names `nodeId` and certifies the public half of `keyPem`.
 */
export function checkIssuedCertificate(
  certificatePem: string,
  expected: { keyPem: string; nodeId: string; rootPem: string; now: Date },
): void {
  const [leaf, ...intermediates] = pemCertificates(certificatePem);
  if (!leaf) throw new Error('the hub returned no certificate');
  verifyCertificateChain(leaf, { intermediates, root: expected.rootPem, now: expected.now });
  const named = nodeIdFromCertificate(leaf);
  if (named !== expected.nodeId) {
    throw new Error(`the hub returned a certificate for ${named}, not for ${expected.nodeId}`);
  }
  if (!certificateMatchesKey(leaf, expected.keyPem)) {
    throw new Error('the hub returned a certificate for another key than the one this node holds');
  }
}

/** Reads the pair, finishing an interrupted replacement first; refuses a key and certificate that differ. */
export async function readTlsIdentity(paths: NodePaths): Promise<TlsIdentity> {
  await finishReplacement(paths);
  const [certPem, keyPem] = await Promise.all([
    readFile(paths.tlsCert, 'utf8'),
    readPrivateFile(paths.tlsKey),
  ]);
  if (!certificateMatchesKey(certPem, keyPem)) {
    throw new Error(`${paths.tlsCert} does not certify the key in ${paths.tlsKey}`);
  }
  return { certPem, keyPem };
}

/** Replaces the pair (see the header for the order of writes). */
export async function installTlsIdentity(paths: NodePaths, identity: TlsIdentity): Promise<void> {
  if (!certificateMatchesKey(identity.certPem, identity.keyPem)) {
    throw new Error('refusing to install a certificate that does not certify its key');
  }
  await writePrivateFile(`${paths.tlsKey}.new`, identity.keyPem);
  await writePublicFile(`${paths.tlsCert}.new`, identity.certPem);
  await rename(`${paths.tlsKey}.new`, paths.tlsKey);
  await rename(`${paths.tlsCert}.new`, paths.tlsCert);
}

/** Modification time of the certificate file: a change means someone installed a new pair. */
export async function tlsIdentityStamp(paths: NodePaths): Promise<number> {
  return existsSync(paths.tlsCert) ? (await stat(paths.tlsCert)).mtimeMs : 0;
}

async function finishReplacement(paths: NodePaths): Promise<void> {
  const keyNew = `${paths.tlsKey}.new`;
  const certNew = `${paths.tlsCert}.new`;
  if (!existsSync(certNew)) {
    // A key without its certificate was never put in place: the old pair is intact.
    if (existsSync(keyNew)) await rm(keyNew, { force: true });
    return;
  }
  const cert = await readFile(certNew, 'utf8');
  const keyPath = existsSync(keyNew) ? keyNew : paths.tlsKey;
  if (certificateMatchesKey(cert, await readPrivateFile(keyPath))) {
    if (keyPath === keyNew) await rename(keyNew, paths.tlsKey);
    await rename(certNew, paths.tlsCert);
  } else {
    await rm(certNew, { force: true });
    await rm(keyNew, { force: true });
  }
}
