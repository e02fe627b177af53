import { describe, expect, it } from 'vitest';
import { createProgress, renderProgress } from './progress.ts';

/** A stand-in for process.stderr that records what was written; the clock is moved by hand. */
function fakeTerminal(isTTY: boolean, columns = 200) {
  const writes: string[] = [];
  let ms = 0;
  return {
    writes,
    stream: { isTTY, columns, write: (text: string) => writes.push(text) },
    now: () => ms,
    advance: (by: number) => {
      ms += by;
    },
  };
}

describe('createProgress on a terminal', () => {
  it('redraws one line at most ten times a second, then replaces it with the summary', () => {
    const terminal = fakeTerminal(true);
    const progress = createProgress({
      label: 'import',
      total: 1000,
      stream: terminal.stream,
      now: terminal.now,
    });
    for (let row = 0; row < 1000; row++) {
      terminal.advance(1); // one row a millisecond: a second in all
      progress.tick();
    }
    progress.done('imported 1,000 rows, 0 errors');
    const draws = terminal.writes.slice(0, -1);
    expect(draws).toHaveLength(10); // at rows 1, 101, 201, … 901
    expect(draws.every((text) => text.startsWith('\r') && !text.includes('\n'))).toBe(true);
    expect(draws.at(-1)).toBe('\rimport [██████████████████░░] 90% 901/1,000 rows · 1,000 rows/s\x1b[K');
    expect(terminal.writes.at(-1)).toBe('\r\x1b[Kimported 1,000 rows, 0 errors\n');
  });

  it('counts batches and leaves out the bar when the total is unknown', () => {
    const terminal = fakeTerminal(true);
    const progress = createProgress({ label: 'export', stream: terminal.stream, now: terminal.now });
    terminal.advance(500);
    progress.tick(2500);
    expect(terminal.writes).toEqual(['\rexport 2,500 rows · 5,000 rows/s\x1b[K']);
  });

  it('keeps the line narrower than the terminal so it never wraps', () => {
    const terminal = fakeTerminal(true, 30);
    const progress = createProgress({
      label: 'import',
      total: 10,
      stream: terminal.stream,
      now: terminal.now,
    });
    progress.tick();
    expect(terminal.writes[0]?.replace('\r', '').replace('\x1b[K', '')).toHaveLength(29);
  });
});

describe('createProgress elsewhere (a file, a CI log)', () => {
  it('prints only the summary line', () => {
    const terminal = fakeTerminal(false);
    const progress = createProgress({
      label: 'import',
      total: 1000,
      stream: terminal.stream,
      now: terminal.now,
    });
    for (let row = 0; row < 1000; row++) {
      terminal.advance(5);
      progress.tick();
    }
    progress.done('imported 1,000 rows, 0 errors');
    progress.done('printed twice?');
    expect(terminal.writes).toEqual(['imported 1,000 rows, 0 errors\n']);
  });
});

describe('renderProgress', () => {
  it('caps the bar at 100% when more rows arrive than expected', () => {
    expect(renderProgress({ label: 'import', rows: 12, total: 10, elapsedMs: 0 })).toBe(
      'import [████████████████████] 100% 12/10 rows',
    );
  });
});
