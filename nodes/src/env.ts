// The hono environment of the node's routes.
import type { HttpBindings } from '@hono/node-server';
import type { RequestVariables } from '@khoj/platform';

export type NodeEnv = { Bindings: HttpBindings; Variables: RequestVariables };
