// A one-line progress bar for long imports and exports. It draws only on a terminal: piped into
// a file or a CI log, redraws would be hundreds of thousands of lines of noise, so there it
// prints nothing but the final summary.

/** The part of a NodeJS.WriteStream the bar uses (process.stderr fits). */
export type ProgressStream = { isTTY?: boolean; columns?: number; write(text: string): unknown };

export type ProgressOptions = {
  /** Rows expected in all, when known: adds a bar and a percentage. */
  total?: number;
  /** Where to draw; process.stderr by default, so progress never mixes with data on stdout. */
  stream?: ProgressStream;
  label: string;
  /** Milliseconds from any fixed origin; injected by tests. */
  now?: () => number;
};

export type Progress = {
  /** Counts `n` more rows (default 1). Cheap: call it for every row. */
  tick(n?: number): void;
  /** Clears the bar and prints the summary line; later calls do nothing. */
  done(summary: string): void;
};

/** At most ten redraws a second: smooth to the eye, negligible next to parsing. */
const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 20;
const CLEAR_TO_END = '\x1b[K';
const numbers = new Intl.NumberFormat('en');

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const interactive = stream.isTTY === true;
  const startedAt = now();
  let rows = 0;
  let lastDrawAt = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let finished = false;

  const draw = (at: number) => {
    const line = renderProgress({
      label: options.label,
      rows,
      total: options.total,
      elapsedMs: at - startedAt,
    });
    // Wider than the terminal, the line would wrap and \r would redraw only its last part.
    const width = (stream.columns ?? 80) - 1;
    stream.write(`\r${line.length > width ? line.slice(0, width) : line}${CLEAR_TO_END}`);
    drawn = true;
    lastDrawAt = at;
  };

  return {
    tick(n = 1) {
      rows += n;
      if (!interactive || finished) return;
      const at = now();
      if (at - lastDrawAt >= REDRAW_INTERVAL_MS) draw(at);
    },
    done(summary) {
      if (finished) return;
      finished = true;
      stream.write(`${drawn ? `\r${CLEAR_TO_END}` : ''}${summary}\n`);
    },
  };
}

type ProgressState = { label: string; rows: number; total: number | undefined; elapsedMs: number };

/** "import [█████░░░░░░░░░░░░░░░] 25% 25,000/100,000 rows · 12,500 rows/s" */
export function renderProgress({ label, rows, total, elapsedMs }: ProgressState): string {
  const parts = [label];
  if (total !== undefined && total > 0) {
    const fraction = Math.min(rows / total, 1);
    const filled = Math.round(fraction * BAR_WIDTH);
    parts.push(`[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`, `${Math.floor(fraction * 100)}%`);
    parts.push(`${numbers.format(rows)}/${numbers.format(total)} rows`);
  } else {
    parts.push(`${numbers.format(rows)} rows`);
  }
  if (elapsedMs > 0) parts.push(`· ${numbers.format(Math.round((rows * 1000) / elapsedMs))} rows/s`);
  return parts.join(' ');
}
