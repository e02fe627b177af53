// This node's own signing and encryption keys on disk, and their rotation. A rotation is
// published at the hub first (POST /v1/keys); only then are the new keys put in place, the
// replaced encryption key moved to `keys/retired/` (envelopes sealed to it before the switch must
// still open) and the running node picks them up at its next check (reloadOwnKeys).
import { existsSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type JweDecryptionKey,
  type JwsSigningKey,
  type PrivateJwk,
  readPrivateJwk,
  writePrivateJwk,
} from '@khoj/pki';
import type { NodePaths } from '../home.ts';

export type OwnKeys = {
  signing: JwsSigningKey;
  encryption: JweDecryptionKey;
  /** Encryption keys replaced by rotations, newest first. */
  retired: JweDecryptionKey[];
};

export async function readOwnKeys(paths: NodePaths): Promise<OwnKeys> {
  const [signing, encryption] = await Promise.all([
    readPrivateJwk(paths.signingKey, 'Ed25519'),
    readPrivateJwk(paths.encryptionKey, 'X25519'),
  ]);
  const retired: JweDecryptionKey[] = [];
  const files = existsSync(paths.retiredKeysDir) ? await readdir(paths.retiredKeysDir) : [];
  for (const file of files
    .filter((name) => name.endsWith('.jwk.json'))
    .sort()
    .reverse()) {
    const path = join(paths.retiredKeysDir, file);
    retired.push(withKid(await readPrivateJwk(path, 'X25519'), path));
  }
  return {
    signing: withKid(signing, paths.signingKey),
    encryption: withKid(encryption, paths.encryptionKey),
    retired,
  };
}

/** Every key this node can decrypt with, current first. */
export function decryptionKeys(keys: Pick<OwnKeys, 'encryption' | 'retired'>): JweDecryptionKey[] {
  return [keys.encryption, ...(keys.retired ?? [])];
}

/**
 * Puts rotated keys in place (after the hub has published them). The replaced encryption key is
 * kept under `keys/retired/<time>-<kid>.jwk.json`; a replaced signing key is no longer needed
 * (its signatures stay verifiable from its public half in the federation configuration).
 */
export async function installRotatedKeys(
  paths: NodePaths,
  keys: { signing?: PrivateJwk; encryption?: PrivateJwk },
  now: Date,
): Promise<void> {
  if (keys.encryption) {
    const previous = await readPrivateJwk(paths.encryptionKey, 'X25519');
    await mkdir(paths.retiredKeysDir, { recursive: true, mode: 0o700 });
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    await writePrivateJwk(join(paths.retiredKeysDir, `${stamp}-${previous.kid ?? 'key'}.jwk.json`), previous);
    // Written to a temporary file and renamed: a reader sees the old key or the new one.
    await writePrivateJwk(paths.encryptionKey, keys.encryption);
  }
  if (keys.signing) await writePrivateJwk(paths.signingKey, keys.signing);
}

/** A fingerprint of the key files' state, to notice a rotation made by the CLI. */
export async function ownKeysStamp(paths: NodePaths): Promise<string> {
  const times = await Promise.all(
    [paths.signingKey, paths.encryptionKey, paths.retiredKeysDir].map(async (path) =>
      existsSync(path) ? (await stat(path)).mtimeMs : 0,
    ),
  );
  return times.join(':');
}

function withKid(privateJwk: PrivateJwk, path: string): { kid: string; privateJwk: PrivateJwk } {
  if (!privateJwk.kid) throw new Error(`${path}: key has no kid`);
  return { kid: privateJwk.kid, privateJwk };
}
