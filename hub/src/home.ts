// The hub's home directory: where `khoj federation init` puts its certificate, keys and trust
// anchor, and where the embedded database lives. One layout, named once.
import { join } from 'node:path';

export function hubPaths(home: string) {
  return {
    home,
    tlsCert: join(home, 'tls', 'server.cert.pem'),
    tlsKey: join(home, 'tls', 'server.key.pem'),
    trustAnchor: join(home, 'trust', 'federation-root.cert.pem'),
    signingKey: join(home, 'keys', 'hub-signing.jwk.json'),
    membersDir: join(home, 'members'),
    dataDir: join(home, 'data'),
  };
}
export type HubPaths = ReturnType<typeof hubPaths>;
