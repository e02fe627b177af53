// Emits the OpenAPI 3.1 documents from the route contracts. The committed documents in
// `openapi/` must equal what this produces (a test checks), and the services serve the same.
import { OpenAPIHono } from '@hono/zod-openapi';
import { hubRoutes } from './hub-api.ts';
import { nodeRoutes } from './node-api.ts';

type Registry = OpenAPIHono['openAPIRegistry'];
type Document = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

export const HUB_DOCUMENT_INFO = {
  title: 'khoj hub API',
  version: '0.1.0',
  description: 'Trust registry and store-and-forward of signed, encrypted envelopes between khoj nodes.',
};
export const NODE_DOCUMENT_INFO = {
  title: 'khoj node API',
  version: '0.1.0',
  description: "A node's case store and exchange: reports of missing and found children.",
};

export function registerHubSecurity(registry: Registry): void {
  registry.registerComponent('securitySchemes', 'mutualTLS', {
    type: 'mutualTLS',
    description: 'A node certificate issued by the federation CA',
  });
}

/** The hub document as emitted from the contracts alone. */
export function hubOpenApiDocument(): Document {
  const app = new OpenAPIHono();
  registerHubSecurity(app.openAPIRegistry);
  for (const route of hubRoutes) app.openAPIRegistry.registerPath(route);
  return app.getOpenAPI31Document({ openapi: '3.1.0', info: HUB_DOCUMENT_INFO });
}

export function nodeOpenApiDocument(): Document {
  const app = new OpenAPIHono();
  for (const route of nodeRoutes) app.openAPIRegistry.registerPath(route);
  return app.getOpenAPI31Document({ openapi: '3.1.0', info: NODE_DOCUMENT_INFO });
}
