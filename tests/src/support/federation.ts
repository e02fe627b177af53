// A federation for the cross-process tests: a hub and N nodes, each its own `node …/main.ts`
// process, over real mutual TLS (certificates from a fresh federation home), each with its own
// PostgreSQL database, the nodes relaying through BullMQ on Redis. The test reads and writes the
// services' databases directly where no API says what it checks (the hub's stored envelopes, a
// node's audit log), creates officers and their API tokens the way `khoj user`/`khoj token` do,
// and calls the nodes' APIs over HTTP. `stop()` undoes whatever `start()` got to, so a failed
// start leaves no process, database or directory behind.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodePolicy } from '@khoj/contracts';
import { createToken, createUser, insertUnit, type NodeStore, openNodeStore, type Role } from '@khoj/node';
import { type DatabaseHandle, openDatabase } from '@khoj/platform';
import {
  createNode,
  federationLayout,
  initFederation,
  type ServiceProcess,
  startHubProcess,
  startNodeProcess,
} from '@khoj/tools';
import { Agent, fetch as undiciFetch } from 'undici';
import { inject } from 'vitest';
import * as hubSchema from '../../../hub/src/db/schema/index.ts';
import { permissionsOf } from '../../../nodes/src/access/permissions.ts';
import { federationMembers } from '../../../nodes/src/db/schema/index.ts';
import { loadHeldConfig } from '../../../nodes/src/trust/federation-config.store.ts';
import { createDatabase, dropDatabase } from '../../infra/services.ts';
import { freePort } from './ports.ts';

const KHOJ = fileURLToPath(new URL('../../../tools/bin/khoj.js', import.meta.url));
/** Generous: the machine's two cores are shared, and a service type-strips its sources on start. */
const READY_TIMEOUT_MS = 180_000;
const HUB_MIGRATIONS = fileURLToPath(new URL('../../../hub/drizzle', import.meta.url));

export type HubStore = DatabaseHandle<typeof hubSchema>;

export type FederationOptions = {
  /** Names the temporary home and the databases. */
  name: string;
  nodes: readonly string[];
  /** Added to every node's environment (e.g. KHOJ_DETAIL_DEADLINE_HOURS). */
  nodeEnv?: Record<string, string>;
  hubEnv?: Record<string, string>;
};

export type FederationNode = {
  id: string;
  port: number;
  databaseUrl: string;
  process: ServiceProcess;
  /** The node's HTTP API, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** The node's database, opened beside the running process. */
  store: NodeStore;
};

export type Officer = { nodeId: string; username: string; token: string };

