// The routes to fuzz, taken from the route contracts (the lists the services register) together
// with the OpenAPI document emitted from them: each route's method and path, the zod schemas
// that decide what it accepts, and the JSON Schemas its inputs are generated from.
import { type JsonSchema, resolveSchema, type SchemaDocument } from './schema-values.ts';

type ZodLike = { safeParse(value: unknown): { success: boolean } };

/** What the fuzz reads of a `createRoute` contract. */
export type ContractRoute = {
  readonly method: string;
  readonly path: string;
  readonly request?: {
    readonly params?: unknown;
    readonly query?: unknown;
    readonly headers?: unknown;
    readonly body?: {
      readonly required?: boolean;
      readonly content: Readonly<Record<string, { readonly schema?: unknown } | undefined>>;
    };
  };
};

export type OpenApiDocument = SchemaDocument & {
  paths?: Record<string, Record<string, unknown> | undefined>;
};

export type Parameter = { name: string; required: boolean; schema: JsonSchema };

export type FuzzRoute = {
  /** `POST /v1/reports/{caseId}/photos`, as in the OpenAPI document. */
  key: string;
  method: string;
  template: string;
  /** The access its contract names (`public`, `member`, `case.read`, …). */
  access: string;
  /** Changes state if it succeeds: everything but GET. */
  mutating: boolean;
  /**
   * Its path parameters name something that must exist: the contract answers 404. (Revoking a
   * certificate by serial does not: administrators' certificates are not on record.)
   */
  looksUpParams: boolean;
  pathParams: Parameter[];
  queryParams: Parameter[];
  headerParams: Parameter[];
  /** Methods of every route on the same path. */
  methodsOnPath: ReadonlySet<string>;
  schemas: { params?: ZodLike; query?: ZodLike; headers?: ZodLike; json?: ZodLike };
  /** A JSON body: its JSON Schema and whether the contract requires it. */
  jsonBody?: { schema: JsonSchema; required: boolean };
  /** A body of other media types (raw image bytes). */
  otherBody?: { mediaTypes: string[] };
  /** Where the JSON Schemas' references point. */
  document: SchemaDocument;
};

function zodLike(value: unknown): ZodLike | undefined {
  return typeof (value as ZodLike | undefined)?.safeParse === 'function' ? (value as ZodLike) : undefined;
}

/**
 * Every route of `routes`, described from its contract and its operation in `document`. Throws
 * when the two disagree, so a route added to one and not the other cannot slip past the fuzz.
 */
export function fuzzRoutes<Route extends ContractRoute>(
  routes: readonly Route[],
  emitted: object,
  accessOf: (route: Route) => string | undefined,
): FuzzRoute[] {
  const document = emitted as OpenApiDocument;
  const methodsOnPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const methods = methodsOnPath.get(route.path) ?? new Set();
    methods.add(route.method.toUpperCase());
    methodsOnPath.set(route.path, methods);
  }
  const described = routes.map((route): FuzzRoute => {
    const method = route.method.toUpperCase();
    const key = `${method} ${route.path}`;
    const operation = document.paths?.[route.path]?.[route.method] as JsonSchema | undefined;
    if (!operation) throw new Error(`${key} is in the route contracts but not in the OpenAPI document`);
    const access = accessOf(route);
    if (!access) throw new Error(`${key} names no access in its contract`);
    const parameters = ((operation.parameters as JsonSchema[] | undefined) ?? []).map((parameter) => ({
      in: parameter.in as string,
      name: parameter.name as string,
      required: parameter.required === true,
      schema: resolveSchema(parameter.schema, document),
    }));
    const content = route.request?.body?.content ?? {};
    const jsonMediaType = Object.keys(content).find((mediaType) => /json/i.test(mediaType));
    const others = Object.keys(content).filter((mediaType) => mediaType !== jsonMediaType);
    const requestBody = operation.requestBody as
      | { content?: Record<string, { schema?: unknown }> }
      | undefined;
    return {
      key,
      method,
      template: route.path,
      access,
      mutating: method !== 'GET',
      looksUpParams: Object.hasOwn((operation.responses as object | undefined) ?? {}, '404'),
      pathParams: parameters.filter((parameter) => parameter.in === 'path'),
      queryParams: parameters.filter((parameter) => parameter.in === 'query'),
      headerParams: parameters.filter((parameter) => parameter.in === 'header'),
      methodsOnPath: methodsOnPath.get(route.path) ?? new Set(),
      document,
      schemas: {
        params: zodLike(route.request?.params),
        query: zodLike(route.request?.query),
        headers: zodLike(route.request?.headers),
        json: jsonMediaType ? zodLike(content[jsonMediaType]?.schema) : undefined,
      },
      ...(jsonMediaType
        ? {
            jsonBody: {
              schema: resolveSchema(requestBody?.content?.[jsonMediaType]?.schema, document),
              required: route.request?.body?.required === true,
            },
          }
        : {}),
      ...(others.length ? { otherBody: { mediaTypes: others } } : {}),
    };
  });
  const contracted = new Set(described.map((route) => route.key));
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(operations ?? {})) {
      const key = `${method.toUpperCase()} ${path}`;
      if (!contracted.has(key))
        throw new Error(`${key} is in the OpenAPI document but not in the route contracts`);
    }
  }
  return described.sort((a, b) => a.key.localeCompare(b.key));
}

/** `/v1/reports/{caseId}` → a regex over a request's (still encoded) path, capturing each param. */
export function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
