// `khoj node create <ID>`: a node's identity — TLS key and CSR, a certificate issued by the
// federation's issuing CA, Ed25519 signing and X25519 encryption keys — and its registration
// at the hub. (The enrolment flow with approval replaces the direct issuance.)
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MemberRegistration } from '@khoj/hub';
import type { NodeIdentity } from '@khoj/node';
import {
  assertNodeId,
  createCsr,
  generateEncryptionKey,
  generateSigningKey,
  issueNodeCertificate,
  readPrivateFile,
  writePrivateFile,
  writePrivateJwk,
  writePublicFile,
} from '@khoj/pki';
import { federationLayout } from './layout.ts';

export type CreateNodeOptions = { displayName?: string; hubUrl: string };

export async function createNode(home: string, nodeId: string, options: CreateNodeOptions) {
  assertNodeId(nodeId);
  const layout = federationLayout(home);
  if (!existsSync(layout.issuingCaCert))
    throw new Error(`no federation in ${layout.root}: run \`khoj federation init\` first`);
  const paths = layout.node(nodeId);
  if (existsSync(paths.identity)) throw new Error(`node ${nodeId} already exists in ${paths.home}`);

  const issuing = {
    certPem: await readFile(layout.issuingCaCert, 'utf8'),
    keyPem: await readPrivateFile(layout.issuingCaKey),
  };
  const csr = createCsr({ nodeId });
  const certPem = issueNodeCertificate(issuing, csr.csrPem, { nodeId });
  const [signing, encryption] = await Promise.all([generateSigningKey(), generateEncryptionKey()]);
  const identity: NodeIdentity = {
    nodeId,
    displayName: options.displayName ?? nodeId,
    hubUrl: options.hubUrl,
  };

  await writePrivateFile(paths.tlsKey, csr.keyPem);
  await writePublicFile(paths.tlsCert, certPem + issuing.certPem);
  await writePublicFile(paths.trustAnchor, await readFile(layout.rootCaCert, 'utf8'));
  await writePrivateJwk(paths.signingKey, signing.privateJwk);
  await writePrivateJwk(paths.encryptionKey, encryption.privateJwk);
  await writePublicFile(paths.identity, `${JSON.stringify(identity, null, 2)}\n`);

  const registration: MemberRegistration = {
    nodeId,
    displayName: identity.displayName,
    certificatePem: certPem + issuing.certPem,
    signingKey: { ...signing.publicJwk, kid: signing.kid },
    encryptionKey: { ...encryption.publicJwk, kid: encryption.kid },
  };
  await writePublicFile(
    join(layout.hub.membersDir, `${nodeId}.json`),
    `${JSON.stringify(registration, null, 2)}\n`,
  );
  return { paths, identity, registration };
}
