// The interchange format: reading and writing missing/found child reports as CSV or JSONL files
// (see FORMAT.md), with row-level errors an officer can act on and a progress bar for long runs.
export {
  detectFormat,
  InterchangeError,
  type InterchangeErrorCode,
  type InterchangeFormat,
} from './format.ts';
export { createProgress, type Progress, type ProgressOptions, type ProgressStream } from './progress.ts';
export { type InterchangeRow, readInterchange } from './read.ts';
export {
  INTERCHANGE_FIELDS,
  type InterchangeField,
  InterchangeRecord,
  LIST_FIELDS,
  LIST_SEPARATOR,
} from './record.ts';
export { type RowError, WHOLE_ROW } from './row-errors.ts';
export type { TextSource } from './text.ts';
export { type WriteOptions, writeInterchange } from './write.ts';
