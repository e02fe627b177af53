// Everything the hub's routes need, built once at start-up and handed to them.
import { readFile } from 'node:fs/promises';
import { type JwsSigningKey, readPrivateJwk } from '@khoj/pki';
import { type DatabaseHandle, openDatabase } from '@khoj/platform';
import type { HubConfig } from './config.ts';
import * as schema from './db/schema/index.ts';
import { createInboxSignal, type InboxSignal } from './exchange/inbox-signal.ts';
import { hubPaths } from './home.ts';
import { createMemberRegistry, type MemberRegistry } from './trust/member-registry.ts';

export type HubServices = {
  config: HubConfig;
  db: DatabaseHandle<typeof schema>['db'];
  databaseKind: DatabaseHandle<typeof schema>['kind'];
  members: MemberRegistry;
  signingKey: JwsSigningKey;
  inboxSignal: InboxSignal;
  trustAnchorPem: string;
  clock: () => Date;
  log: (message: string) => void;
  close(): Promise<void>;
};

export const HUB_MIGRATIONS = new URL('../drizzle', import.meta.url).pathname;

export async function createHubServices(
  config: HubConfig,
  options: { clock?: () => Date; log?: (message: string) => void } = {},
): Promise<HubServices> {
  const paths = hubPaths(config.home);
  const log = options.log ?? ((message: string) => console.error(message));
  const privateJwk = await readPrivateJwk(paths.signingKey, 'Ed25519');
  if (!privateJwk.kid) throw new Error(`${paths.signingKey}: the hub signing key has no kid`);
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: paths.dataDir,
    migrationsFolder: HUB_MIGRATIONS,
    schema,
  });
  const members = createMemberRegistry({
    db: database.db,
    membersDir: paths.membersDir,
    trustAnchorPath: paths.trustAnchor,
    log,
  });
  await members.sync();
  return {
    config,
    db: database.db,
    databaseKind: database.kind,
    members,
    signingKey: { kid: privateJwk.kid, privateJwk },
    inboxSignal: createInboxSignal(),
    trustAnchorPem: await readFile(paths.trustAnchor, 'utf8'),
    clock: options.clock ?? (() => new Date()),
    log,
    close: () => database.close(),
  };
}
