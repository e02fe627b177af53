// `khoj node create <ID>`: a node made on the hub machine without the enrolment flow — its TLS
// key and CSR, a certificate from the hub's current issuing CA, Ed25519 signing and X25519
// encryption keys, the trust anchor, and a registration file the hub reads from its members
// directory. For demos and tests on one machine; a real node enrols (`khoj node enrol`), so
// that its keys never leave it and administrators approve it.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { currentIssuingCa, loadIssuingCas, type MemberRegistration } from '@khoj/hub';
import type { NodeIdentity } from '@khoj/node';
import {
  assertNodeId,
  createCsr,
  generateEncryptionKey,
  generateSigningKey,
  issueNodeCertificate,
  writePrivateFile,
  writePrivateJwk,
  writePublicFile,
} from '@khoj/pki';
import { federationLayout } from './layout.ts';

export type CreateNodeOptions = { displayName?: string; hubUrl: string };

export async function createNode(home: string, nodeId: string, options: CreateNodeOptions) {
  assertNodeId(nodeId);
  const layout = federationLayout(home);
  if (!existsSync(layout.rootCaCert))
    throw new Error(`no federation in ${layout.root}: run \`khoj federation init\` first`);
  if (!existsSync(layout.anchor)) {
    throw new Error(
      `${layout.root} was made by an older khoj (no anchor file); make a new federation with \`khoj federation init\``,
    );
  }
  const paths = layout.node(nodeId);
  if (existsSync(paths.identity)) throw new Error(`node ${nodeId} already exists in ${paths.home}`);

  const issuing = currentIssuingCa(await loadIssuingCas(layout.hub), new Date());
  if (!issuing) throw new Error('the hub has no valid issuing CA: run `khoj ca rotate-issuing`');
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
  await writePublicFile(paths.anchor, await readFile(layout.anchor, 'utf8'));
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
