// The one guarantee the shared version check must keep: no caller is answered by a run of the
// query that started before it called (else a revocation committed just before a request could
// be missed by it).
import { describe, expect, it } from 'vitest';
import { coalesced } from './trust-snapshot.ts';

describe('coalesced', () => {
  it('serves callers that arrive during a run from the next run, which starts after the first ends', async () => {
    let version = 1;
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const check = coalesced(
      () =>
        new Promise<number>((resolve) => {
          const seen = version;
          started.push(seen);
          releases.push(() => resolve(seen));
        }),
    );
    const first = check();
    version = 2; // a change commits while the first run is under way
    const second = check();
    const third = check();
    expect(started).toEqual([1]);
    releases.shift()?.();
    expect(await first).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2]);
    releases.shift()?.();
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    // Idle again: a new caller starts a run at once.
    version = 3;
    const fourth = check();
    expect(started).toEqual([1, 2, 3]);
    releases.shift()?.();
    expect(await fourth).toBe(3);
  });

  it('starts the next run even when the one before failed', async () => {
    let calls = 0;
    const check = coalesced(async () => {
      calls++;
      if (calls === 1) throw new Error('database gone');
      return calls;
    });
    const failing = check();
    const next = check();
    await expect(failing).rejects.toThrow('database gone');
    expect(await next).toBe(2);
  });
});
