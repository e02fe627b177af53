// The hub's home directory: where `khoj federation init` puts its certificate, keys and trust
// anchor, and where the embedded database lives. One layout, named once.
//
//   tls/server.cert.pem, server.key.pem   the hub's HTTPS certificate (leaf + issuing CA) and key
//   trust/federation-root.cert.pem        the root CA certificate (trust anchor of every TLS check)
//   trust/anchor.json                     root certificate + configuration-signing public key: what
//                                         a node operator is handed out of band to enrol
//   keys/hub-signing.jwk.json             Ed25519 key signing envelope receipts
//   keys/config-signing.jwk.json          Ed25519 key signing the federation configuration
//   ca/root.key.enc.pem                   the root CA key, encrypted (PKCS#8, passphrase); only the
//                                         CLI opens it, to sign a new issuing CA
//   ca/issuing/<serial>.cert.pem, .key.pem  issuing CAs the hub issues with (newest valid = current)
//   members/                              registration files (until every node enrols)
//   data/                                 the embedded database
import { join } from 'node:path';

export function hubPaths(home: string) {
  return {
    home,
    tlsCert: join(home, 'tls', 'server.cert.pem'),
    tlsKey: join(home, 'tls', 'server.key.pem'),
    trustAnchor: join(home, 'trust', 'federation-root.cert.pem'),
    anchor: join(home, 'trust', 'anchor.json'),
    signingKey: join(home, 'keys', 'hub-signing.jwk.json'),
    configSigningKey: join(home, 'keys', 'config-signing.jwk.json'),
    ca: {
      rootKeyEncrypted: join(home, 'ca', 'root.key.enc.pem'),
      issuingDir: join(home, 'ca', 'issuing'),
    },
    membersDir: join(home, 'members'),
    dataDir: join(home, 'data'),
  };
}
export type HubPaths = ReturnType<typeof hubPaths>;
