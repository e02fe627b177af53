// Malformed requests for one route: a request close to what the route accepts (its parameters,
// query and body generated from its contract), then one thing broken on purpose — the caller, the
// method, the path, a parameter, the query, a header, the body's type, encoding, depth or size —
// with headers no route needs on top. Each request says what is wrong with it (defects.ts), and a
// request to a route that changes state always has something wrong, so nothing may change.
import fc from 'fast-check';
import { type Body, brokenJsonBodies, brokenRawBodies, jsonBytes, strayBody } from './bodies.ts';
import { defectsOf, normalMethod } from './defects.ts';
import { BAD_CONTENT_LENGTHS, headerNoise, ODD_CONTENT_LENGTHS, ODD_METHODS } from './malformed.ts';
import type { FuzzRoute, Parameter } from './routes.ts';
import { schemaValue } from './schema-values.ts';
import {
  badQuery,
  badSegment,
  encodeSegment,
  keepSegment,
  type Pairs,
  queryString,
  validQuery,
  wellFormed,
} from './urls.ts';

export type FuzzCaller = {
  name: string;
  /** Whether it passes the access check of a route naming `access` (its role, its certificate). */
  passes(access: string): boolean;
  /** The headers it authenticates with (an API token, a session cookie), if any. */
  credentials?: fc.Arbitrary<Record<string, string>>;
};

export type FuzzContext = {
  callers: readonly FuzzCaller[];
  /** Ids of rows that exist: path parameters of GET routes, never "unknown" ones. */
  knownIds: readonly string[];
  maxBodyBytes: number;
  /**
   * Routes whose well-formed requests store nothing anyway: they carry secrets the fuzz cannot
   * guess (a password, an invitation token, a signature) or only read. Every other route that
   * changes state is sent only requests with a defect.
   */
  refusedWhenWellFormed: ReadonlySet<string>;
  /**
   * Well-formed requests instead, with edge values (year 0001 and 9999, the longest texts, int4's
   * end), as callers the route lets in, on rows that exist: for a store that must not fail on
   * what the contract accepts. They change data, so no snapshot is compared.
   */
  wellFormed?: boolean;
};

export type FuzzRequest = {
  route: string;
  caller: string;
  method: string;
  /** Path and query, as handed to fetch. */
  url: string;
  credentials: Record<string, string>;
  headers: Array<[string, string]>;
  body?: Uint8Array;
  /** What the generator set out to break. */
  intent: string;
  /** Path parameters well-formed but naming nothing that exists. */
  unknownId: boolean;
  /** What is wrong with it, as the services' rules see it (defects.ts); empty: well-formed. */
  defects: string[];
};

const UTF8 = new TextEncoder();

function knownOrUnknown(parameter: Parameter, route: FuzzRoute, context: FuzzContext): fc.Arbitrary<string> {
  const known = new Set(context.knownIds);
  const unknown = wellFormed(parameter, route).filter((value) => !known.has(value));
  const pattern =
    typeof parameter.schema.pattern === 'string' ? new RegExp(parameter.schema.pattern) : undefined;
  const usable = context.knownIds.filter((id) => (pattern ? pattern.test(id) : true));
  if ((route.mutating && !context.wellFormed) || usable.length === 0) return unknown;
  return fc.oneof(unknown, fc.constantFrom(...usable));
}

/** Header values with C0 controls fetch lets through (not NUL, CR or LF). */
const controlHeaderValue = fc
  .tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0001', '\u0007', '\u000b', '\u001b', '\u001f'))
  .map(([text, control]) => `${text}${control}${text}`);

