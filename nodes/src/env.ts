// The hono environment of the node's routes: Node's bindings, the request id, and who is acting
// (set by the authorize middleware on every route that is not public).
import type { HttpBindings } from '@hono/node-server';
import type { RequestVariables } from '@khoj/platform';
import type { Actor } from './access/permissions.ts';

export type NodeEnv = { Bindings: HttpBindings; Variables: RequestVariables & { actor: Actor } };
