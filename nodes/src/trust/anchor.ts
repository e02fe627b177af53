// The trust anchor a node is handed out of band before it enrols (`trust/anchor.json` in its
// home): the federation's root CA certificate, which every TLS connection to the hub is checked
// against, and the hub's configuration-signing public key, which every federation configuration
// must verify with. Nothing fetched from the hub can replace either.

import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { TrustAnchor } from '@khoj/contracts';

/** Parses an anchor file's text; throws naming what is wrong with it. */
export function parseTrustAnchor(text: string, source: string): TrustAnchor {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(
      `${source}: not JSON; an anchor file is what the hub administrator handed over (anchor.json)`,
    );
  }
  const parsed = TrustAnchor.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${source}: not a trust anchor: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const anchor = parsed.data;
  let root: X509Certificate;
  try {
    root = new X509Certificate(anchor.rootCertificatePem);
  } catch {
    throw new Error(`${source}: rootCertificatePem is not a readable X.509 certificate`);
  }
  if (!root.ca || !root.verify(root.publicKey)) {
    throw new Error(`${source}: rootCertificatePem is not a self-signed CA certificate`);
  }
  if (anchor.configSigningKey.crv !== 'Ed25519' || !anchor.configSigningKey.kid) {
    throw new Error(`${source}: configSigningKey must be an Ed25519 public key with a kid`);
  }
  return anchor;
}

/** The anchor at `path`, or undefined when the node has none (made before anchors existed). */
export function readTrustAnchorFile(path: string): TrustAnchor | undefined {
  if (!existsSync(path)) return undefined;
  return parseTrustAnchor(readFileSync(path, 'utf8'), path);
}