export function requestFor(route: FuzzRoute, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const passing = context.callers.filter((caller) => caller.passes(route.access));
  const base = fc.record({
    // Mostly a caller the route lets in, so that the one thing broken is what is refused.
    caller: !passing.length
      ? fc.constantFrom(...context.callers)
      : context.wellFormed
        ? fc.constantFrom(...passing)
        : fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...passing) },
            fc.constantFrom(...context.callers),
          ),
    params: fc.tuple(
      ...route.pathParams.map((parameter) => knownOrUnknown(parameter, route, context).map(encodeSegment)),
    ),
    query: validQuery(route),
    declaredHeaders: fc.tuple(
      ...route.headerParams.map((parameter) =>
        fc.option(
          schemaValue(parameter.schema, route.document).map((value): [string, string] => [
            parameter.name,
            String(value),
          ]),
          { nil: undefined },
        ),
      ),
    ),
    noise: fc.option(headerNoise, { freq: 3, nil: [] }),
  });
  const valid = route.jsonBody ? schemaValue(route.jsonBody.schema, route.document) : fc.constant(undefined);
  const bodies = route.jsonBody ? brokenJsonBodies(valid) : {};
  const validBody: fc.Arbitrary<Body | undefined> = route.jsonBody
    ? valid.map((value) => ({ bytes: jsonBytes(value), contentType: 'application/json' }))
    : route.otherBody
      ? brokenRawBodies(route.otherBody.mediaTypes)
      : fc.constant(undefined);

  type Draft = typeof base extends fc.Arbitrary<infer T> ? T : never;
  type Change = Partial<{
    caller: FuzzCaller;
    method: string;
    path: string;
    params: string[];
    query: Pairs;
    headers: Array<[string, string]>;
    body: Body | undefined;
  }>;
  const intents: Record<string, fc.Arbitrary<(draft: Draft) => Change>> = {};
  const refusing = context.callers.filter((caller) => !caller.passes(route.access));
  if (route.access !== 'public' && refusing.length) {
    intents.caller = fc.constantFrom(...refusing).map((caller) => () => ({ caller }));
  }
  const otherMethods = ODD_METHODS.filter((method) => {
    const normal = normalMethod(method);
    return !route.methodsOnPath.has(normal) && !(normal === 'HEAD' && route.methodsOnPath.has('GET'));
  });
  intents.method = fc.constantFrom(...otherMethods).map((method) => () => ({ method, body: undefined }));
  intents['path-shape'] = fc
    .constantFrom(
      (path: string) => `${path}/`,
      (path: string) => path.toUpperCase(),
      (path: string) => path.replace('/', '//'),
    )
    .map((reshape) => (draft) => ({ path: reshape(fillTemplate(route.template, draft.params)) }));
  if (route.pathParams.length) {
    intents['path-param'] = fc
      .tuple(fc.nat(), fc.tuple(...route.pathParams.map((parameter) => badSegment(parameter, route))))
      .map(([which, bad]) => (draft) => {
        const params = [...draft.params];
        const index = which % params.length;
        params[index] = keepSegment(bad[index] ?? '');
        return { params };
      });
  }
  intents.query = badQuery(route).map((query) => () => ({ query }));
  intents.header = fc
    .oneof(
      fc.tuple(
        fc.constantFrom(...route.headerParams.map((parameter) => parameter.name), 'accept'),
        controlHeaderValue,
      ),
      fc.tuple(
        fc.constantFrom(...route.headerParams.map((parameter) => parameter.name), 'if-match'),
        fc.oneof(
          fc.constantFrom('"-1"', '"1.5"', 'W/"x"', '*', '"99999999999999999999"', ''),
          fc.string({ maxLength: 30 }),
        ),
      ),
      fc.tuple(
        fc.constant('content-length'),
        fc.constantFrom(...BAD_CONTENT_LENGTHS, ...ODD_CONTENT_LENGTHS),
      ),
      fc.tuple(fc.constant('content-length'), fc.constant(String(context.maxBodyBytes + 1))),
    )
    .map(([name, value]) => (draft) => ({ headers: [...draft.noise, [name, value]] }));
  if (route.mutating) {
    for (const [intent, body] of Object.entries(bodies))
      intents[intent] = body.map((chosen) => () => ({ body: chosen }));
    if (route.otherBody)
      intents['body-bytes'] = brokenRawBodies(route.otherBody.mediaTypes).map((body) => () => ({ body }));
    if (!route.jsonBody && !route.otherBody)
      intents['stray-body'] = strayBody.map((body) => () => ({ body }));
    if (namesSomething(route)) intents['unknown-id'] = fc.constant(() => ({}));
  } else {
    intents.edge = fc.constant(() => ({}));
  }

  const names = context.wellFormed ? ['edge'] : Object.keys(intents).sort();
  intents.edge ??= fc.constant(() => ({}));
  return fc.tuple(base, fc.constantFrom(...names), validBody).chain(([draft, intent, body]) =>
    (intents[intent] as fc.Arbitrary<(draft: Draft) => Change>).chain((change) => {
      const changed = change(draft as Draft);
      const caller = changed.caller ?? draft.caller;
      return (caller.credentials ?? fc.constant({})).map((credentials) =>
        assemble(route, context, {
          intent,
          caller,
          credentials,
          method: changed.method ?? route.method,
          path: changed.path ?? fillTemplate(route.template, changed.params ?? draft.params),
          query: changed.query ?? draft.query,
          headers: changed.headers ?? [
            ...draft.declaredHeaders.filter((header): header is [string, string] => header !== undefined),
            ...draft.noise,
          ],
          body: 'body' in changed ? changed.body : body,
          unknownId:
            namesSomething(route) &&
            !changed.params &&
            !changed.path &&
            draft.params.some((param) => !context.knownIds.includes(param)),
        }),
      );
    }),
  );
}

