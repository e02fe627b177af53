// Everything the node's routes and workers need, built once at start-up and handed to them.
import { readFile } from 'node:fs/promises';
import {
  type JweDecryptionKey,
  type JwsSigningKey,
  type PrivateJwk,
  readPrivateFile,
  readPrivateJwk,
} from '@khoj/pki';
import { type DatabaseHandle, openDatabase } from '@khoj/platform';
import type { NodeConfig } from './config.ts';
import * as schema from './db/schema/index.ts';
import { createDirectory, type Directory } from './exchange/directory.ts';
import type { RelayDispatcher } from './exchange/dispatch.ts';
import { createHubClient, type HubClient } from './exchange/hub-client.ts';
import { type NodeIdentity, nodePaths, readNodeIdentity } from './home.ts';

export type NodeServices = {
  config: NodeConfig;
  identity: NodeIdentity;
  db: DatabaseHandle<typeof schema>['db'];
  databaseKind: DatabaseHandle<typeof schema>['kind'];
  hub: HubClient;
  directory: Directory;
  keys: { signing: JwsSigningKey; encryption: JweDecryptionKey };
  /** Set once the relay dispatcher has started (see startNodeWorkers). */
  relay: Pick<RelayDispatcher, 'notify'>;
  clock: () => Date;
  log: (message: string) => void;
  close(): Promise<void>;
};

export const NODE_MIGRATIONS = new URL('../drizzle', import.meta.url).pathname;

export async function createNodeServices(
  config: NodeConfig,
  options: { clock?: () => Date; log?: (message: string) => void } = {},
): Promise<NodeServices> {
  const paths = nodePaths(config.home);
  const identity = readNodeIdentity(config.home);
  if (config.hubUrl) identity.hubUrl = config.hubUrl;
  const log = options.log ?? ((message: string) => console.error(message));
  const [signing, encryption] = await Promise.all([
    readPrivateJwk(paths.signingKey, 'Ed25519'),
    readPrivateJwk(paths.encryptionKey, 'X25519'),
  ]);
  const hub = createHubClient({
    hubUrl: identity.hubUrl,
    certPem: await readFile(paths.tlsCert, 'utf8'),
    keyPem: await readPrivateFile(paths.tlsKey),
    trustAnchorPem: await readFile(paths.trustAnchor, 'utf8'),
  });
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: paths.dataDir,
    migrationsFolder: NODE_MIGRATIONS,
    schema,
  });
  return {
    config,
    identity,
    db: database.db,
    databaseKind: database.kind,
    hub,
    directory: createDirectory(database.db, hub),
    keys: {
      signing: withKid(signing, paths.signingKey),
      encryption: withKid(encryption, paths.encryptionKey),
    },
    relay: { notify: () => undefined },
    clock: options.clock ?? (() => new Date()),
    log,
    async close() {
      await hub.close();
      await database.close();
    },
  };
}

function withKid(privateJwk: PrivateJwk, path: string): { kid: string; privateJwk: PrivateJwk } {
  if (!privateJwk.kid) throw new Error(`${path}: key has no kid`);
  return { kid: privateJwk.kid, privateJwk };
}
