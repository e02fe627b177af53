// What every answer to a malformed request must be: not a 5xx; a refusal (4xx) when the request
// has a defect; the one error shape; and nothing in it from the inside — no stack frame, source
// position, SQL or database name. And what the database must be after: as it was before.
import { type SQL, sql } from 'drizzle-orm';
import type { FuzzRequest } from './requests.ts';

/** Signs of an internal error in a body: stack frames, source positions, SQL, the database. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bat (?:async )?[\w$.<>[\] ]*\(?(?:file|node):/,
  /\bfile:\/\//,
  /\.(?:ts|js|mjs|cjs):\d+/,
  /\bselect\b[^"]{0,200}\bfrom\b/i,
  /\binsert into\b/i,
  /\bupdate\s+"?\w+"?\s+set\b/i,
  /\bdelete from\b/i,
  /syntax error at/i,
  /\bpostgres/i,
  /\bpglite\b/i,
  /\bdrizzle\b/i,
  /\bsqlstate\b/i,
  /failed query/i,
  /violates (?:foreign key|unique|check|not-null) constraint/i,
  /duplicate key value/i,
  /invalid input syntax for/i,
  /relation "[^"]+" does not exist/i,
  /out of range for (?:type|integer)/i,
  /\b(?:TypeError|ReferenceError|RangeError): /,
  /cannot read propert/i,
  /is not a function/,
  /maximum call stack/i,
];

/** Media types whose bodies are bytes, not text (a photo, a DER CRL). */
const BINARY = /^(image\/|application\/(pkix-crl|octet-stream))/;
const LENIENT_UTF8 = new TextDecoder();

export type Answer = { status: number; contentType: string; text: string };

export async function readAnswer(response: Response): Promise<Answer> {
  const contentType = response.headers.get('content-type') ?? '';
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    contentType,
    text: BINARY.test(contentType) ? '' : LENIENT_UTF8.decode(bytes),
  };
}

/** What is wrong with `answer` to `request`, one line each; empty when nothing is. */
export function answerProblems(request: FuzzRequest, answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status >= 500) problems.push(`server-error: ${answer.status} ${answer.text.slice(0, 160)}`);
  else if (request.defects.length && answer.status < 400) {
    problems.push(`accepted-malformed: ${answer.status} for a request with ${request.defects.join(', ')}`);
  }
  if (answer.status >= 400 && request.method !== 'HEAD' && !hasErrorShape(answer.text)) {
    problems.push(`error-shape: ${answer.status} ${answer.contentType} ${answer.text.slice(0, 160)}`);
  }
  const leak = leakIn(answer.text, request);
  if (leak) problems.push(`leak: ${JSON.stringify(leak)} in ${answer.status} ${answer.text.slice(0, 200)}`);
  return problems;
}

function hasErrorShape(text: string): boolean {
  try {
    const error = (JSON.parse(text) as { error?: Record<string, unknown> }).error;
    return (
      typeof error?.code === 'string' &&
      typeof error.message === 'string' &&
      typeof error.requestId === 'string'
    );
  } catch {
    return false;
  }
}

/** The first leak pattern's match in `text` that is not the request's own input echoed back. */
export function leakIn(text: string, request: FuzzRequest): string | undefined {
  let echoes: string | undefined;
  for (const pattern of LEAK_PATTERNS) {
    const match = pattern.exec(text)?.[0];
    if (!match) continue;
    echoes ??= requestText(request);
    if (!echoes.includes(match.toLowerCase())) return match;
  }
  return undefined;
}

/** Everything the caller wrote, decoded and lower-cased, so that an echo is not called a leak. */
function requestText(request: FuzzRequest): string {
  const parts = [request.url, ...request.headers.map(([, value]) => value)];
  try {
    parts.push(decodeURIComponent(request.url.replaceAll('+', ' ')));
  } catch {
    parts.push(request.url.replace(/%[0-9a-f]{2}/gi, (percent) => safeDecode(percent)));
  }
  if (request.body) {
    const body = LENIENT_UTF8.decode(request.body);
    parts.push(body);
    try {
      parts.push(JSON.stringify(JSON.parse(body)));
    } catch {
      // not JSON: its text is enough
    }
  }
  return parts.join('\n').toLowerCase();
}

function safeDecode(percent: string): string {
  try {
    return decodeURIComponent(percent);
  } catch {
    return percent;
  }
}

/** A one-line account of a request, for a report a person reads. */
export function describeRequest(request: FuzzRequest): string {
  const body = request.body
    ? ` body(${request.body.length} B)=${JSON.stringify(LENIENT_UTF8.decode(request.body.slice(0, 160)))}`
    : '';
  const headers = request.headers.map(([name, value]) => `${name}: ${JSON.stringify(value.slice(0, 60))}`);
  return (
    `${request.method} ${request.url.slice(0, 200)} as ${request.caller}; intent ${request.intent}; ` +
    `defects [${request.defects.join(', ')}]; headers {${headers.join('; ')}}${body}`
  );
}

type Executor = { execute(query: SQL): PromiseLike<unknown> };
export type DatabaseSnapshot = Record<string, string>;

/**
 * Every table's row count and a digest of its rows (their text, sorted), except `exclude` — tables
 * a refused request may legitimately write to (an audit trail of refusals, throttling counters).
 */
export async function snapshotDatabase(
  db: Executor,
  exclude: ReadonlySet<string>,
): Promise<DatabaseSnapshot> {
  const tables = rowsOf<{ schema: string; name: string }>(
    await db.execute(sql`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
      order by 1, 2`),
  );
  const snapshot: DatabaseSnapshot = {};
  for (const { schema, name } of tables) {
    if (exclude.has(name)) continue;
    const table = sql.raw(`"${schema}"."${name}"`);
    const [row] = rowsOf<{ rows: string; digest: string | null }>(
      await db.execute(
        sql`select count(*)::text as rows, md5(string_agg(t::text, E'\n' order by t::text)) as digest from ${table} t`,
      ),
    );
    snapshot[`${schema}.${name}`] = `${row?.rows} rows, ${row?.digest ?? 'empty'}`;
  }
  return snapshot;
}

function rowsOf<T>(result: unknown): T[] {
  // postgres-js answers an array of rows; PGlite an object with `rows`.
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** Tables whose rows differ between two snapshots. */
export function changedTables(before: DatabaseSnapshot, after: DatabaseSnapshot): string[] {
  const tables = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...tables].filter((table) => before[table] !== after[table]).sort();
}
