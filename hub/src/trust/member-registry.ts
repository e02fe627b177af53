// The hub's view of federation members: the members table with every certificate and key, filled
// by enrolment and (until every node enrols) from registration files, read at start and again
// when an unknown certificate calls (a node created after the hub started). Requests read a copy
// of the trust tables that is checked against the newest configuration version on every request
// (trust-snapshot.ts), so a revocation or suspension counts from the next request.
import { readFile } from 'node:fs/promises';
import type { PublicJwk } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import type * as schema from '../db/schema/index.ts';
import {
  type CertificateHolder,
  findCertificateHolder,
  findMember,
  keysValidAt,
  listMembers,
  upsertMembers,
} from './members.store.ts';
import { readRegistrations } from './registration.ts';
import { createTrustSnapshots, type TrustSnapshot } from './trust-snapshot.ts';

/** Unknown certificates trigger at most one re-read of the members directory per interval. */
const RESCAN_INTERVAL_MS = 2_000;

export type MemberRegistry = ReturnType<typeof createMemberRegistry>;

export function createMemberRegistry(options: {
  db: Database<typeof schema>;
  membersDir: string;
  trustAnchorPath: string;
  log: (message: string) => void;
}) {
  let lastScan = 0;
  const snapshots = createTrustSnapshots(options.db);

  async function sync(): Promise<void> {
    lastScan = Date.now();
    const rootPem = await readFile(options.trustAnchorPath, 'utf8');
    const registrations = await readRegistrations(options.membersDir, rootPem, options.log);
    await upsertMembers(options.db, registrations, options.log);
    // Registration files publish no configuration version: drop the copy explicitly.
    snapshots.invalidate();
  }

  /**
   * Who holds the certificate with this fingerprint, and whether it is revoked; with the trust
   * copy it was read from, for the rest of the request (signing keys, policy).
   */
  async function identify(
    fingerprint: string,
  ): Promise<{ holder: CertificateHolder | undefined; trust: TrustSnapshot }> {
    const trust = await snapshots.get();
    const known = trust.holder(fingerprint);
    if (known) return { holder: known, trust };
    // Not in the copy: registered from a file since (by this or another hub process), or unknown.
    let holder = await findCertificateHolder(options.db, fingerprint);
    if (!holder && Date.now() - lastScan >= RESCAN_INTERVAL_MS) {
      await sync();
      holder = await findCertificateHolder(options.db, fingerprint);
    }
    if (!holder) return { holder, trust };
    snapshots.invalidate();
    return { holder, trust: await snapshots.get() };
  }

  return {
    sync,
    identify,
    /** Who holds the certificate with this fingerprint, and whether it is revoked. */
    byFingerprint: async (fingerprint: string): Promise<CertificateHolder | undefined> =>
      (await identify(fingerprint)).holder,
    byNodeId: (nodeId: string) => findMember(options.db, nodeId),
    list: () => listMembers(options.db),
    /** The signing keys of `nodeId` valid at `at` (the current one and any still in its overlap). */
    signingKeysAt: async (nodeId: string, at: Date): Promise<PublicJwk[]> =>
      (await snapshots.get()).signingKeysAt(nodeId, at),
    keysAt: (at: Date) => keysValidAt(options.db, at),
  };
}
