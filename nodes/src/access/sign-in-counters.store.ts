// Where the sign-in limits keep their counts, shared by every API process of a node: Redis when
// REDIS_URL is set, else the node's database (PGlite or PostgreSQL). Each count lives in a fixed
// window that starts with its first hit; times come from the node's clock, so both stores behave
// alike and tests can pin them. Should Redis fail, the database stands in rather than letting
// sign-in fail for everyone or go unlimited.
import { type Database, errorLine } from '@khoj/platform';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import type * as schema from '../db/schema/index.ts';
import { signInCounters } from '../db/schema/index.ts';

type NodeDb = Database<typeof schema>;

export type WindowCount = { count: number; resetsAt: Date };

export type SignInCounters = {
  /**
   * Adds `by` (1, or -1 to give a hit back) to the count under `key`, in its open window or in a
   * new one of `windowMs` from `now`; never below 0. Atomic: concurrent adds all count.
   */
  add(key: string, by: number, windowMs: number, now: Date): Promise<WindowCount>;
  /** The count under `key` in its open window; 0 when none is open. */
  read(key: string, now: Date): Promise<number>;
  /** Sets the count under `key` to 1 for `windowMs` from `now` (a mark that slides with each use). */
  mark(key: string, windowMs: number, now: Date): Promise<void>;
  clear(key: string): Promise<void>;
  close(): Promise<void>;
};

/** Ended rows are deleted on one add in this many, off the answer's path. */
const PRUNE_EVERY = 256;

export function databaseSignInCounters(db: NodeDb, log: (message: string) => void): SignInCounters {
  let adds = 0;
  return {
    async add(key, by, windowMs, now) {
      if (++adds % PRUNE_EVERY === 0) {
        db.delete(signInCounters)
          .where(lt(signInCounters.resetsAt, now))
          .catch((error: unknown) => log(`sign-in counters: prune failed: ${errorLine(error)}`));
      }
      const at = sql`${now.toISOString()}::timestamptz`;
      const ended = sql`${signInCounters.resetsAt} <= ${at}`;
      const [row] = await db
        .insert(signInCounters)
        .values({ key, hits: Math.max(0, by), resetsAt: new Date(now.getTime() + windowMs) })
        .onConflictDoUpdate({
          target: signInCounters.key,
          set: {
            hits: sql`greatest(0, case when ${ended} then 0 else ${signInCounters.hits} end + ${by}::int)`,
            resetsAt: sql`case when ${ended} then excluded.resets_at else ${signInCounters.resetsAt} end`,
          },
        })
        .returning({ hits: signInCounters.hits, resetsAt: signInCounters.resetsAt });
      if (!row) throw new Error('upsert returned no row');
      return { count: row.hits, resetsAt: row.resetsAt };
    },
    async read(key, now) {
      const [row] = await db
        .select({ hits: signInCounters.hits })
        .from(signInCounters)
        .where(and(eq(signInCounters.key, key), gt(signInCounters.resetsAt, now)));
      return row?.hits ?? 0;
    },
    async mark(key, windowMs, now) {
      const resetsAt = new Date(now.getTime() + windowMs);
      await db
        .insert(signInCounters)
        .values({ key, hits: 1, resetsAt })
        .onConflictDoUpdate({ target: signInCounters.key, set: { hits: 1, resetsAt } });
    },
    async clear(key) {
      await db.delete(signInCounters).where(eq(signInCounters.key, key));
    },
    async close() {},
  };
}

/**
 * KEYS[1]: the count (a hash of hits and resets, ms by the node's clock); ARGV: now, by,
 * windowMs. Redis expires the key when its window ends, so nothing needs pruning.
 */
const ADD_SCRIPT = `
local now, by, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'hits', 'resets')
local hits, resets = tonumber(stored[1]) or 0, tonumber(stored[2])
if not resets or resets <= now then hits, resets = 0, now + window end
hits = math.max(0, hits + by)
redis.call('HSET', KEYS[1], 'hits', hits, 'resets', resets)
redis.call('PEXPIRE', KEYS[1], math.max(1, resets - now))
return {hits, resets}`;

export function redisSignInCounters(redisUrl: string, prefix: string): SignInCounters {
  // Commands wait for a (re)connection, but not for long: a sign-in waits on them, and the
  // database can stand in (withStandby).
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 1000 });
  redis.on('error', () => undefined); // reported where a command fails
  const name = (key: string) => `${prefix}${key}`;
  return {
    async add(key, by, windowMs, now) {
      const [hits, resets] = (await redis.eval(ADD_SCRIPT, 1, name(key), now.getTime(), by, windowMs)) as [
        number,
        number,
      ];
      return { count: hits, resetsAt: new Date(resets) };
    },
    async read(key, now) {
      const [hits, resets] = await redis.hmget(name(key), 'hits', 'resets');
      return Number(resets) > now.getTime() ? Number(hits) : 0;
    },
    async mark(key, windowMs, now) {
      await redis
        .multi()
        .hset(name(key), 'hits', 1, 'resets', now.getTime() + windowMs)
        .pexpire(name(key), windowMs)
        .exec();
    },
    async clear(key) {
      await redis.del(name(key));
    },
    async close() {
      redis.disconnect();
    },
  };
}

/** Seconds `standby` answers alone after `primary` failed, so that sign-ins do not wait on it each time. */
const STANDBY_SECONDS = 30;

/** `primary`, with `standby` answering whatever `primary` fails to (and the failure logged). */
export function withStandby(
  primary: SignInCounters,
  standby: SignInCounters,
  log: (message: string) => void,
): SignInCounters {
  // Real time, not the node's clock: how long to leave a failed Redis alone is no domain matter.
  let standbyUntil = 0;
  const either =
    <A extends unknown[], R>(call: (counters: SignInCounters, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (Date.now() < standbyUntil) return call(standby, ...args);
      try {
        return await call(primary, ...args);
      } catch (error) {
        standbyUntil = Date.now() + STANDBY_SECONDS * 1000;
        log(
          `sign-in counters: Redis failed, the database stands in for ${STANDBY_SECONDS} s: ${errorLine(error)}`,
        );
        return call(standby, ...args);
      }
    };
  return {
    add: either((counters, key: string, by: number, windowMs: number, now: Date) =>
      counters.add(key, by, windowMs, now),
    ),
    read: either((counters, key: string, now: Date) => counters.read(key, now)),
    mark: either((counters, key: string, windowMs: number, now: Date) => counters.mark(key, windowMs, now)),
    clear: either((counters, key: string) => counters.clear(key)),
    async close() {
      await Promise.all([primary.close(), standby.close()]);
    },
  };
}
