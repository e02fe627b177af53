// Deterministic JSON for anything that is hashed or signed as structured data (envelope
// digests): object keys sorted by UTF-16 code units, no whitespace, numbers and strings as
// JSON.stringify writes them. For the JSON values accepted here this is the RFC 8785 (JCS)
// output. Values JSON.stringify would silently drop or distort are rejected instead, because
// two parties hashing "the same" object must never disagree. These are the bytes every party
// (origin node, hub, receiving node) signs, digests and verifies: part of the wire contract.
// Nesting is limited to MAX_DOCUMENT_DEPTH (input.ts) and refused with a coded InputError before
// the recursion could overflow the stack, whoever built the value.

import { createHash } from 'node:crypto';
import { InputError, MAX_DOCUMENT_DEPTH } from './input.ts';

export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number at ${path}`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${typeof value} at ${path} has no JSON form`);
  }
  if (ancestors.has(value)) throw new TypeError(`canonicalJson: cycle at ${path}`);
  // The ancestors are exactly the objects and arrays enclosing this one: their number is its depth.
  if (ancestors.size >= MAX_DOCUMENT_DEPTH) {
    throw new InputError(
      'DOCUMENT_TOO_DEEP',
      `canonicalJson: nested deeper than ${MAX_DOCUMENT_DEPTH} levels`,
    );
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: string[] = [];
      // Index loop, not map: map skips holes, which would shorten the array silently.
      for (let i = 0; i < value.length; i++) items.push(write(value[i], `${path}[${i}]`, ancestors));
      return `[${items.join(',')}]`;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      // Date, Map, class instances: their JSON form depends on toJSON or is lossy; convert first.
      throw new TypeError(
        `canonicalJson: ${proto?.constructor?.name ?? 'object'} at ${path} is not a plain object`,
      );
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`, ancestors)}`);
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

/** Lowercase hex SHA-256 of the canonical JSON of a value. */
export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
