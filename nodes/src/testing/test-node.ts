// Test fixture: a node home in a temporary directory (identity, certificate from a throwaway
// CA, signing and encryption keys), services over PGlite or a fresh PostgreSQL database, and
// helpers to make units, users and API tokens and to call the API as one of them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublicJwk, UnitInput } from '@khoj/contracts';
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
import { createToken, createUser } from '../access/accounts.ts';
import { type Action, permissionsOf, type Role } from '../access/permissions.ts';
import { createNodeApp } from '../app.ts';
import { federationMembers } from '../db/schema/index.ts';
import { insertUnit } from '../directory/units.store.ts';
import { nodePaths } from '../home.ts';
import { createNodeServices, type NodeServices } from '../services.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export async function createTestNode(
  nodeId: string,
  databaseUrl?: string,
  options: { redisUrl?: string } = {},
) {
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
      redisUrl: options.redisUrl,
      inboxWaitSeconds: 0,
      directoryRefreshSeconds: 30,
    },
    { log: () => undefined },
  );
  const app = createNodeApp(services);
  let counter = 0;

  const node = {
    services,
    app,
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
    async unit(input: Partial<UnitInput> & Pick<UnitInput, 'type'>) {
      return insertUnit(services.db, {
        name: `${input.type} ${++counter}`,
        country: 'IN',
        state: 'WB',
        district: 'Nadia',
        phones: [],
        emails: [],
        active: true,
        ...input,
      });
    },
    /** A user of `role` at `unitId`, and an API token for them with all the role's permissions. */
    async user(role: Role, unitId: string, options: { scopes?: Action[]; expiresAt?: Date } = {}) {
      const username = `${role.replaceAll('_', '.')}.${++counter}`;
      const user = await createUser(
        services.db,
        { username, displayName: username, role, unitId, password: TEST_PASSWORD },
        'test',
      );
      const scopes = options.scopes ?? permissionsOf(role);
      const { token, id } = await createToken(
        services.db,
        { username, name: 'test', scopes, expiresAt: options.expiresAt ?? new Date(Date.now() + 86_400_000) },
        'test',
      );
      return { user, token, tokenId: id, username };
    },
    /** Calls the API in-process as the holder of `token` (or anonymously). */
    request(
      token: string | undefined,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) {
      return app.request(path, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    },
    async cleanup() {
      await services.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return node;
}
export type TestNode = Awaited<ReturnType<typeof createTestNode>>;