/** Polls `check` until it returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function createFederation(options: FederationOptions) {
  let home = '';
  const databases: string[] = [];
  const nodes: Record<string, FederationNode> = {};
  const hub = {} as {
    port: number;
    url: string;
    databaseUrl: string;
    process: ServiceProcess;
    store: HubStore;
  };
  const tokens: Record<string, string> = {};
  const officers: Record<string, Officer> = {};
  const closers: Array<() => Promise<void>> = [];
  /** The last lines each service printed: `tail()` shows them when a test needs to say why. */
  const logs = new Map<string, string[]>();
  const output = (name: string, line: string) => {
    const lines = logs.get(name) ?? [];
    logs.set(name, lines);
    lines.push(line);
    if (lines.length > 400) lines.splice(0, 100);
  };
  const postgresUrl = () => inject('postgresUrl');

  const database = async (name: string) => {
    const dbName = `${options.name}_${name}_${randomUUID().slice(0, 8)}`
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
    databases.push(dbName);
    return createDatabase(postgresUrl(), dbName);
  };

  const hubEnvironment = () => ({
    DATABASE_URL: hub.databaseUrl,
    REDIS_URL: inject('redisUrl'),
    // Short long-polls and sweeps: the tests wait for effects, not for timers.
    KHOJ_HUB_MAX_WAIT_SECONDS: '1',
    KHOJ_HUB_SWEEP_SECONDS: '1',
    ...options.hubEnv,
  });
  const nodeEnvironment = (node: Pick<FederationNode, 'databaseUrl'>) => ({
    DATABASE_URL: node.databaseUrl,
    REDIS_URL: inject('redisUrl'),
    KHOJ_INBOX_WAIT_SECONDS: '1',
    KHOJ_FEDERATION_CONFIG_REFRESH_SECONDS: '1',
    ...options.nodeEnv,
  });

  /** A client of the hub's HTTPS API presenting the certificate in `certPath` (mutual TLS). */
  const hubClient = async (certPath: string, keyPath: string) => {
    const tls = {
      ca: await readFile(federationLayout(home).rootCaCert, 'utf8'),
      cert: await readFile(certPath, 'utf8'),
      key: await readFile(keyPath, 'utf8'),
    };
    return {
      async request<T>(method: string, path: string, body?: unknown) {
        // A connection per request: a test's few calls need no pool left open after it.
        const dispatcher = new Agent({ connect: tls });
        try {
          const response = await undiciFetch(`${hub.url}${path}`, {
            method,
            dispatcher,
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const text = await response.text();
          return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
        } finally {
          await dispatcher.close();
        }
      },
    };
  };
  let admin: Awaited<ReturnType<typeof hubClient>> | undefined;

  const startNode = async (node: Omit<FederationNode, 'process' | 'url'>) => {
    const started = await startNodeProcess(node.id, federationLayout(home).node(node.id).home, node.port, {
      env: nodeEnvironment(node),
      output,
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
    return started;
  };

  const federation = {
    get home() {
      return home;
    },
    hub,
    nodes,
    tokens,
    officers,

    /** A started node (throws for one this federation does not have). */
    node(nodeId: string): FederationNode {
      const node = nodes[nodeId];
      if (!node) throw new Error(`no node ${nodeId} in this federation`);
      return node;
    },

    /** The last `lines` lines of each service's output (or of one service's). */
    tail(service?: string, lines = 40) {
      return [...logs]
        .filter(([name]) => !service || name === service)
        .map(([name, printed]) => `--- ${name}\n${printed.slice(-lines).join('\n')}`)
        .join('\n');
    },

    async start() {
      try {
        home = await mkdtemp(join(tmpdir(), `khoj-${options.name}-`));
        await initFederation(home);
        hub.port = await freePort();
        hub.url = `https://localhost:${hub.port}`;
        // Registered before the hub starts, so that its first configuration names every node.
        for (const nodeId of options.nodes) await createNode(home, nodeId, { hubUrl: hub.url });
        hub.databaseUrl = await database('hub');
        const prepared = [];
        for (const nodeId of options.nodes) {
          const databaseUrl = await database(`node_${nodeId}`);
          // Opened (and migrated) before the process starts, which then finds its schema current.
          const store = await openNodeStore(federationLayout(home).node(nodeId).home, databaseUrl);
          closers.push(() => store.close());
          prepared.push({ id: nodeId, port: await freePort(), databaseUrl, store });
        }
        hub.process = await startHubProcess(federationLayout(home).hub.home, hub.port, {
          env: hubEnvironment(),
          output,
          readyTimeoutMs: READY_TIMEOUT_MS,
        });
        hub.store = await openDatabase({
          url: hub.databaseUrl,
          dataDir: '',
          migrationsFolder: HUB_MIGRATIONS,
          schema: hubSchema,
          poolSize: 2,
        });
        closers.push(() => hub.store.close());
        await Promise.all(
          prepared.map(async (node) => {
            const started = await startNode(node);
            nodes[node.id] = { ...node, process: started, url: started.url };
          }),
        );
        // Every node knows every other (from the signed federation configuration).
        for (const node of Object.values(nodes)) {
          const others = options.nodes.filter((id) => id !== node.id);
          await eventually(`${node.id}'s directory`, async () => {
            const members = new Set(
              (await node.store.db.select().from(federationMembers)).map((m) => m.nodeId),
            );
            return others.every((id) => members.has(id)) ? true : undefined;
          });
        }
      } catch (error) {
        // What the services printed says why one did not start or did not join.
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${federation.tail()}`, {
          cause: error,
        });
      }
    },

    /** SIGTERM and start again on the same port and database (a restart by its supervisor). */
    async restartNode(nodeId: string) {
      await federation.stopNode(nodeId);
      await federation.startNode(nodeId);
    },

    /** SIGTERM: the node is down (its envelopes wait at the hub) until `startNode`. */
    async stopNode(nodeId: string) {
      await federation.node(nodeId).process.stop();
    },

    /** Starts a stopped node again on its port and database; resolves once it is ready. */
    async startNode(nodeId: string) {
      const node = federation.node(nodeId);
      node.process = await startNode(node);
      node.url = node.process.url;
    },

    /**
     * A user with `role` in a new unit at `nodeId` and an API token with the role's permissions,
     * valid 30 days; `call(username, …)` then acts as them.
     */
    async officer(nodeId: string, username: string, role: Role, unit: { type: string; state?: string }) {
      const { db } = federation.node(nodeId).store;
      const row = await insertUnit(db, {
        name: `${username} unit`,
        type: unit.type as never,
        country: nodeId.slice(0, 2),
        ...(unit.state ? { state: unit.state } : {}),
        phones: ['+91 3473 210000'],
        emails: [],
        active: true,
      });
      await createUser(
        db,
        { username, displayName: username, role, unitId: row.id, password: 'correct horse battery staple' },
        'test',
      );
      const { token } = await createToken(
        db,
        {
          username,
          name: 'test',
          scopes: permissionsOf(role),
          expiresAt: new Date(Date.now() + 30 * 86_400_000),
        },
        'test',
      );
      tokens[username] = token;
      officers[username] = { nodeId, username, token };
      return token;
    },

    /** The node API as `username` (the node is the officer's); the answer's status and JSON body. */
    async call<T>(
      username: string,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) {
      const officer = officers[username];
      if (!officer) throw new Error(`no officer ${username}: create them with officer()`);
      const response = await fetch(`${federation.node(officer.nodeId).url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${officer.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },

    /**
     * The hub's admin API with a certificate from `khoj ca admin-cert` (role `admin`), over
     * mutual TLS, as an operator reaches it. Issued once, on first use.
     */
    async hubAdmin() {
      if (!admin) {
        const out = join(home, 'admins', 'test-admin');
        const result = await runKhoj(
          home,
          ['ca', 'admin-cert', 'test-admin', '--role', 'admin', '--out', out],
          {
            DATABASE_URL: hub.databaseUrl,
            KHOJ_HUB_DUAL_CONTROL: options.hubEnv?.KHOJ_HUB_DUAL_CONTROL ?? 'false',
          },
        );
        if (result.code !== 0)
          throw new Error(`khoj ca admin-cert failed:\n${result.stdout}\n${result.stderr}`);
        admin = await hubClient(join(out, 'admin.cert.pem'), join(out, 'admin.key.pem'));
      }
      return admin;
    },

    /** The hub's API as `nodeId`, with its TLS certificate: what the node process itself calls. */
    asNode(nodeId: string) {
      const paths = federationLayout(home).node(nodeId);
      return hubClient(paths.tlsCert, paths.tlsKey);
    },

    /**
     * Sets `nodeId`'s federation policy through the admin API and waits until every running node
     * holds the configuration that publishes it (each refreshes every second here).
     */
    async setNodePolicy(nodeId: string, policy: NodePolicy) {
      const { status, body } = await (await federation.hubAdmin()).request<{ configVersion: number }>(
        'PUT',
        `/v1/admin/nodes/${nodeId}/policy`,
        policy,
      );
      if (status !== 200) throw new Error(`PUT policy of ${nodeId}: ${status} ${JSON.stringify(body)}`);
      for (const node of Object.values(nodes)) {
        if (node.process.child.exitCode !== null || node.process.child.signalCode !== null) continue;
        await eventually(`${node.id} to hold configuration ${body.configVersion}`, async () => {
          const held = await loadHeldConfig(node.store.db);
          return held && held.version >= body.configVersion ? true : undefined;
        });
      }
      return body.configVersion;
    },

    async stop() {
      await Promise.all(Object.values(nodes).map((node) => node.process?.stop()));
      await hub.process?.stop();
      for (const close of closers.reverse()) await close().catch(() => undefined);
      for (const name of databases) await dropDatabase(postgresUrl(), name);
      if (home) await rm(home, { recursive: true, force: true });
    },
  };
  return federation;
}

export type Federation = ReturnType<typeof createFederation>;

/** Runs the `khoj` command over `home`; its exit code and output. */
export function runKhoj(
  home: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [KHOJ, '--home', home, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
