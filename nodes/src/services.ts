// Everything the node's routes and workers need, built once at start-up and handed to them.
import { readFile } from 'node:fs/promises';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type DatabaseHandle, openDatabase } from '@khoj/platform';
import {
  databaseSignInCounters,
  redisSignInCounters,
  type SignInCounters,
  withStandby,
} from './access/sign-in-counters.store.ts';
import type { NodeConfig } from './config.ts';
import * as schema from './db/schema/index.ts';
import { createDirectory, type Directory } from './exchange/directory.ts';
import type { RelayDispatcher } from './exchange/dispatch.ts';
import { createHubClient, type HubClient } from './exchange/hub-client.ts';
import { type NodeIdentity, type NodePaths, nodePaths, readNodeIdentity } from './home.ts';
import type { MatchDispatcher } from './matching/dispatch.ts';
import { readTrustAnchorFile } from './trust/anchor.ts';
import { createFederationTrust, type FederationTrust } from './trust/federation-trust.ts';
import { type OwnKeys, readOwnKeys } from './trust/own-keys.ts';
import { readTlsIdentity } from './trust/tls-identity.ts';

export type NodeServices = {
  config: NodeConfig;
  identity: NodeIdentity;
  paths: NodePaths;
  db: DatabaseHandle<typeof schema>['db'];
  databaseKind: DatabaseHandle<typeof schema>['kind'];
  hub: HubClient;
  directory: Directory;
  /** The signed federation configuration, as verified against this node's trust anchor. */
  trust: FederationTrust;
  /** Replaced in place when a key rotation is picked up (trust/trust-worker.ts). */
  keys: OwnKeys;
  /** Set once the relay dispatcher has started (see startNodeWorkers). */
  relay: Pick<RelayDispatcher, 'notify'>;
  /** Set once the matcher has started (see startNodeWorkers); wakes it for changed reports. */
  matching: Pick<MatchDispatcher, 'notify'>;
  /** The sign-in limits' counts, shared by every API process: Redis if configured, else the database. */
  signInCounters: SignInCounters;
  clock: () => Date;
  log: (message: string) => void;
  close(): Promise<void>;
};

export const NODE_MIGRATIONS = new URL('../drizzle', import.meta.url).pathname;
/** Contrib extensions the node's migrations create on PGlite (trigram similarity, for matching). */
export const NODE_PGLITE_EXTENSIONS = { pg_trgm };

export async function createNodeServices(
  config: NodeConfig,
  options: { clock?: () => Date; log?: (message: string) => void } = {},
): Promise<NodeServices> {
  const paths = nodePaths(config.home);
  const identity = readNodeIdentity(config.home);
  if (config.hubUrl) identity.hubUrl = config.hubUrl;
  const log = options.log ?? ((message: string) => console.error(message));
  const clock = options.clock ?? (() => new Date());
  const keys = await readOwnKeys(paths);
  const anchor = readTrustAnchorFile(paths.anchor);
  const hub = createHubClient({
    hubUrl: identity.hubUrl,
    ...(await readTlsIdentity(paths)),
    trustAnchorPem: anchor?.rootCertificatePem ?? (await readFile(paths.trustAnchor, 'utf8')),
  });
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: paths.dataDir,
    migrationsFolder: NODE_MIGRATIONS,
    extensions: NODE_PGLITE_EXTENSIONS,
    schema,
  });
  const databaseCounters = databaseSignInCounters(database.db, log);
  const signInCounters = config.redisUrl
    ? withStandby(
        redisSignInCounters(config.redisUrl, `khoj:${identity.nodeId}:sign-in:`),
        databaseCounters,
        log,
      )
    : databaseCounters;
  const trust = createFederationTrust({ db: database.db, hub, anchor, nodeId: identity.nodeId, clock, log });
  return {
    config,
    identity,
    paths,
    db: database.db,
    databaseKind: database.kind,
    hub,
    directory: createDirectory(database.db, trust),
    trust,
    keys,
    relay: { notify: () => undefined },
    matching: { notify: () => undefined },
    signInCounters,
    clock,
    log,
    async close() {
      await hub.close();
      await signInCounters.close();
      await database.close();
    },
  };
}
