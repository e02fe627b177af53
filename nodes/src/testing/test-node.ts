// Test fixture: a node home in a temporary directory (identity, certificate from a throwaway
// CA, signing and encryption keys), and services over PGlite or a fresh PostgreSQL database.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublicJwk } from '@khoj/contracts';
import {
  createCsr,
  createIssuingCa,
  createRootCa,
  generateEncryptionKey,
  generateSigningKey,
  issueNodeCertificate,
  writePrivateFile,
  writePrivateJwk,
  writePublicFile,
} from '@khoj/pki';
import { federationMembers } from '../db/schema/index.ts';
import { nodePaths } from '../home.ts';
import { createNodeServices, type NodeServices } from '../services.ts';

export async function createTestNode(nodeId: string, databaseUrl?: string) {
  const dir = await mkdtemp(join(tmpdir(), 'khoj-node-test-'));
  const paths = nodePaths(dir);
  const root = createRootCa({ commonName: 'test root', keyBits: 3072 });
  const issuing = createIssuingCa(root, { commonName: 'test issuing' });
  const csr = createCsr({ nodeId });
  await writePublicFile(
    paths.tlsCert,
    issueNodeCertificate(issuing, csr.csrPem, { nodeId }) + issuing.certPem,
  );
  await writePrivateFile(paths.tlsKey, csr.keyPem);
  await writePublicFile(paths.trustAnchor, root.certPem);
  await writePrivateJwk(paths.signingKey, (await generateSigningKey()).privateJwk);
  await writePrivateJwk(paths.encryptionKey, (await generateEncryptionKey()).privateJwk);
  await writePublicFile(
    paths.identity,
    JSON.stringify({ nodeId, displayName: nodeId, hubUrl: 'https://127.0.0.1:9' }),
  );
  const services: NodeServices = await createNodeServices(
    {
      home: dir,
      host: '127.0.0.1',
      port: 0,
      hubUrl: undefined,
      databaseUrl,
      redisUrl: undefined,
      inboxWaitSeconds: 0,
      directoryRefreshSeconds: 30,
    },
    { log: () => undefined },
  );
  return {
    services,
    /** Put members into the node's copy of the federation directory, as a refresh would. */
    async addMembers(...nodeIds: string[]) {
      for (const memberId of nodeIds) {
        const encryption = await generateEncryptionKey();
        const signing = await generateSigningKey();
        await services.db.insert(federationMembers).values({
          nodeId: memberId,
          displayName: memberId,
          signingKeys: [{ ...signing.publicJwk, kid: signing.kid } as PublicJwk],
          encryptionKeys: [{ ...encryption.publicJwk, kid: encryption.kid } as PublicJwk],
        });
      }
    },
    async cleanup() {
      await services.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
