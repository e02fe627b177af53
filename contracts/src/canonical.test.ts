import { describe, expect, it } from 'vitest';
import { canonicalJson, digestOf } from './canonical.ts';
import { InputError, MAX_DOCUMENT_DEPTH } from './input.ts';

/** `levels` arrays or objects inside one another, built without recursion. */
function nested(levels: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    const a = { origin: 'IN-WB', payload: { b: 1, a: [{ y: 2, x: 1 }] }, type: 'case.summary' };
    const b = { type: 'case.summary', payload: { a: [{ x: 1, y: 2 }], b: 1 }, origin: 'IN-WB' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe(
      '{"origin":"IN-WB","payload":{"a":[{"x":1,"y":2}],"b":1},"type":"case.summary"}',
    );
    expect(digestOf(a)).toBe(digestOf(b));
  });

  it('keeps array order and writes scalars as JSON does', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ s: 'খোঁজ "q"\n', n: -0, e: 1e21, t: true, z: null })).toBe(
      '{"e":1e+21,"n":0,"s":"খোঁজ \\"q\\"\\n","t":true,"z":null}',
    );
  });

  it('sorts keys by UTF-16 code units (RFC 8785)', () => {
    expect(canonicalJson({ b: 1, B: 2, é: 3, a: 4, '10': 5, '9': 6 })).toBe(
      '{"10":5,"9":6,"B":2,"a":4,"b":1,"é":3}',
    );
  });

  it('rejects what JSON.stringify would drop or distort', () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(TypeError);
    expect(() => canonicalJson([undefined])).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(TypeError);
    expect(() => canonicalJson({ b: 10n })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
  });

  it('refuses a value nested deeper than MAX_DOCUMENT_DEPTH with a coded error, not a stack overflow', () => {
    expect(() => canonicalJson(nested(MAX_DOCUMENT_DEPTH, 'object'))).not.toThrow();
    expect(() => canonicalJson(nested(MAX_DOCUMENT_DEPTH, 'array'))).not.toThrow();
    for (const levels of [MAX_DOCUMENT_DEPTH + 1, 200_000]) {
      for (const kind of ['array', 'object'] as const) {
        const attempt = () => canonicalJson({ payload: { unprotected: nested(levels - 2, kind) } });
        expect(attempt).toThrow(InputError);
        expect(attempt).toThrow(expect.objectContaining({ code: 'DOCUMENT_TOO_DEEP' }));
      }
    }
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
  });
});

describe('digestOf', () => {
  it('is the SHA-256 of the canonical JSON, in lowercase hex', () => {
    // sha256 of the bytes {"a":1,"b":[2]}
    expect(digestOf({ b: [2], a: 1 })).toBe(
      '0855bfc20eb6cfaa4be7d6b510c63dd22997718bddadcb1a4915cec3a16145b9',
    );
  });
});
