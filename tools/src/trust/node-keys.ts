// `khoj node rotate-keys <ID>` and `khoj node renew <ID>`, run on the node machine over its home
// and its mutual-TLS identity. Rotation: new Ed25519 and X25519 keys, proofs that the node holds
// them (a signature by the new signing key; the hub's challenge decrypted with the new
// encryption key), published with POST /v1/keys; the replaced keys stay valid for the overlap.
// The new keys are kept aside until the hub has accepted them, so an interrupted rotation is
// finished by running the command again rather than lost. A running node picks the new keys and
// certificates up from its home at its next check.
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyChallenge, NodeKeys } from '@khoj/contracts';
import {
  createHubClient,
  installRotatedKeys,
  nodePaths,
  parseTrustAnchor,
  readNodeIdentity,
  readTlsIdentity,
  renewTlsCertificate,
} from '@khoj/node';
import {
  decryptForRecipient,
  type GeneralJwe,
  generateEncryptionKey,
  generateSigningKey,
  type PrivateJwk,
  parsePrivateJwk,
  readPrivateFile,
  signDetached,
  writePrivateFile,
} from '@khoj/pki';
import type { z } from 'zod';
import { federationLayout } from '../federation/layout.ts';
import { HubRefused, hubConnection } from './https.ts';

export type RotationOptions = {
  signing?: boolean;
  encryption?: boolean;
  /** Hours the replaced keys stay valid (default: the hub's, a week). */
  overlapHours?: number;
  print?: (line: string) => void;
  clock?: () => Date;
};

/** What a new signing key signs to prove the node holds it (the hub checks the same string). */
export function signingRotationInput(nodeId: string, kid: string): string {
  return `khoj-key-rotation/1:${nodeId}:${kid}`;
}

async function nodeContext(home: string, nodeId: string) {
  const paths = federationLayout(home).node(nodeId);
  if (!existsSync(paths.identity)) {
    throw new Error(`no node ${nodeId} in ${paths.home}: enrol it first (khoj node enrol ${nodeId} …)`);
  }
  if (!existsSync(paths.anchor)) {
    throw new Error(`${paths.anchor} is missing: this node was made before trust anchors; enrol it again`);
  }
  const identity = readNodeIdentity(paths.home);
  const anchor = parseTrustAnchor(await readFile(paths.anchor, 'utf8'), paths.anchor);
  return { paths, identity, anchor, tls: await readTlsIdentity(paths) };
}

export async function rotateNodeKeys(home: string, nodeId: string, options: RotationOptions = {}) {
  const print = options.print ?? ((line: string) => console.log(line));
  const clock = options.clock ?? (() => new Date());
  const which = {
    signing: options.signing ?? true,
    encryption: options.encryption ?? true,
  };
  if (!which.signing && !which.encryption)
    throw new Error('nothing to rotate: name --signing, --encryption or neither');
  const { paths, identity, anchor, tls } = await nodeContext(home, nodeId);
  const pendingPath = join(paths.home, 'keys', 'rotation-pending.json');
  const pending = existsSync(pendingPath)
    ? (JSON.parse(await readPrivateFile(pendingPath)) as { signing?: PrivateJwk; encryption?: PrivateJwk })
    : {
        ...(which.signing ? { signing: (await generateSigningKey()).privateJwk } : {}),
        ...(which.encryption ? { encryption: (await generateEncryptionKey()).privateJwk } : {}),
      };
  if (existsSync(pendingPath)) print('finishing the rotation an earlier run began');
  else await writePrivateFile(pendingPath, `${JSON.stringify(pending)}\n`);

  const signing = pending.signing ? parsePrivateJwk(pending.signing, 'Ed25519') : undefined;
  const encryption = pending.encryption ? parsePrivateJwk(pending.encryption, 'X25519') : undefined;
  const publicOf = (jwk: PrivateJwk) => {
    const { d: _private, ...rest } = jwk;
    return rest;
  };
  const hub = hubConnection(identity.hubUrl, { rootPem: anchor.rootCertificatePem, ...tls });
  try {
    const proofs: { signingKey?: string; encryptionKey?: string } = {};
    if (signing?.kid) {
      proofs.signingKey = await signDetached(signingRotationInput(nodeId, signing.kid), {
        kid: signing.kid,
        privateJwk: signing,
      });
    }
    if (encryption?.kid) {
      const { challenge } = await hub.call(KeyChallenge, 'POST', '/v1/keys/challenge', {
        body: { encryptionKey: publicOf(encryption) },
        doing: 'ask for a key challenge',
      });
      const answer = await decryptForRecipient(challenge as GeneralJwe, {
        kid: encryption.kid,
        privateJwk: encryption,
      });
      proofs.encryptionKey = new TextDecoder().decode(answer);
    }
    let keys: z.infer<typeof NodeKeys> | undefined;
    try {
      keys = await hub.call(NodeKeys, 'POST', '/v1/keys', {
        body: {
          ...(signing ? { signingKey: publicOf(signing) } : {}),
          ...(encryption ? { encryptionKey: publicOf(encryption) } : {}),
          proofs,
          ...(options.overlapHours !== undefined ? { overlapHours: options.overlapHours } : {}),
        },
        doing: 'publish the new keys',
      });
    } catch (error) {
      // The same keys again: an earlier run was accepted but ended before installing them.
      if (
        !(error instanceof HubRefused && error.code === 'KEY_ALREADY_PUBLISHED' && existsSync(pendingPath))
      ) {
        throw error;
      }
    }
    await installRotatedKeys(
      paths,
      { ...(signing ? { signing } : {}), ...(encryption ? { encryption } : {}) },
      clock(),
    );
    await rm(pendingPath, { force: true });
    print(
      [
        `${nodeId}: new keys published${keys ? ` in federation configuration version ${keys.configVersion}` : ''} and installed`,
        ...(signing ? [`    signing key     ${signing.kid}`] : []),
        ...(encryption
          ? [`    encryption key  ${encryption.kid} (the previous one is kept to open what was sealed to it)`]
          : []),
        'A running node picks them up within one configuration refresh.',
      ].join('\n'),
    );
    return { signingKid: signing?.kid, encryptionKid: encryption?.kid, keys };
  } finally {
    await hub.close();
  }
}

/** Renews the node's certificate now (the running node renews by itself at two thirds of its lifetime). */
export async function renewNodeCertificate(
  home: string,
  nodeId: string,
  print = (line: string) => console.log(line),
) {
  const { paths, identity, anchor, tls } = await nodeContext(home, nodeId);
  const hub = createHubClient({ hubUrl: identity.hubUrl, ...tls, trustAnchorPem: anchor.rootCertificatePem });
  try {
    await renewTlsCertificate({
      hub,
      paths: nodePaths(paths.home),
      nodeId,
      rootPem: anchor.rootCertificatePem,
      clock: () => new Date(),
      log: print,
    });
    print(`${nodeId}: a running node presents the new certificate from its next check on`);
  } finally {
    await hub.close();
  }
}
