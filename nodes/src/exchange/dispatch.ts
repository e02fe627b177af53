// What wakes the relay. With Redis (production) BullMQ jobs dispatch outbox rows to any number
// of worker processes, with exponential backoff; without it (embedded default) one loop in
// this process polls the outbox. Either way the outbox row is the durable state, and a sweep
// re-dispatches due rows, so losing Redis delays delivery and loses nothing.
import { MAX_ENVELOPE_BATCH } from '@khoj/contracts';
import { errorLine } from '@khoj/platform';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { startWakeableLoop } from '../jobs/wakeable-loop.ts';
import type { NodeServices } from '../services.ts';
import { dueEnvelopes } from './outbox.store.ts';
import { createRelayBatcher, relayDue } from './relay.ts';

export type RelayDispatcher = {
  kind: 'bullmq' | 'in-process';
  /** New outbox rows were committed. */
  notify(envelopeIds: string[]): void;
  stop(): Promise<void>;
};

const SWEEP_MS = 1_000;

export function startInProcessRelay(services: NodeServices): RelayDispatcher {
  const loop = startWakeableLoop(
    async () => {
      await relayDue(services);
      return false;
    },
    SWEEP_MS,
    (error) => services.log(`relay pass failed: ${errorLine(error)}`),
  );
  return { kind: 'in-process', notify: () => loop.wake(), stop: () => loop.stop() };
}

export function startBullmqRelay(services: NodeServices, redisUrl: string): RelayDispatcher {
  const name = `khoj-outbox-${services.identity.nodeId}`;
  const connection = () => new Redis(redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  const queue = new Queue(name, { connection: connection() });
  queue.on('error', (error) => services.log(`outbox queue: ${errorLine(error)}`));
  const enqueue = (envelopeIds: string[]) =>
    queue
      .addBulk(
        envelopeIds.map((envelopeId) => ({
          name: 'relay',
          data: { envelopeId },
          opts: {
            jobId: envelopeId,
            attempts: 12,
            backoff: { type: 'exponential', delay: 500 },
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      )
      .catch((error: unknown) =>
        services.log(`outbox queue unavailable, the sweep will retry: ${errorLine(error)}`),
      );

  // Jobs held at once go to the hub together, one batch request: a worker holds up to a batch.
  const relay = createRelayBatcher(services);
  const worker = new Worker(
    name,
    async (job) => {
      const outcome = await relay((job.data as { envelopeId: string }).envelopeId);
      if (outcome === 'retry' || outcome === 'waiting')
        throw new Error(`envelope not relayed yet (${outcome})`);
      return outcome;
    },
    { connection: connection(), concurrency: MAX_ENVELOPE_BATCH },
  );
  worker.on('error', (error) => services.log(`outbox worker: ${errorLine(error)}`));

  // The sweep re-dispatches due rows: rows committed while Redis was down, or whose jobs were lost.
  const sweep = setInterval(() => {
    dueEnvelopes(services.db, services.clock(), 500)
      .then((rows) => (rows.length ? enqueue(rows.map((row) => row.envelopeId)) : undefined))
      .catch((error: unknown) => services.log(`outbox sweep failed: ${errorLine(error)}`));
  }, SWEEP_MS * 5);

  return {
    kind: 'bullmq',
    notify: (envelopeIds) => void enqueue(envelopeIds),
    async stop() {
      clearInterval(sweep);
      await worker.close();
      await queue.close();
    },
  };
}
