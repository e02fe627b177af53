// The hub's configuration-signing key and the anchor file. The anchor is what a node operator
// receives out of band before enrolling: the root CA certificate (to check the hub's TLS
// certificate and every chain) and the public key that signs the federation configuration.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PublicJwk, TrustAnchor } from '@khoj/contracts';
import {
  generateSigningKey,
  type JwsSigningKey,
  readPrivateJwk,
  toPublicJwk,
  writePrivateJwk,
  writePublicFile,
} from '@khoj/pki';
import type { HubPaths } from '../home.ts';

/**
 * Loads the configuration-signing key, making it (and the anchor file) when the home has none:
 * homes made before the signed configuration existed get one at their first start. The anchor
 * file is rewritten whenever it does not match the key and root, so it is never stale.
 */
export async function ensureConfigSigningKey(paths: HubPaths): Promise<JwsSigningKey> {
  if (!existsSync(paths.configSigningKey)) {
    await writePrivateJwk(paths.configSigningKey, (await generateSigningKey()).privateJwk);
  }
  const privateJwk = await readPrivateJwk(paths.configSigningKey, 'Ed25519');
  if (!privateJwk.kid) throw new Error(`${paths.configSigningKey}: the configuration-signing key has no kid`);
  const anchor: TrustAnchor = {
    rootCertificatePem: await readFile(paths.trustAnchor, 'utf8'),
    configSigningKey: PublicJwk.parse({ ...toPublicJwk(privateJwk), kid: privateJwk.kid }),
  };
  const current = existsSync(paths.anchor) ? await readFile(paths.anchor, 'utf8') : '';
  const wanted = `${JSON.stringify(anchor, null, 2)}\n`;
  if (current !== wanted) await writePublicFile(paths.anchor, wanted);
  return { kid: privateJwk.kid, privateJwk };
}

/** Reads and validates an anchor file (the node side reads the same format). */
export async function readTrustAnchor(path: string): Promise<TrustAnchor> {
  return TrustAnchor.parse(JSON.parse(await readFile(path, 'utf8')));
}
