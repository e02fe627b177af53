// The hono environment of the hub's routes: Node's request bindings (for the TLS socket), the
// request id, and who the client certificate belongs to — a member node or an administrator.
import type { HttpBindings } from '@hono/node-server';
import type { AdminRole } from '@khoj/contracts';
import type { RequestVariables } from '@khoj/platform';
import type { MemberRow } from './db/schema/index.ts';
import type { TrustSnapshot } from './trust/trust-snapshot.ts';

/** An administrator as their client certificate names them. */
export type AdminIdentity = { name: string; role: AdminRole; serialHex: string };

export type HubEnv = {
  Bindings: HttpBindings;
  Variables: RequestVariables & {
    member: MemberRow;
    /** For member requests: the trust tables as the member check read them (trust-snapshot.ts). */
    trust: TrustSnapshot;
    admin: AdminIdentity;
  };
};
