// Wakes long-polling inbox requests when an envelope for their node arrives. In one process an
// event is enough; the periodic re-check covers envelopes stored by another hub process over
// the same database.
import { EventEmitter } from 'node:events';

const RECHECK_MS = 1_000;

export type InboxSignal = ReturnType<typeof createInboxSignal>;

export function createInboxSignal() {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  return {
    notify(recipients: string[]): void {
      for (const recipient of recipients) events.emit(recipient);
    },
    /** Resolves when `recipient` may have mail, after at most RECHECK_MS, or when aborted. */
    wait(recipient: string, signal: AbortSignal): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          events.off(recipient, done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, RECHECK_MS);
        events.once(recipient, done);
        signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}