/** What fetch can send as a header value: bytes, without NUL, CR or LF. */
function headerSafe([name, value]: [string, string]): [string, string] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls fetch lets through are kept
  return [name, value.replace(/[^\u0001-\u0009\u000b\u000c\u000e-\u00ff]/g, '?')];
}

/**
 * Its path parameters name a row that must exist (the contract answers 404), and can name one
 * that does not: an enumerated parameter (a category) always names something that exists.
 */
function namesSomething(route: FuzzRoute): boolean {
  return (
    route.looksUpParams &&
    route.pathParams.length > 0 &&
    route.pathParams.every((parameter) => !Array.isArray(parameter.schema.enum))
  );
}

function fillTemplate(template: string, params: readonly string[]): string {
  let index = 0;
  return template.replace(/\{\w+\}/g, () => params[index++] ?? '');
}

function assemble(
  route: FuzzRoute,
  context: FuzzContext,
  parts: {
    intent: string;
    caller: FuzzCaller;
    credentials: Record<string, string>;
    method: string;
    path: string;
    query: Pairs;
    headers: Array<[string, string]>;
    body: Body | undefined;
    unknownId: boolean;
  },
): FuzzRequest {
  const method = normalMethod(parts.method);
  const hasBody = method !== 'GET' && method !== 'HEAD' && parts.body !== undefined;
  const request: FuzzRequest = {
    route: route.key,
    caller: parts.caller.name,
    method,
    url: parts.path + queryString(parts.query),
    credentials: parts.credentials,
    headers: [
      ...(hasBody && parts.body?.contentType
        ? ([['content-type', parts.body.contentType]] as Array<[string, string]>)
        : []),
      ...parts.headers.map(headerSafe),
    ],
    ...(hasBody && parts.body ? { body: parts.body.bytes } : {}),
    intent: parts.intent,
    unknownId: parts.unknownId && route.mutating,
    defects: [],
  };
  request.defects = defectsOf(route, request, parts.caller, context);
  if (
    request.defects.length ||
    !route.mutating ||
    context.wellFormed ||
    context.refusedWhenWellFormed.has(route.key)
  )
    return request;
  // Well-formed after all (a mutation that kept the value valid): break it for certain.
  const refusing = context.callers.find((caller) => !caller.passes(route.access));
  if (route.jsonBody) {
    const text = new TextDecoder().decode(request.body ?? new Uint8Array());
    request.body = UTF8.encode(`[${text}]`);
    request.headers = [
      ['content-type', 'application/json'],
      ...request.headers.filter(([name]) => name !== 'content-type'),
    ];
  } else if (route.access !== 'public' && refusing) {
    request.caller = refusing.name;
    request.credentials = {};
    parts.caller = refusing;
  } else {
    request.method = 'FOO';
    delete request.body;
  }
  request.intent += '+forced';
  request.defects = defectsOf(route, request, parts.caller, context);
  if (!request.defects.length) throw new Error(`fuzz: could not break a request to ${route.key}`);
  return request;
}
