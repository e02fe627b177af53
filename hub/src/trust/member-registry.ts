// The hub's view of federation members: the members table, filled from registration files at
// start and re-read when an unknown certificate calls (a node created after the hub started).
import { readFile } from 'node:fs/promises';
import type { Database } from '@khoj/platform';
import type * as schema from '../db/schema/index.ts';
import type { MemberRow } from '../db/schema/index.ts';
import { findMember, findMemberByFingerprint, listMembers, upsertMembers } from './members.store.ts';
import { readRegistrations } from './registration.ts';

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

  async function sync(): Promise<void> {
    lastScan = Date.now();
    const rootPem = await readFile(options.trustAnchorPath, 'utf8');
    const registrations = await readRegistrations(options.membersDir, rootPem, options.log);
    await upsertMembers(options.db, registrations);
  }

  return {
    sync,
    async byFingerprint(fingerprint: string): Promise<MemberRow | undefined> {
      const member = await findMemberByFingerprint(options.db, fingerprint);
      if (member || Date.now() - lastScan < RESCAN_INTERVAL_MS) return member;
      await sync();
      return findMemberByFingerprint(options.db, fingerprint);
    },
    byNodeId: (nodeId: string) => findMember(options.db, nodeId),
    list: () => listMembers(options.db),
  };
}
