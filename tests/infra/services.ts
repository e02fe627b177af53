// Test-service bootstrap: provides a PostgreSQL and a Redis server for integration tests. Uses servers
// started by CI (KHOJ_TEST_POSTGRES_URL / KHOJ_TEST_REDIS_URL), else testcontainers, else (no container
// runtime) throwaway local postgres/redis-server processes on free loopback ports. Also creates/drops
// per-test databases.

import type { ChildProcess } from 'node:child_process';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, chmod, chown, mkdir, mkdtemp, open } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';

export type TestServices = {
  postgresUrl: string;
  redisUrl: string;
  source: 'env' | 'testcontainers' | 'local';
  stop(): Promise<void>;
};

const POSTGRES_IMAGE = 'postgres:15';
const REDIS_IMAGE = 'redis:7';
const PG_VERSION_DIR = '/usr/lib/postgresql/15/bin';
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

const execFileAsync = promisify(execFile);

/** Starts (or locates) PostgreSQL and Redis for tests; call `stop()` when done. */
export async function startTestServices(): Promise<TestServices> {
  const envPostgres = process.env.KHOJ_TEST_POSTGRES_URL;
  const envRedis = process.env.KHOJ_TEST_REDIS_URL;
  if (envPostgres && envRedis) {
    return { postgresUrl: envPostgres, redisUrl: envRedis, source: 'env', stop: async () => {} };
  }
  if (envPostgres || envRedis) {
    throw new Error('Set both KHOJ_TEST_POSTGRES_URL and KHOJ_TEST_REDIS_URL, or neither.');
  }
  try {
    return await startWithTestcontainers();
  } catch (error) {
    if (!isNoContainerRuntimeError(error)) throw error;
  }
  return startLocalServers();
}

// ---------------------------------------------------------------------------------------------------------
// testcontainers

function isNoContainerRuntimeError(error: unknown): boolean {
  return error instanceof Error && /could not find a working container runtime strategy/i.test(error.message);
}

async function startWithTestcontainers(): Promise<TestServices> {
  // Loaded lazily so the env and local paths never pay for (or depend on) testcontainers.
  const { getContainerRuntimeClient } = await import('testcontainers');
  // Fails within milliseconds when there is no Docker/Podman, before any container is configured.
  await getContainerRuntimeClient();
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RedisContainer } = await import('@testcontainers/redis');

  const [pg, redis] = await Promise.allSettled([
    new PostgreSqlContainer(POSTGRES_IMAGE).start(),
    new RedisContainer(REDIS_IMAGE).start(),
  ]);
  if (pg.status === 'rejected' || redis.status === 'rejected') {
    await Promise.allSettled([
      pg.status === 'fulfilled' ? pg.value.stop() : undefined,
      redis.status === 'fulfilled' ? redis.value.stop() : undefined,
    ]);
    throw pg.status === 'rejected' ? pg.reason : (redis as PromiseRejectedResult).reason;
  }
  return {
    postgresUrl: pg.value.getConnectionUri(),
    redisUrl: redis.value.getConnectionUrl(),
    source: 'testcontainers',
    stop: async () => {
      await Promise.all([pg.value.stop(), redis.value.stop()]);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// local servers

type PgBinaries = { initdb: string; postgres: string; pgIsReady: string };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const dir of [...dirs, '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin']) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Prefers PostgreSQL 15 (what CI and the postgres:15 image run), then any Debian version, then PATH. */
function findPgBinaries(): PgBinaries | undefined {
  const debianDirs = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  for (const dir of [PG_VERSION_DIR, ...debianDirs]) {
    const initdb = join(dir, 'initdb');
    const server = join(dir, 'postgres');
    if (isExecutable(initdb) && isExecutable(server)) {
      const pgIsReady = join(dir, 'pg_isready');
      return { initdb, postgres: server, pgIsReady: isExecutable(pgIsReady) ? pgIsReady : 'pg_isready' };
    }
  }
  const initdb = findOnPath('initdb');
  const server = findOnPath('postgres');
  const pgIsReady = findOnPath('pg_isready');
  return initdb && server && pgIsReady ? { initdb, postgres: server, pgIsReady } : undefined;
}

/** initdb/postgres refuse to run as root: when root, run them as the `postgres` system user. */
function postgresRunAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'Running as root, but there is no `postgres` system user to run the local PostgreSQL server as ' +
        '(initdb refuses root). Install it with `apt-get install -y postgresql-15`, or run tests as a non-root user.',
    );
  }
}

