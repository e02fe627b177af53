// A node's home directory: where `khoj node create` puts its identity, certificate, keys and
// trust anchor, and where the embedded database lives. One layout, named once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeId } from '@khoj/contracts';
import { z } from 'zod';

export function nodePaths(home: string) {
  return {
    home,
    identity: join(home, 'node.json'),
    tlsCert: join(home, 'tls', 'client.cert.pem'),
    tlsKey: join(home, 'tls', 'client.key.pem'),
    trustAnchor: join(home, 'trust', 'federation-root.cert.pem'),
    /** Root certificate + configuration-signing key, as handed over for `khoj node enrol`. */
    anchor: join(home, 'trust', 'anchor.json'),
    /** An enrolment waiting for approval (`khoj node enrol` run again fetches its certificate). */
    enrolment: join(home, 'enrolment.json'),
    signingKey: join(home, 'keys', 'signing.jwk.json'),
    encryptionKey: join(home, 'keys', 'encryption.jwk.json'),
    /** Encryption keys replaced by a rotation, kept to open envelopes sealed to them. */
    retiredKeysDir: join(home, 'keys', 'retired'),
    dataDir: join(home, 'data'),
  };
}
export type NodePaths = ReturnType<typeof nodePaths>;

/** `node.json`: who this node is and where its hub is. */
export const NodeIdentity = z.object({
  nodeId: NodeId,
  displayName: z.string().min(1),
  hubUrl: z.url(),
});
export type NodeIdentity = z.infer<typeof NodeIdentity>;

export function readNodeIdentity(home: string): NodeIdentity {
  const path = nodePaths(home).identity;
  const parsed = NodeIdentity.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new Error(
      `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
