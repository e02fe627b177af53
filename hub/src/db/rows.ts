// The rows of a raw `execute`: PGlite answers with `{ rows }`, postgres-js with the rows themselves.
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}