/** Reserves distinct free loopback ports (all held open at once so they differ). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const address = s.address();
    if (address === null || typeof address === 'string') throw new Error('unexpected server address');
    return address.port;
  });
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** True once the process is gone, or if it never started (spawn failure: no pid, no 'exit' event). */
function hasExited(child: ChildProcess): boolean {
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

async function waitFor(
  what: string,
  child: ChildProcess,
  logFile: string,
  probe: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      const how =
        child.pid === undefined ? 'could not be started' : `exited (${child.exitCode ?? child.signalCode})`;
      throw new Error(`${what} ${how} during startup. Log:\n${tail(logFile)}`);
    }
    if (await probe()) return;
    await sleep(100);
  }
  throw new Error(`${what} did not become ready within ${STARTUP_TIMEOUT_MS} ms. Log:\n${tail(logFile)}`);
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

async function pgIsReady(bin: string, port: number): Promise<boolean> {
  try {
    await execFileAsync(bin, [
      '-q',
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      'postgres',
    ]);
    return true;
  } catch {
    return false;
  }
}

// Args: <parent pid> <root>. Waits for the parent to go away, then signals each "<SIG> <pid>" of <root>/pids
// that is still one of our servers (its cwd is under <root>; pids get reused), waits up to 10 s, kills what is
// left and removes <root>.
const WATCHDOG_SCRIPT = `
parent=$1 root=$2
while kill -0 "$parent" 2>/dev/null; do sleep 0.5; done
ours() { case $(readlink "/proc/$1/cwd" 2>/dev/null) in "$root"*) return 0 ;; esac; return 1; }
if [ -f "$root/pids" ]; then
  while read -r sig pid; do ours "$pid" && kill -"$sig" "$pid" 2>/dev/null; done <"$root/pids"
  i=0
  while [ $i -lt 100 ]; do
    alive=
    while read -r sig pid; do ours "$pid" && alive=1; done <"$root/pids"
    [ -z "$alive" ] && break
    sleep 0.1
    i=$((i + 1))
  done
  while read -r sig pid; do ours "$pid" && kill -KILL "$pid" 2>/dev/null; done <"$root/pids"
fi
rm -rf "$root"
`;

