// Everything the hub's routes need, built once at start-up and handed to them. The CLI builds
// the same services to call the trust and admin domain functions (see admin/index.ts).
import { readFile } from 'node:fs/promises';
import { type JwsSigningKey, readPrivateJwk } from '@khoj/pki';
import { ApiError, type DatabaseHandle, openDatabase } from '@khoj/platform';
import { DEFAULT_TRUST_SETTINGS, type HubConfig, type TrustSettings } from './config.ts';
import * as schema from './db/schema/index.ts';
import { createInboxSignal, type InboxSignal } from './exchange/inbox-signal.ts';
import { createEnvelopeIngest, type EnvelopeIngest } from './exchange/ingest.ts';
import { type HubPaths, hubPaths } from './home.ts';
import { ensureTransparencyLog } from './transparency/log.store.ts';
import { ensureConfigSigningKey } from './trust/anchor.ts';
import { currentIssuingCa, type IssuingCa, loadIssuingCas } from './trust/ca-store.ts';
import { createMemberRegistry, type MemberRegistry } from './trust/member-registry.ts';

export type HubServices = {
  config: HubConfig;
  trust: TrustSettings;
  paths: HubPaths;
  db: DatabaseHandle<typeof schema>['db'];
  databaseKind: DatabaseHandle<typeof schema>['kind'];
  members: MemberRegistry;
  signingKey: JwsSigningKey;
  /** Signs the federation configuration; its public half is in the anchor file. */
  configSigningKey: JwsSigningKey;
  ca: CertificateAuthority;
  inboxSignal: InboxSignal;
  /** Stores accepted envelopes with their transparency-log entries (group commit). */
  ingest: EnvelopeIngest;
  trustAnchorPem: string;
  clock: () => Date;
  log: (message: string) => void;
  close(): Promise<void>;
};

/** The issuing CAs in the hub home, re-read on each use so a rotation by the CLI takes effect. */
export type CertificateAuthority = {
  issuingCas(): Promise<IssuingCa[]>;
  /** The issuing CA new certificates come from; CA_UNAVAILABLE when the home has none valid. */
  current(now: Date): Promise<IssuingCa>;
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
  const configSigningKey = await ensureConfigSigningKey(paths);
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
  await ensureTransparencyLog(database.db);
  const ingest = createEnvelopeIngest(database.db);
  return {
    config,
    trust: { ...DEFAULT_TRUST_SETTINGS, ...config.trust },
    paths,
    db: database.db,
    databaseKind: database.kind,
    members,
    signingKey: { kid: privateJwk.kid, privateJwk },
    configSigningKey,
    ca: certificateAuthority(paths),
    inboxSignal: createInboxSignal(),
    ingest,
    trustAnchorPem: await readFile(paths.trustAnchor, 'utf8'),
    clock: options.clock ?? (() => new Date()),
    log,
    async close() {
      await ingest.idle();
      await database.close();
    },
  };
}

function certificateAuthority(paths: HubPaths): CertificateAuthority {
  return {
    issuingCas: () => loadIssuingCas(paths),
    async current(now) {
      const current = currentIssuingCa(await loadIssuingCas(paths), now);
      if (!current) {
        throw new ApiError(
          'CA_UNAVAILABLE',
          'the hub has no valid issuing CA (install one with the khoj CLI)',
        );
      }
      return current;
    },
  };
}
