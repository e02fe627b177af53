// A PostgreSQL cluster and a Redis server that one test owns, so that it may kill and restart
// them (the shared ones from infra/global-setup.ts serve every other test and must stay up).
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir, open } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.ts';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 60_000;

/** Polls `probe` (a throw counts as not yet) until it holds. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

export type OwnedRedis = {
  url: string;
  /** SIGKILL: no shutdown, no final save. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * redis-server on a free port. `persistent` turns on the append-only file; without it a killed
 * Redis comes back empty.
 */
export async function startOwnedRedis(dir: string, options: { persistent: boolean }): Promise<OwnedRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const log = await open(join(dir, 'redis.log'), 'a');
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        options.persistent ? 'yes' : 'no',
        '--dir',
        dir,
      ],
      { stdio: ['ignore', log.fd, log.fd] },
    );
    await log.close();
    await waitUntil('redis-server did not answer PING', () => redisPing(port), READY_TIMEOUT_MS);
  };
  const kill = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    current.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, kill, start, stop: kill };
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('+PONG')));
  });
}

export type OwnedPostgres = {
  /** The maintenance database's URL (superuser `postgres`, trust authentication). */
  url: string;
  /** `pg_ctl restart -m fast`: every client connection is terminated. */
  restart(): Promise<void>;
  stop(): Promise<void>;
};

/** A throwaway cluster (initdb + pg_ctl) on a free port, run as the `postgres` user when we are root. */
export async function startOwnedPostgres(dir: string): Promise<OwnedPostgres> {
  const bin = postgresBinDir();
  const runAs = postgresRunAs();
  const dataDir = join(dir, 'pgdata');
  const socketDir = join(dir, 'pgsock');
  await chmod(dir, 0o755); // the postgres user must be able to traverse it
  for (const path of [dataDir, socketDir]) {
    await mkdir(path, { mode: 0o700 });
    if (runAs) await chown(path, runAs.uid, runAs.gid);
  }
  const pgCtl = (...args: string[]) => run(join(bin, 'pg_ctl'), ['-D', dataDir, ...args], { ...runAs });
  await run(
    join(bin, 'initdb'),
    ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
    { ...runAs },
  );
  const port = await freePort();
  // Durability settings stay on except fsync: a fast restart flushes everything anyway, and
  // the test is about what clients see when their connections are cut.
  const options = [
    `-p ${port}`,
    `-k ${socketDir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c max_connections=200',
  ].join(' ');
  const log = join(socketDir, 'server.log');
  await pgCtl('start', '-w', '-t', '60', '-l', log, '-o', options);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const ready = async () => {
    await run(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres']);
    return true;
  };
  return {
    url,
    async restart() {
      // pg_ctl restart reuses the options of the running server (postmaster.opts).
      await pgCtl('restart', '-m', 'fast', '-w', '-t', '60', '-l', log);
      await waitUntil('PostgreSQL did not come back', ready, READY_TIMEOUT_MS);
    },
    async stop() {
      await pgCtl('stop', '-m', 'immediate', '-w').catch(() => undefined);
    },
  };
}

function postgresBinDir(): string {
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((version) => /^\d+$/.test(version))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const dir = versions
    .map((version) => `/usr/lib/postgresql/${version}/bin`)
    .find((candidate) => existsSync(join(candidate, 'pg_ctl')) && existsSync(join(candidate, 'initdb')));
  if (!dir) throw new Error('PostgreSQL server binaries not found: apt-get install -y postgresql-15');
  return dir;
}

/** initdb and postgres refuse to run as root. */
function postgresRunAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}
