// How an unexpected error is written to a log: enough to find it and fix it (its class, its
// codes, where it was thrown, its causes), never the data it was handling. A failed SQL
// statement's text and parameters hold personal data (names, phone numbers, notes), and so may a
// database's message (`invalid input syntax for type integer: "…"`) or detail (`Key (…)=(…)`):
// an error from the database or its driver is described by its SQLSTATE and the names of what
// it concerns only. Any other message is cut short.

/** Characters of an error message kept in a log line. */
const MAX_MESSAGE_CHARS = 200;
/** Stack frames kept per error: where it was thrown, not the whole way there. */
const MAX_FRAMES = 10;
/** Causes followed (DrizzleQueryError → the driver's error → …). */
const MAX_CAUSES = 3;

export type ErrorDescription = {
  class: string;
  /** SQLSTATE for a database error, or Node's code (ECONNREFUSED …), or a khoj code. */
  code?: string;
  message?: string;
  /** For a database error: what it concerns, by name. */
  constraint?: string;
  table?: string;
  column?: string;
  frames?: string[];
  cause?: ErrorDescription;
};

const DATABASE_NAMES = ['constraint', 'table', 'column'] as const;

export function describeError(error: unknown, causes = 0): ErrorDescription {
  // A thrown non-Error could be anything, data included: only its type is logged.
  if (!(error instanceof Error)) return { class: typeof error };
  const fields = error as Error & Record<string, unknown>;
  const description: ErrorDescription = { class: error.constructor?.name || error.name || 'Error' };
  if (typeof fields.code === 'string' || typeof fields.code === 'number')
    description.code = String(fields.code);
  if (fromDatabase(fields)) {
    // Column, table and constraint names say where; the names of the properties are pg's.
    for (const name of DATABASE_NAMES) {
      const value = fields[`${name}_name`] ?? fields[name];
      if (typeof value === 'string') description[name] = value;
    }
  } else if (error.message) {
    description.message =
      error.message.length > MAX_MESSAGE_CHARS
        ? `${error.message.slice(0, MAX_MESSAGE_CHARS)}…`
        : error.message;
  }
  const frames = error.stack
    ?.split('\n')
    .filter((line) => line.startsWith('    at '))
    .slice(0, MAX_FRAMES)
    .map((line) => line.trim());
  if (frames && frames.length > 0) description.frames = frames;
  if (error.cause !== undefined && causes < MAX_CAUSES)
    description.cause = describeError(error.cause, causes + 1);
  return description;
}

/**
 * drizzle's DrizzleQueryError (`query`, `params`), postgres-js's PostgresError and PGlite's
 * DatabaseError (both carry `severity`): errors whose message may quote what was stored.
 */
function fromDatabase(error: Record<string, unknown>): boolean {
  return 'query' in error || 'params' in error || 'parameters' in error || 'severity' in error;
}

/**
 * One line for a background job's log (a relay pass, a sweep, a worker): `describeError` without
 * the stack, as JSON. Never `String(error)`: a DrizzleQueryError's message is its SQL and its
 * parameters.
 */
export function errorLine(error: unknown): string {
  const { frames: _frames, ...described } = describeError(error);
  return JSON.stringify(described);
}

/**
 * The SQLSTATE of a database error, looked for through its causes (drizzle wraps the driver's
 * error): `22…` is a data exception (a value the column cannot take), `23…` a constraint.
 */
export function sqlStateOf(error: unknown, causes = 0): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const fields = error as Error & Record<string, unknown>;
  if (fromDatabase(fields) && typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code))
    return fields.code;
  return causes < MAX_CAUSES ? sqlStateOf(error.cause, causes + 1) : undefined;
}
