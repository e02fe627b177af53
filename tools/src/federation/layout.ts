// Where a federation made by the CLI lives on disk (`.khoj/` by default): the CAs, the hub's
// home and one home per node.
import { join, resolve } from 'node:path';
import { hubPaths } from '@khoj/hub';
import { nodePaths } from '@khoj/node';

export function federationLayout(home: string) {
  const root = resolve(home);
  return {
    root,
    rootCaCert: join(root, 'ca', 'root.cert.pem'),
    rootCaKey: join(root, 'ca', 'root.key.pem'),
    issuingCaCert: join(root, 'ca', 'issuing.cert.pem'),
    issuingCaKey: join(root, 'ca', 'issuing.key.pem'),
    hub: hubPaths(join(root, 'hub')),
    node: (nodeId: string) => nodePaths(join(root, 'nodes', nodeId)),
    nodesDir: join(root, 'nodes'),
  };
}
export type FederationLayout = ReturnType<typeof federationLayout>;
