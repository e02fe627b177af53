// `khoj federation init`: a new federation — root CA, issuing CA, the hub's TLS certificate and
// its signing key, and the trust anchor every member is given.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import {
  createIssuingCa,
  createRootCa,
  generateSigningKey,
  issueServerCertificate,
  writePrivateFile,
  writePrivateJwk,
  writePublicFile,
} from '@khoj/pki';
import { federationLayout } from './layout.ts';

export type InitOptions = { name?: string; hubHostnames?: string[]; hubAddresses?: string[] };

export async function initFederation(home: string, options: InitOptions = {}) {
  const layout = federationLayout(home);
  if (existsSync(layout.rootCaCert)) throw new Error(`a federation already exists in ${layout.root}`);
  const name = options.name ?? 'khoj federation';
  const root = createRootCa({ commonName: `${name} root CA` });
  const issuing = createIssuingCa(root, { commonName: `${name} issuing CA 1` });
  const server = issueServerCertificate(issuing, {
    commonName: 'khoj hub',
    dnsNames: options.hubHostnames ?? ['localhost'],
    ipAddresses: options.hubAddresses ?? ['127.0.0.1', '::1'],
  });
  const signing = await generateSigningKey();

  await writePublicFile(layout.rootCaCert, root.certPem);
  await writePrivateFile(layout.rootCaKey, root.keyPem);
  await writePublicFile(layout.issuingCaCert, issuing.certPem);
  await writePrivateFile(layout.issuingCaKey, issuing.keyPem);
  await writePublicFile(layout.hub.tlsCert, server.certPem + issuing.certPem);
  await writePrivateFile(layout.hub.tlsKey, server.keyPem);
  await writePublicFile(layout.hub.trustAnchor, root.certPem);
  await writePrivateJwk(layout.hub.signingKey, signing.privateJwk);
  return layout;
}

export async function readIssuingCa(home: string) {
  const layout = federationLayout(home);
  return {
    certPem: await readFile(layout.issuingCaCert, 'utf8'),
    keyPem: await readFile(layout.issuingCaKey, 'utf8'),
  };
}
