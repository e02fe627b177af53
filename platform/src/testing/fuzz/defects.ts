// What is wrong with a request, decided as the services decide it: the route contract's zod
// schemas for parameters, query, headers and body; hono and @hono/zod-openapi's rules for media
// types; the input rules of contracts' input.ts for text, encodings and depth; the body limit.
// A request with a defect must be refused (4xx) and must change nothing; one without may be
// answered 2xx (and is only sent to routes that change state when it cannot store anything).
import { checkJsonText, forbiddenCharacterIn, InputError } from '@khoj/contracts';
import type { FuzzCaller, FuzzContext, FuzzRequest } from './requests.ts';
import { type FuzzRoute, templatePattern } from './routes.ts';

/** fetch upper-cases these six method names whatever their case, and no others. */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

export function normalMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

// @hono/zod-openapi's media-type gate (415) and hono's JSON validator, as they read Content-Type.
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

export function defectsOf(
  route: FuzzRoute,
  request: FuzzRequest,
  caller: FuzzCaller,
  context: Pick<FuzzContext, 'maxBodyBytes'>,
): string[] {
  const defects = new Set<string>();
  const url = new URL(request.url, 'http://localhost');
  const routed = request.method === 'HEAD' ? 'GET' : request.method;
  if (!route.methodsOnPath.has(routed)) defects.add('method');
  else if (route.access !== 'public' && !caller.passes(route.access)) defects.add('caller');

  const segments = url.pathname.match(templatePattern(route.template));
  if (!segments) defects.add('path');
  else {
    const params: Record<string, string> = {};
    route.pathParams.forEach((parameter, index) => {
      const decoded = decodedText(segments[index + 1] ?? '', 'line', false);
      if (decoded === undefined) defects.add('path-encoding');
      else params[parameter.name] = decoded;
    });
    if (
      !defects.has('path-encoding') &&
      route.schemas.params &&
      !route.schemas.params.safeParse(params).success
    ) {
      defects.add('path-param');
    }
  }

  const query = queryValues(url.search.slice(1));
  if (query === undefined) defects.add('query-encoding');
  else if (route.schemas.query && !route.schemas.query.safeParse(query).success) defects.add('query');

  const headers = new Headers([...Object.entries(request.credentials), ...request.headers]);
  for (const [, value] of headers)
    if (forbiddenCharacterIn(value, 'text') !== undefined) defects.add('header-encoding');
  if (route.schemas.headers && !route.schemas.headers.safeParse(Object.fromEntries(headers)).success) {
    defects.add('header');
  }
  const declaredLength = headers.get('content-length');
  if (declaredLength !== null && refusedLength(declaredLength, context.maxBodyBytes))
    defects.add('content-length');
  if ((request.body?.length ?? 0) > context.maxBodyBytes) defects.add('body-size');

  if (routed !== 'GET') for (const defect of bodyDefects(route, request, headers)) defects.add(defect);
  if (request.unknownId) defects.add('unknown-id');
  return [...defects];
}

/** Content-Length values every server refuses: not a number, negative, or over the limit. */
function refusedLength(value: string, maxBodyBytes: number): boolean {
  const trimmed = value.trim();
  const length = Number(trimmed);
  return !Number.isFinite(length) || trimmed.startsWith('-') || length > maxBodyBytes;
}

/**
 * A body is checked where it is read: a route that takes none never reads it (a stray body is no
 * defect); a JSON route's media type is checked first (415), then its text as it is read (strict
 * UTF-8, the input rules, depth), then its JSON, then the schema.
 */
function bodyDefects(route: FuzzRoute, request: FuzzRequest, headers: Headers): string[] {
  if (!route.jsonBody) return [];
  const contentType = headers.get('content-type') ?? '';
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  const bytes = request.body ?? new Uint8Array();
  if (contentType ? !JSON_REQUEST.test(contentType) : bytes.length > 0) return ['content-type'];
  // No type and no body: hono's validator hands the schema an empty object.
  if (!JSON_MEDIA_TYPE.test(mediaType))
    return route.schemas.json?.safeParse({}).success === false ? ['body'] : [];
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
    checkJsonText(text);
  } catch (error) {
    if (error instanceof InputError && error.code === 'DOCUMENT_TOO_DEEP') return ['body-depth'];
    if (error instanceof InputError || error instanceof TypeError) return ['body-encoding'];
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return ['json'];
  }
  return route.schemas.json?.safeParse(value).success === false ? ['body'] : [];
}

/** The text a %-encoded part decodes to, or undefined if it does not decode or holds refused text. */
function decodedText(encoded: string, kind: 'line' | 'text', plusIsSpace: boolean): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(plusIsSpace ? encoded.replaceAll('+', ' ') : encoded);
  } catch {
    return undefined;
  }
  return forbiddenCharacterIn(decoded, kind) === undefined ? decoded : undefined;
}

/** A query string as hono's validator reads it (a repeated name: an array), or undefined if refused. */
function queryValues(search: string): Record<string, string | string[]> | undefined {
  const values: Record<string, string | string[]> = {};
  if (!search) return values;
  for (const pair of search.split('&')) {
    const equals = pair.indexOf('=');
    const name = decodedText(equals === -1 ? pair : pair.slice(0, equals), 'line', true);
    const value = equals === -1 ? '' : decodedText(pair.slice(equals + 1), 'text', true);
    if (name === undefined || value === undefined) return undefined;
    if (!name) continue;
    const before = Object.hasOwn(values, name) ? values[name] : undefined;
    const next = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
    Object.defineProperty(values, name, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return values;
}