async function startLocalServers(): Promise<TestServices> {
  const pg = findPgBinaries();
  const redisServer = findOnPath('redis-server');
  const missing: string[] = [];
  if (!pg) {
    missing.push(
      `PostgreSQL server binaries (initdb, postgres, pg_isready) not found in ${PG_VERSION_DIR} or on PATH: ` +
        'install them with `apt-get install -y postgresql-15`',
    );
  }
  if (!redisServer) {
    missing.push('redis-server not found on PATH: install it with `apt-get install -y redis-server`');
  }
  if (!pg || !redisServer) {
    throw new Error(
      'No test services: KHOJ_TEST_POSTGRES_URL/KHOJ_TEST_REDIS_URL are not set, testcontainers found no ' +
        `container runtime, and local servers cannot be started:\n  - ${missing.join('\n  - ')}\n` +
        '(Or start Docker, or point KHOJ_TEST_POSTGRES_URL and KHOJ_TEST_REDIS_URL at running servers.)',
    );
  }
  const runAs = postgresRunAs();

  const root = await mkdtemp(join(tmpdir(), 'khoj-svc-'));
  const dataDir = join(root, 'pgdata');
  const socketDir = join(root, 'pgsock');
  const pgLog = join(root, 'postgres.log');
  const redisLog = join(root, 'redis.log');
  const children: { child: ChildProcess; signal: NodeJS.Signals }[] = [];

  // If this process dies without calling stop() (Ctrl-C or SIGTERM to vitest, which skips its teardown;
  // SIGKILL; a crash), a detached watchdog stops the servers listed in <root>/pids and removes <root>.
  const watchdog = spawn(
    '/bin/sh',
    ['-c', WATCHDOG_SCRIPT, 'khoj-test-services-watchdog', String(process.pid), root],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  watchdog.on('error', () => {});
  watchdog.unref();
  const track = async (child: ChildProcess, signal: NodeJS.Signals) => {
    child.on('error', () => {}); // a spawn failure is reported by waitFor()
    children.push({ child, signal });
    if (child.pid !== undefined) await appendFile(join(root, 'pids'), `${signal.slice(3)} ${child.pid}\n`);
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    watchdog.kill('SIGKILL');
    // SIGINT = PostgreSQL "fast" shutdown; SIGTERM = Redis graceful shutdown.
    await Promise.all(children.map(({ child, signal }) => stopChild(child, signal)));
    rmSync(root, { recursive: true, force: true });
  };

  try {
    await chmod(root, 0o755); // the postgres user must be able to traverse it
    await mkdir(dataDir, { mode: 0o700 });
    await mkdir(socketDir, { mode: 0o700 });
    if (runAs) {
      await chown(dataDir, runAs.uid, runAs.gid);
      await chown(socketDir, runAs.uid, runAs.gid);
    }
    const [pgPort, redisPort] = await freePorts(2);
    if (pgPort === undefined || redisPort === undefined) throw new Error('could not reserve ports');

    const initdb = execFileAsync(
      pg.initdb,
      ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
      { cwd: root, ...runAs },
    ).catch((error: { stderr?: string; message: string }) => {
      throw new Error(`initdb failed: ${error.stderr || error.message}`);
    });
    initdb.catch(() => {}); // awaited below; don't let an early failure count as unhandled meanwhile

    const redisOut = await open(redisLog, 'w');
    const redis = spawn(
      redisServer,
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', root],
      { cwd: root, stdio: ['ignore', redisOut.fd, redisOut.fd] },
    );
    await redisOut.close();
    await track(redis, 'SIGTERM');

    await initdb;
    const pgOut = await open(pgLog, 'w');
    const server = spawn(
      pg.postgres,
      [
        '-D',
        dataDir,
        '-p',
        String(pgPort),
        '-k',
        socketDir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      { cwd: root, stdio: ['ignore', pgOut.fd, pgOut.fd], ...runAs },
    );
    await pgOut.close();
    await track(server, 'SIGINT');

    await Promise.all([
      waitFor('redis-server', redis, redisLog, () => redisPing(redisPort)),
      waitFor('postgres', server, pgLog, () => pgIsReady(pg.pgIsReady, pgPort)),
    ]);
    return {
      postgresUrl: `postgres://postgres@127.0.0.1:${pgPort}/postgres`,
      redisUrl: `redis://127.0.0.1:${redisPort}`,
      source: 'local',
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// per-test databases

const MAX_IDENTIFIER_BYTES = 63; // PostgreSQL silently truncates longer names

function databaseUrl(postgresUrl: string, name: string): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** Runs `fn` on a one-connection client to the server's maintenance database (never `name` itself). */
async function withAdminConnection(
  postgresUrl: string,
  name: string,
  fn: (sql: postgres.Sql) => Promise<void>,
): Promise<void> {
  const url = new URL(postgresUrl);
  const adminUrl =
    decodeURIComponent(url.pathname.slice(1)) === name ? databaseUrl(postgresUrl, 'postgres') : url;
  const sql = postgres(adminUrl.toString(), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function checkName(name: string): void {
  if (name.length === 0 || Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
    throw new Error(`database name must be 1-${MAX_IDENTIFIER_BYTES} bytes: ${JSON.stringify(name)}`);
  }
}

/**
 * Creates an empty database `name` on the server of `postgresUrl` (dropping any leftover of the same name)
 * and returns a URL for it with the same credentials.
 */
export async function createDatabase(postgresUrl: string, name: string): Promise<string> {
  checkName(name);
  await withAdminConnection(postgresUrl, name, async (sql) => {
    await sql`drop database if exists ${sql(name)} with (force)`;
    await sql`create database ${sql(name)}`;
  });
  return databaseUrl(postgresUrl, name);
}

/** Drops database `name` (disconnecting its clients); no-op if absent. `postgresUrl` may point at it. */
export async function dropDatabase(postgresUrl: string, name: string): Promise<void> {
  checkName(name);
  await withAdminConnection(postgresUrl, name, async (sql) => {
    await sql`drop database if exists ${sql(name)} with (force)`;
  });
}
