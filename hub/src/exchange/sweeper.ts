// The running hub's periodic work on the exchange: the expiry sweep (dead letters) and a signed
// checkpoint of the transparency log whenever it has grown, so the log is checkpointed even when
// no member asks. Started with the server, stopped (and awaited) with it.

import { errorLine } from '@khoj/platform';
import type { HubServices } from '../services.ts';
import { currentCheckpoint } from '../transparency/transparency.ts';
import { sweepExpired } from './dead-letters.ts';

/** Seconds between sweeps. */
export const DEFAULT_SWEEP_SECONDS = 10;

export function startExchangeSweeper(services: HubServices, intervalMs = DEFAULT_SWEEP_SECONDS * 1000) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      const dropped = await sweepExpired(services, services.clock());
      if (dropped > 0) services.log(`exchange: ${dropped} expired envelope(s) became dead letters`);
      await currentCheckpoint(services);
    } catch (error) {
      services.log(`exchange sweep failed: ${errorLine(error)}`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().then(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
