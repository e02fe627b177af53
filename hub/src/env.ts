// The hono environment of the hub's routes: Node's request bindings (for the TLS socket), the
// request id, and the member the client certificate belongs to.
import type { HttpBindings } from '@hono/node-server';
import type { RequestVariables } from '@khoj/platform';
import type { MemberRow } from './db/schema/index.ts';

export type HubEnv = {
  Bindings: HttpBindings;
  Variables: RequestVariables & { member: MemberRow };
};
