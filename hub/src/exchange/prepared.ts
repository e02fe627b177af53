// Statements on the exchange's hot path (storing a batch, the inbox), kept prepared per database
// connection. drizzle's `execute` and query builders hand postgres-js every parameterised
// statement unnamed, which postgres-js sends in two round trips (describe, then bind and
// execute) and which also holds back the statements issued after it instead of pipelining them:
// a batch's transaction took eleven round trips. Named, a statement is described once per
// connection and afterwards bound and executed in one message, pipelined with its neighbours:
// five round trips per batch (begin, head lock, envelopes, deliveries + log, commit).
// PGlite runs them as ordinary queries. `text` uses $1…$n; rows come as postgres-js or PGlite
// return them for a raw query (jsonb parsed, timestamps as text).
import type { Database } from '@khoj/platform';
import { rowsOf } from '../db/rows.ts';
import type * as schema from '../db/schema/index.ts';

/** A database or a transaction: both carry the session a statement runs on. */
export type SessionOwner = Pick<Database<typeof schema>, '_'>;

/**
 * Runs `text` as the prepared statement `name`. postgres-js keys its cache by the text and the
 * parameter types, so the name only marks it prepared; it is kept for logs and plans.
 */
export async function runPrepared<T>(
  owner: SessionOwner,
  name: string,
  text: string,
  params: unknown[],
): Promise<T[]> {
  const query = owner._.session.prepareQuery({ sql: text, params }, undefined, name, false);
  return rowsOf<T>(await query.execute());
}
