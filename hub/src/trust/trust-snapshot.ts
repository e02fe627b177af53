// A process-local copy of the trust tables (members, their certificates, revocations, keys and
// policies) that every member request reads instead of querying them, re-read whenever the
// federation configuration's version has moved. Every trust change (enrolment, renewal, key
// rotation, revocation, suspension, policy) publishes a new version in its own transaction
// (federation-config.store.ts), so comparing the newest version is enough to know the copy is
// current. That comparison is one tiny query shared by the requests that arrive while the
// previous one runs, and it starts after each of them arrived: a change committed before a
// request arrives is seen by that request — "from the next request", as before, but with about
// one query per database round trip instead of three per request. Time-dependent rules (key
// windows, certificate dates) are still applied per request. Members registered from files
// (which publish no version) are found by the slow path in member-registry.ts, which then drops
// this copy.
import type { PublicJwk } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import { eq, sql } from 'drizzle-orm';
import { rowsOf } from '../db/rows.ts';
import type * as schema from '../db/schema/index.ts';
import {
  type MemberRow,
  members,
  type NodeKeyRow,
  type NodePolicyRow,
  nodeCertificates,
  nodeKeys,
  nodePolicies,
  revocations,
} from '../db/schema/index.ts';
import type { CertificateHolder } from './members.store.ts';

type HubDb = Database<typeof schema>;

export type TrustSnapshot = {
  /** Who holds the certificate with this SHA-256 fingerprint, with its revocation. */
  holder(fingerprint: string): CertificateHolder | undefined;
  /** The node's signing keys whose window contains `at`. */
  signingKeysAt(nodeId: string, at: Date): PublicJwk[];
  members: readonly MemberRow[];
  policies: readonly NodePolicyRow[];
};

export type TrustSnapshots = ReturnType<typeof createTrustSnapshots>;

export function createTrustSnapshots(db: HubDb) {
  let current: { version: number; snapshot: TrustSnapshot } | undefined;
  let loading: { version: number; promise: Promise<TrustSnapshot> } | undefined;
  const newestVersion = coalesced(async () => {
    // Without parameters: postgres-js sends a parameterised statement drizzle has not named in
    // two round trips (describe, then execute), a plain one in one.
    const result = await db.execute(
      sql`select coalesce(max(version), 0)::text as version from federation_configs`,
    );
    const [row] = rowsOf<{ version: string }>(result);
    return Number(row?.version ?? 0);
  });

  return {
    async get(): Promise<TrustSnapshot> {
      const version = await newestVersion();
      if (current && current.version === version) return current.snapshot;
      if (loading?.version !== version) {
        // Read after the version: the copy is at least as new as the version it is filed under.
        const promise = loadSnapshot(db).then((snapshot) => {
          if (loading?.promise === promise) {
            current = { version, snapshot };
            loading = undefined;
          }
          return snapshot;
        });
        promise.catch(() => {
          if (loading?.promise === promise) loading = undefined;
        });
        loading = { version, promise };
      }
      return loading.promise;
    },
    /** Forget the copy (after members were registered from files). */
    invalidate(): void {
      current = undefined;
      loading = undefined;
    },
  };
}

async function loadSnapshot(db: HubDb): Promise<TrustSnapshot> {
  const holders = await db
    .select({ member: members, certificate: nodeCertificates, revocation: revocations })
    .from(nodeCertificates)
    .innerJoin(members, eq(members.nodeId, nodeCertificates.nodeId))
    .leftJoin(revocations, eq(revocations.serialHex, nodeCertificates.serialHex));
  const keys = await db.select().from(nodeKeys).where(eq(nodeKeys.use, 'signing'));
  const memberRows = await db.select().from(members).orderBy(members.nodeId);
  const policies = await db.select().from(nodePolicies);
  const byFingerprint = new Map(holders.map((holder) => [holder.certificate.fingerprint, holder]));
  const keysByNode = new Map<string, NodeKeyRow[]>();
  for (const key of keys) keysByNode.set(key.nodeId, [...(keysByNode.get(key.nodeId) ?? []), key]);
  return {
    holder: (fingerprint) => byFingerprint.get(fingerprint),
    signingKeysAt: (nodeId, at) =>
      (keysByNode.get(nodeId) ?? [])
        .filter((key) => key.validFrom <= at && (key.validUntil === null || key.validUntil > at))
        .map((key) => key.jwk),
    members: memberRows,
    policies,
  };
}

/**
 * At most one run of `query` at a time. A caller arriving while a run is under way waits for the
 * next run, which starts when that one ends and serves every caller that arrived meanwhile: no
 * caller gets an answer from a run that started before it called.
 */
export function coalesced<T>(query: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let next: Promise<T> | undefined;
  const start = (): Promise<T> => {
    const run = query();
    running = run;
    const settle = () => {
      if (running === run) running = undefined;
    };
    run.then(settle, settle);
    return run;
  };
  return () => {
    if (!running) return start();
    next ??= running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        next = undefined;
        return start();
      });
    return next;
  };
}
