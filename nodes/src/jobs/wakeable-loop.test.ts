import { describe, expect, it } from 'vitest';
import { startWakeableLoop } from './wakeable-loop.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('startWakeableLoop', () => {
  it('runs again at once while a pass reports more due, then waits until woken', async () => {
    let passes = 0;
    const loop = startWakeableLoop(
      async () => ++passes < 3,
      60_000,
      () => {},
    );
    await tick();
    expect(passes).toBe(3);
    await tick();
    expect(passes).toBe(3);
    loop.wake();
    await tick();
    expect(passes).toBe(4);
    await loop.stop();
  });

  it('runs again after the idle wait without being woken', async () => {
    let passes = 0;
    const loop = startWakeableLoop(
      async () => {
        passes++;
        return false;
      },
      30,
      () => {},
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await loop.stop();
    expect(passes).toBeGreaterThanOrEqual(3);
  });

  it('reports a failing pass and keeps going', async () => {
    const errors: unknown[] = [];
    let passes = 0;
    const loop = startWakeableLoop(
      async () => {
        passes++;
        if (passes === 1) throw new Error('database away');
        return false;
      },
      60_000,
      (error) => errors.push(error),
    );
    await tick();
    loop.wake();
    await tick();
    await loop.stop();
    expect(errors).toHaveLength(1);
    expect(passes).toBe(2);
  });

  it('stops after the pass under way has finished', async () => {
    let finished = false;
    const loop = startWakeableLoop(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished = true;
        return true;
      },
      60_000,
      () => {},
    );
    await tick();
    await loop.stop();
    expect(finished).toBe(true);
  });
});
