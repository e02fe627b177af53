// Where a federation made by the CLI lives on disk (`.khoj/` by default): public copies of the
// CA certificates, the hub's home (which holds the CA keys: the root key encrypted, the issuing
// CAs, and the anchor file handed to node operators) and one home per node.
import { join, resolve } from 'node:path';
import { hubPaths } from '@khoj/hub';
import { nodePaths } from '@khoj/node';

export function federationLayout(home: string) {
  const root = resolve(home);
  const hub = hubPaths(join(root, 'hub'));
  return {
    root,
    rootCaCert: join(root, 'ca', 'root.cert.pem'),
    /** The first issuing CA's certificate (public); the current ones live in the hub home. */
    issuingCaCert: join(root, 'ca', 'issuing.cert.pem'),
    /** Made by an older khoj, which kept the root key unencrypted here; refused now. */
    legacyRootCaKey: join(root, 'ca', 'root.key.pem'),
    /** Root certificate + configuration-signing key: what a node operator is handed to enrol. */
    anchor: hub.anchor,
    hub,
    node: (nodeId: string) => nodePaths(join(root, 'nodes', nodeId)),
    nodesDir: join(root, 'nodes'),
  };
}
export type FederationLayout = ReturnType<typeof federationLayout>;
