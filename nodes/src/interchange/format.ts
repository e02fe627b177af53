// The two file formats of the interchange, how a file's name says which one it is, and the
// error thrown for problems with a whole file rather than one row.
import { extname } from 'node:path';

export type InterchangeFormat = 'csv' | 'jsonl';

/** Stable codes, so a CLI or route can map them without matching on message text. */
export type InterchangeErrorCode = 'ERR_INTERCHANGE_FORMAT' | 'ERR_INTERCHANGE_UNWRITABLE';

export class InterchangeError extends Error {
  readonly code: InterchangeErrorCode;

  constructor(code: InterchangeErrorCode, message: string) {
    super(message);
    this.name = 'InterchangeError';
    this.code = code;
  }
}

const EXTENSIONS: Record<string, InterchangeFormat> = {
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** The format a file name implies: .csv, or .jsonl / .ndjson (any letter case). */
export function detectFormat(path: string): InterchangeFormat {
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new InterchangeError(
      'ERR_INTERCHANGE_FORMAT',
      `cannot tell the format of '${path}': the file name must end in .csv, .jsonl or .ndjson`,
    );
  }
  return format;
}

export function assertFormat(format: string): asserts format is InterchangeFormat {
  if (format !== 'csv' && format !== 'jsonl') {
    throw new InterchangeError('ERR_INTERCHANGE_FORMAT', `unknown format '${format}': use csv or jsonl`);
  }
}
