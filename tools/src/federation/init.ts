// `khoj federation init`: a new federation — a root CA whose key is stored only encrypted under
// a passphrase (the hub process never has it; `khoj ca …` asks for it), an issuing CA the hub
// issues node and administrator certificates with, the hub's TLS certificate, its receipt-signing
// and configuration-signing keys, and the anchor file every node operator is handed to enrol.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ensureConfigSigningKey, installCertificateAuthority } from '@khoj/hub';
import {
  createIssuingCa,
  createRootCa,
  generateSigningKey,
  issueServerCertificate,
  writePrivateFile,
  writePrivateJwk,
  writePublicFile,
} from '@khoj/pki';
import { readRootPassphrase } from '../trust/passphrase.ts';
import { federationLayout } from './layout.ts';

export type InitOptions = {
  name?: string;
  hubHostnames?: string[];
  hubAddresses?: string[];
  /**
   * Encrypts the root CA key (at least 12 characters). Absent (tests, scripts that never rotate
   * the issuing CA): a random one, returned once and stored nowhere.
   */
  rootKeyPassphrase?: string;
};

export async function initFederation(home: string, options: InitOptions = {}) {
  const layout = federationLayout(home);
  if (existsSync(layout.rootCaCert)) throw new Error(`a federation already exists in ${layout.root}`);
  const name = options.name ?? 'khoj federation';
  const rootKeyPassphrase = options.rootKeyPassphrase ?? randomBytes(24).toString('base64url');
  const root = createRootCa({ commonName: `${name} root CA` });
  const issuing = createIssuingCa(root, { commonName: `${name} issuing CA 1` });
  const server = issueServerCertificate(issuing, {
    commonName: 'khoj hub',
    dnsNames: options.hubHostnames ?? ['localhost'],
    ipAddresses: options.hubAddresses ?? ['127.0.0.1', '::1'],
  });
  const signing = await generateSigningKey();

  await writePublicFile(layout.hub.tlsCert, server.certPem + issuing.certPem);
  await writePrivateFile(layout.hub.tlsKey, server.keyPem);
  await writePrivateJwk(layout.hub.signingKey, signing.privateJwk);
  await installCertificateAuthority(layout.hub, { root, issuing, rootKeyPassphrase });
  await ensureConfigSigningKey(layout.hub);
  // Public copies for operators (openssl verify, curl --cacert); written last, as the marker
  // that the federation is complete.
  await writePublicFile(layout.issuingCaCert, issuing.certPem);
  await writePublicFile(layout.rootCaCert, root.certPem);
  return { ...layout, rootKeyPassphrase };
}

/** `khoj federation init`: refuses an existing federation before asking for the root passphrase. */
export async function initFederationCommand(home: string, options: Omit<InitOptions, 'rootKeyPassphrase'>) {
  const layout = federationLayout(home);
  if (existsSync(layout.rootCaCert)) throw new Error(`a federation already exists in ${layout.root}`);
  return initFederation(home, {
    ...options,
    rootKeyPassphrase: await readRootPassphrase({ choosing: true }),
  });
}
