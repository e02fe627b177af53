// Where text enters a khoj service over HTTP, refused as a class before any route sees it: the
// path, the query, the headers, and a JSON or form body (contracts' input.ts says what is
// refused, and why). A refusal is 400 with INPUT_ENCODING_INVALID or DOCUMENT_TOO_DEEP and stores
// nothing. Routes then never meet a NUL (which PostgreSQL refuses mid-query), an unpaired
// surrogate, bytes that are not UTF-8, or a document too deep to walk.
//
// The URL and headers are checked on arrival. A JSON or form body is checked when it is first
// read (by the route's validator, after the app's authentication and any route's own body limit,
// which must still find the body unread): it is read once, decoded as strict UTF-8, scanned once
// (linear: a few microseconds for an envelope), then parsed once, as before. hono's validator
// turns any failure to read JSON into its own 400 without a cause, so a refusal is also kept for
// the request (`bodyRefusalOf`), for onError to answer with its code. Other bodies (photos,
// multipart) are the route's to check: they are bytes, not text.
import { checkJsonText, forbiddenCharacterIn, InputError, type TextKind } from '@khoj/contracts';
import type { Context, HonoRequest, MiddlewareHandler } from 'hono';

/** The media types hono's validator reads as JSON (`application/json`, `application/x+json`). */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/;
const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Bodies refused when they were read, by request. */
const bodyRefusals = new WeakMap<HonoRequest, InputError>();

/** Why this request's body was refused when it was read, if it was. */
export function bodyRefusalOf(c: Context): InputError | undefined {
  return bodyRefusals.get(c.req);
}

/** Refuses a bad URL or header at once, and arms the check of a JSON or form body for its first read. */
export function refuseUnacceptableInput(
  respond: (c: Context, refusal: InputError) => Response | Promise<Response>,
): MiddlewareHandler {
  return async (c, next) => {
    const refusal = urlRefusal(c.req.url) ?? headerRefusal(c.req.raw.headers);
    if (refusal) return respond(c, refusal);
    checkBodyWhenRead(c.req);
    return next();
  };
}

function urlRefusal(url: string): InputError | undefined {
  // The URL parser (and @hono/node-server) percent-encode every character outside printable
  // ASCII, so without a `%` there is nothing to decode and nothing to refuse.
  if (!url.includes('%')) return undefined;
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  const queryStart = url.indexOf('?');
  const path = url.slice(pathStart, queryStart === -1 ? undefined : queryStart);
  const problem = decodedProblem(path, 'line', false);
  if (problem) return encodingRefusal(`the path ${problem}`);
  return queryStart === -1 ? undefined : queryRefusal(url.slice(queryStart + 1), 'query parameter');
}

/** `a=1&b=2`: each name and value must decode (UTF-8, well-formed %XX) to acceptable text. */
function queryRefusal(query: string, what: string): InputError | undefined {
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    const nameProblem = decodedProblem(name, 'line', true);
    if (nameProblem) return encodingRefusal(`a ${what} name ${nameProblem}`);
    const valueProblem = equals === -1 ? undefined : decodedProblem(pair.slice(equals + 1), 'text', true);
    if (valueProblem) {
      return encodingRefusal(
        `${what} ${decodeURIComponent(name.replaceAll('+', ' ')).slice(0, 40)} ${valueProblem}`,
      );
    }
  }
  return undefined;
}

function decodedProblem(encoded: string, kind: TextKind, plusIsSpace: boolean): string | undefined {
  let decoded = encoded;
  if (encoded.includes('%')) {
    try {
      decoded = decodeURIComponent(plusIsSpace ? encoded.replaceAll('+', ' ') : encoded);
    } catch {
      return 'has malformed %-encoding or bytes that are not UTF-8';
    }
  }
  const character = forbiddenCharacterIn(decoded, kind);
  return character === undefined ? undefined : `holds ${character}`;
}

function headerRefusal(headers: Headers): InputError | undefined {
  // fetch's Headers and Node's HTTP parser already refuse NUL, CR and LF in a value; other
  // controls can still come through some front ends.
  for (const [name, value] of headers) {
    const character = forbiddenCharacterIn(value, 'text');
    if (character !== undefined) return encodingRefusal(`header ${name} holds ${character}`);
  }
  return undefined;
}

/**
 * Makes the request's readers of a JSON body (json, text) or a form body (arrayBuffer, which
 * hono's parseBody and form validator use) read it through the check. Instance properties over
 * hono's methods: hono has no hook for how a body is read.
 */
function checkBodyWhenRead(req: HonoRequest): void {
  if (req.method === 'GET' || req.method === 'HEAD') return;
  const mediaType = (req.header('content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  const json = JSON_MEDIA_TYPE.test(mediaType);
  if (!json && mediaType !== FORM_MEDIA_TYPE) return;
  const readBytes = req.arrayBuffer.bind(req);
  let checked: Promise<string> | undefined;
  const readChecked = () => {
    checked ??= readBytes().then((bytes) => {
      const refusal = textRefusal(bytes, json);
      if (typeof refusal === 'string') return refusal;
      bodyRefusals.set(req, refusal);
      throw refusal;
    });
    return checked;
  };
  if (json) {
    req.json = <T>() => readChecked().then((text) => JSON.parse(text) as T);
    req.text = readChecked;
  } else {
    req.arrayBuffer = () => readChecked().then(() => readBytes());
  }
}

/** The body's text if it is acceptable, else the refusal. */
function textRefusal(bytes: ArrayBuffer, json: boolean): string | InputError {
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    return encodingRefusal('the request body is not UTF-8');
  }
  if (!json) return queryRefusal(text, 'form field') ?? text;
  try {
    checkJsonText(text);
    return text;
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
}

function encodingRefusal(message: string): InputError {
  return new InputError('INPUT_ENCODING_INVALID', message);
}
