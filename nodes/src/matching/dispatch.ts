// What runs the matcher. The durable queue is the cases table itself (rows whose matched_version
// differs from their version), so imports and every other writer of cases need do nothing; a
// sweep every second picks them up, and routes that change a report call notify() so that its
// candidates appear at once. With Redis, BullMQ jobs spread the work over every node process;
// without it one loop in this process does it. Losing Redis delays matching and loses nothing.
import { createHash } from 'node:crypto';
import { errorLine } from '@khoj/platform';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { startWakeableLoop } from '../jobs/wakeable-loop.ts';
import type { NodeServices } from '../services.ts';
import type { Matcher } from './matcher.ts';
import { dueCases } from './matching.store.ts';

export type MatchDispatcher = {
  kind: 'bullmq' | 'in-process';
  /** These reports were created or changed (committed). */
  notify(caseIds: string[]): void;
  stop(): Promise<void>;
};

const SWEEP_MS = 1_000;
/** Reports per pass: blocked in one query, scored together, written in one transaction. */
const BATCH = 50;

type Services = Pick<NodeServices, 'db' | 'log' | 'identity'>;

export function startInProcessMatching(services: Services, matcher: Matcher): MatchDispatcher {
  // A full batch means more may be due: go on without waiting.
  const loop = startWakeableLoop(
    async () => (await matcher.matchDue(BATCH)).processed >= BATCH,
    SWEEP_MS,
    (error) => services.log(`matching pass failed: ${errorLine(error)}`),
  );
  return { kind: 'in-process', notify: () => loop.wake(), stop: () => loop.stop() };
}

export function startBullmqMatching(services: Services, matcher: Matcher, redisUrl: string): MatchDispatcher {
  const name = `khoj-match-${services.identity.nodeId}`;
  const connection = () => new Redis(redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  const queue = new Queue(name, { connection: connection() });
  queue.on('error', (error) => services.log(`match queue: ${errorLine(error)}`));
  // The job id names the batch, so a batch already waiting is not queued twice; a report changed
  // while its job runs is due again afterwards, and the sweep queues it again.
  const enqueue = (caseIds: string[]) =>
    queue
      .add(
        'match',
        { caseIds },
        {
          // (BullMQ refuses ':' in custom ids.)
          jobId: caseIds.length === 1 ? `case-${caseIds[0]}` : `batch-${batchDigest(caseIds)}`,
          attempts: 8,
          backoff: { type: 'exponential', delay: 500 },
          removeOnComplete: true,
          removeOnFail: true,
        },
      )
      .catch((error: unknown) =>
        services.log(`match queue unavailable, the sweep will retry: ${errorLine(error)}`),
      );

  const worker = new Worker(
    name,
    async (job) => matcher.matchIsolated((job.data as { caseIds: string[] }).caseIds),
    { connection: connection(), concurrency: 2 },
  );
  worker.on('error', (error) => services.log(`match worker: ${errorLine(error)}`));

  let sweeping = false;
  const sweep = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    // Only when the queue has caught up: due reports are queued once, not on every tick.
    queue
      .getJobCounts('waiting', 'active', 'delayed')
      .then(async (counts) => {
        if ((counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0) > 0) return;
        const due = await dueCases(services.db, BATCH * 8);
        for (let start = 0; start < due.length; start += BATCH) {
          await enqueue(due.slice(start, start + BATCH).map((row) => row.id));
        }
      })
      .catch((error: unknown) => services.log(`match sweep failed: ${errorLine(error)}`))
      .finally(() => {
        sweeping = false;
      });
  }, SWEEP_MS);

  return {
    kind: 'bullmq',
    notify: (caseIds) => {
      for (const caseId of caseIds) void enqueue([caseId]);
    },
    async stop() {
      clearInterval(sweep);
      await worker.close();
      await queue.close();
    },
  };
}

function batchDigest(caseIds: readonly string[]): string {
  return createHash('sha256').update(caseIds.join(',')).digest('hex').slice(0, 32);
}
