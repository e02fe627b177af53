// Reading a file as text a chunk at a time: UTF-8 decoding that survives a character split
// across chunks, dropping the byte-order mark spreadsheet programs write, and cutting JSONL into
// lines without ever holding more than one line in memory.

/** Anything that yields the file's bytes or text in order: a Node stream, a generator, an array of chunks. */
export type TextSource = AsyncIterable<string | Buffer> | Iterable<string | Buffer> | NodeJS.ReadableStream;

const BYTE_ORDER_MARK = 0xfeff;

export async function* decodeText(source: TextSource): AsyncGenerator<string> {
  // Not fatal: bytes that are not UTF-8 become U+FFFD, which validation then reports against the
  // exact row and field instead of failing the whole file at an unknown position.
  const decoder = new TextDecoder('utf-8');
  let atStart = true;
  for await (const chunk of source as AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (atStart && text.length > 0) {
      // TextDecoder drops a BOM in bytes itself; text chunks may still carry one.
      if (text.charCodeAt(0) === BYTE_ORDER_MARK) text = text.slice(1);
      atStart = false;
    }
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

/** A line of a JSONL file (1-based line number, no line break), or one too long to keep. */
export type TextLine = { line: number; text: string; tooLong?: false } | { line: number; tooLong: true };

/**
 * Splits text into lines at LF, dropping the CR of a CRLF. A line longer than `maxChars` is
 * reported as too long and skipped without being accumulated, so one broken line cannot exhaust
 * memory.
 */
export async function* splitLines(texts: AsyncIterable<string>, maxChars: number): AsyncGenerator<TextLine> {
  let pending = '';
  let skipping = false;
  let line = 1;
  const finish = (piece: string): TextLine => {
    const full = pending + piece;
    pending = '';
    if (skipping || full.length > maxChars) {
      skipping = false;
      return { line, tooLong: true };
    }
    return { line, text: full.endsWith('\r') ? full.slice(0, -1) : full };
  };
  for await (const text of texts) {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield finish(text.slice(start, end));
      line++;
      start = end + 1;
    }
    if (!skipping) {
      pending += text.slice(start);
      if (pending.length > maxChars) {
        skipping = true;
        pending = '';
      }
    }
  }
  if (skipping || pending.length > 0) yield finish('');
}
