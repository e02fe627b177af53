import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeText, splitLines, type TextLine } from './text.ts';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function* strings(...pieces: string[]) {
  yield* pieces;
}

describe('decodeText', () => {
  it('drops a UTF-8 byte-order mark given as bytes or as text', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,kind')]);
    expect((await collect(decodeText([bytes]))).join('')).toBe('id,kind');
    expect((await collect(decodeText(['\uFEFFid', ',kind']))).join('')).toBe('id,kind');
  });

  it('keeps a character whose bytes are split across chunks', async () => {
    const bytes = Buffer.from('নাম: সীতা');
    const pieces = [...bytes].map((byte) => Buffer.from([byte]));
    expect((await collect(decodeText(pieces))).join('')).toBe('নাম: সীতা');
  });

  it('reads a Node stream', async () => {
    const stream = Readable.from([Buffer.from('\uFEFFa\r\n'), Buffer.from('b')]);
    expect((await collect(decodeText(stream))).join('')).toBe('a\r\nb');
  });

  it('turns bytes that are not UTF-8 into U+FFFD for validation to report', async () => {
    expect((await collect(decodeText([Buffer.from([0x61, 0xe9, 0x62])]))).join('')).toBe('a\uFFFDb');
  });
});

describe('splitLines', () => {
  it('numbers lines from 1, drops the CR of CRLF and keeps empty lines', async () => {
    const lines = await collect(splitLines(strings('a\r\n', '\nb', 'c\r\nd'), 100));
    expect(lines).toEqual<TextLine[]>([
      { line: 1, text: 'a' },
      { line: 2, text: '' },
      { line: 3, text: 'bc' },
      { line: 4, text: 'd' },
    ]);
  });

  it('reports an over-long line without keeping it, then carries on', async () => {
    const lines = await collect(splitLines(strings('ok\n', 'x'.repeat(8), 'x'.repeat(8), 'x\nnext\n'), 10));
    expect(lines).toEqual<TextLine[]>([
      { line: 1, text: 'ok' },
      { line: 2, tooLong: true },
      { line: 3, text: 'next' },
    ]);
  });
});
