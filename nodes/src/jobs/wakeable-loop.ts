// The embedded default's background loop (outbox relay, matching): runs a pass, then waits
// `idleMs` or until woken by new work. A pass that reports more work due runs again at once.
// A failing pass is logged and retried on the next turn, never ends the loop.

export type WakeableLoop = {
  /** New work was committed: end the current wait now. */
  wake(): void;
  /** Finish the pass under way and stop. */
  stop(): Promise<void>;
};

/** `pass` resolves true when more work is due right away. */
export function startWakeableLoop(
  pass: () => Promise<boolean>,
  idleMs: number,
  onError: (error: unknown) => void,
): WakeableLoop {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      const moreDue = await pass().catch((error: unknown) => {
        onError(error);
        return false;
      });
      if (moreDue) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  })();
  return {
    wake: () => wake?.(),
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
