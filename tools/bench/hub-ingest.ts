// Benchmark of the hub's ingest (issue: >= 2,000 signed + encrypted envelopes/s over mutual TLS
// with keep-alive on this 2-core machine; node → hub → node latency p95 <= 500 ms under that
// load), with the raw Ed25519 verify rate of the same machine as the bound.
//
//   npm run bench:hub-ingest -- [--envelopes 20000] [--concurrency 48] [--connections 48]
//                               [--batch 50] [--batch-concurrency 2] [--modes single,batch]
//                               [--database-url postgres://…] [--pglite]
//
// Starts a hub as its own process (PostgreSQL: --database-url, else KHOJ_TEST_POSTGRES_URL, in a
// fresh database dropped at the end; --pglite or neither: the embedded database) with two
// members, NP and BD, registered from files. Builds every envelope beforehand as a node seals
// one (the summary signed with NP's Ed25519 key as a compact JWS, encrypted to BD's X25519 key as
// a JWE, the envelope signed with a detached JWS), so the timed part is the hub's ingest: NP
// submits them over keep-alive mutual-TLS connections — first one envelope per request with the
// given number in flight, then (fresh envelopes) in batches as the node relay sends its outbox
// (POST /v1/envelopes/batch, each envelope answered with its own receipt) — while BD
// long-polls its inbox and acknowledges; each envelope's latency is from its submission to BD
// receiving it. Afterwards the transparency log is verified from the database. On PostgreSQL the
// run also reports what the database did per envelope — transactions committed and the CPU of
// the hub's server processes (when PostgreSQL runs on this machine) — and its durability
// settings, since both share the machine's cores.

import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, uptime } from 'node:os';
import { parseArgs } from 'node:util';
import {
  envelopeIdFor,
  envelopeSigningInput,
  MAX_ENVELOPE_BATCH,
  MAX_INBOX_PAGE,
  type UnsignedEnvelope,
} from '@khoj/contracts';
import { verifyHubHomeLog } from '@khoj/hub';
import { encryptForRecipients, signDetached, signJws } from '@khoj/pki';
import postgres from 'postgres';
import { Pool } from 'undici';
import { createTestFederation, type TestNode } from '../../hub/src/testing/test-federation.ts';
import { createDatabase, dropDatabase } from '../../tests/infra/services.ts';
import { startHubProcess } from '../src/run/services.ts';

const { values } = parseArgs({
  options: {
    envelopes: { type: 'string', default: '20000' },
    warmup: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '48' },
    // Node's HTTP server answers pipelined requests on a connection one after another, so the
    // hub sees as many requests at once as there are connections: one per request in flight.
    connections: { type: 'string', default: '48' },
    // How a node's relay sends its outbox: up to --batch envelopes a request, --batch-concurrency
    // requests at once. `--modes single,batch` (the default) measures one per request, then batches.
    batch: { type: 'string', default: '50' },
    'batch-concurrency': { type: 'string', default: '2' },
    modes: { type: 'string', default: 'single,batch' },
    'database-url': { type: 'string' },
    pglite: { type: 'boolean', default: false },
  },
});
const total = Number(values.envelopes);
const warmup = Number(values.warmup);
const concurrency = Number(values.concurrency);
const connections = Number(values.connections);
const batchSize = Number(values.batch);
const batchConcurrency = Number(values['batch-concurrency']);
const modes = values.modes.split(',');
if (modes.length === 0 || modes.some((mode) => mode !== 'single' && mode !== 'batch')) {
  throw new Error('--modes is a comma-separated list of single and batch');
}
if (batchSize > MAX_ENVELOPE_BATCH) throw new Error(`--batch is at most ${MAX_ENVELOPE_BATCH}`);
for (const [name, value] of Object.entries({
  total,
  warmup,
  concurrency,
  connections,
  batch: batchSize,
  'batch-concurrency': batchConcurrency,
})) {
  if (!Number.isInteger(value) || value < (name === 'warmup' ? 0 : 1)) {
    throw new Error(`--${name} must be a whole number`);
  }
}

const serverUrl = values.pglite ? undefined : (values['database-url'] ?? process.env.KHOJ_TEST_POSTGRES_URL);
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, up ${(uptime() / 3600).toFixed(1)} h, load ${load()}`,
);

const fed = await createTestFederation(['NP', 'BD']);
const np = fed.node('NP');
const bd = fed.node('BD');
const databaseUrl = serverUrl
  ? await createDatabase(serverUrl, `hub_bench_${randomBytes(4).toString('hex')}`)
  : undefined;
let hub: Awaited<ReturnType<typeof startHubProcess>> | undefined;

try {
  hub = await startHubProcess(fed.hubHome, 0, {
    env: { DATABASE_URL: databaseUrl, KHOJ_HUB_PUBLIC_PORT: '0', OTEL_TRACES_EXPORTER: 'none' },
  });
  console.log(`hub: ${hub.url} on ${databaseUrl ? 'PostgreSQL' : 'PGlite (embedded)'}`);
  console.log(`sealing ${modes.length * (warmup + total)} envelopes NP → BD …`);
  const sealStart = performance.now();
  const bodies: Array<{ id: string; body: string }> = [];
  for (let i = 0; i < modes.length * (warmup + total); i++) bodies.push(await sealEnvelope(np, bd, i));
  const sealSeconds = (performance.now() - sealStart) / 1000;
  const bytes = bodies.reduce((sum, entry) => sum + entry.body.length, 0) / bodies.length;
  console.log(
    `sealed in ${sealSeconds.toFixed(1)} s (${Math.round(bodies.length / sealSeconds)}/s), ${Math.round(bytes)} bytes each`,
  );

  const verifyRate = ed25519VerifyRate(np, bodies[0]?.body as string);
  console.log(`raw Ed25519 verify (node:crypto, one thread): ${Math.round(verifyRate)}/s`);

  const receiver = startReceiver(hub.url, bd);
  const database = databaseUrl ? databaseProbe(databaseUrl) : undefined;
  if (database) console.log(`PostgreSQL: ${await database.settings()}`);
  let failed = false;
  let offset = 0;
  for (const mode of modes) {
    const entries = bodies.slice(offset, offset + warmup + total);
    offset += warmup + total;
    const sender =
      mode === 'single'
        ? mtlsPool(hub.url, np, connections, Math.ceil(concurrency / connections))
        : mtlsPool(hub.url, np, batchConcurrency, 1);
    const submit = (part: Array<{ id: string; body: string }>) =>
      mode === 'single'
        ? submitAll(sender, part, concurrency)
        : submitBatches(sender, part, batchSize, batchConcurrency);
    await submit(entries.slice(0, warmup));
    await receiver.waitFor(entries.slice(0, warmup).map((entry) => entry.id));

    const measured = entries.slice(warmup);
    const databaseBefore = await database?.sample();
    console.log(`load before the run: ${load()}`);
    const hubCpuBefore = processCpuMs(hub.child.pid);
    const ownCpuBefore = process.cpuUsage();
    const start = performance.now();
    const { statuses, sentAt } = await submit(measured);
    const seconds = (performance.now() - start) / 1000;
    const received = await receiver.waitFor(measured.map((entry) => entry.id));
    const hubCpu = processCpuMs(hub.child.pid) - hubCpuBefore;
    const ownCpu = process.cpuUsage(ownCpuBefore);
    console.log(`load after the run: ${load()}`);
    const databaseAfter = await database?.sample();
    await sender.close();

    const latencies = measured
      .map((entry) => (received.get(entry.id) ?? Number.NaN) - (sentAt.get(entry.id) ?? Number.NaN))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const rate = total / seconds;
    console.log('');
    console.log(
      mode === 'single'
        ? `One envelope per request (POST /v1/envelopes), ${concurrency} in flight over ${connections} connections:`
        : `Batches as the node relay sends its outbox (POST /v1/envelopes/batch), ${batchSize} envelopes a request, ${batchConcurrency} requests in flight on ${batchConcurrency} connections:`,
    );
    console.log('');
    console.log(`| measure | value |`);
    console.log(`| --- | --- |`);
    console.log(`| envelopes | ${total} (after ${warmup} warm-up) |`);
    console.log(
      `| answers (per envelope) | ${[...statuses].map(([status, count]) => `${status}: ${count}`).join(', ')} |`,
    );
    console.log(`| hub ingest | **${Math.round(rate)} envelopes/s** (${seconds.toFixed(2)} s) |`);
    console.log(`| raw Ed25519 verify (bound) | ${Math.round(verifyRate)}/s |`);
    console.log(
      `| CPU per envelope | hub ${(hubCpu / total).toFixed(2)} ms, this client (sender + receiver) ${((ownCpu.user + ownCpu.system) / 1000 / total).toFixed(2)} ms |`,
    );
    if (databaseBefore && databaseAfter) {
      const commits = databaseAfter.commits - databaseBefore.commits;
      const cpu = [...databaseAfter.cpuMs].reduce(
        (sum, [pid, ms]) => sum + ms - (databaseBefore.cpuMs.get(pid) ?? 0),
        0,
      );
      console.log(
        `| PostgreSQL per envelope | ${(commits / total).toFixed(3)} transactions committed (${commits}), server CPU ${(cpu / total).toFixed(2)} ms |`,
      );
    }
    console.log(
      `| node → hub → node latency | p50 ${percentile(latencies, 0.5)} ms, p95 **${percentile(latencies, 0.95)} ms**, p99 ${percentile(latencies, 0.99)} ms, max ${Math.round(latencies.at(-1) ?? 0)} ms (${latencies.length} received) |`,
    );
    console.log(`| load average (1, 5, 15 min) | ${load()} |`);
    console.log('');
    if ((statuses.get(201) ?? 0) !== total || latencies.length !== total) failed = true;
  }
  await database?.close();
  await receiver.stop();

  await hub.stop();
  const check = await verifyHubHomeLog(fed.hubHome, databaseUrl);
  console.log(
    check.ok
      ? `transparency log verified from the database: ${check.entries} entries, ${check.checkpoints} checkpoints`
      : `TRANSPARENCY LOG DOES NOT VERIFY: ${check.problem}`,
  );
  if (!check.ok || failed) process.exitCode = 1;
} finally {
  await hub?.stop();
  if (databaseUrl && serverUrl) await dropDatabase(serverUrl, new URL(databaseUrl).pathname.slice(1));
  await fed.cleanup();
}

/** An envelope as nodes/src/exchange/seal.ts makes one: JWS of the content, JWE to BD, detached JWS. */
async function sealEnvelope(from: TestNode, to: TestNode, i: number): Promise<{ id: string; body: string }> {
  const now = new Date();
  const caseId = `case_${randomBytes(12).toString('hex')}`;
  const summary = {
    caseId,
    origin: from.nodeId,
    version: 1,
    kind: 'missing',
    child: {
      name: `Child ${i}`,
      sex: i % 2 ? 'female' : 'male',
      ageYears: 6 + (i % 10),
      languages: ['bn', 'hi'],
      marks: 'a small scar over the left eyebrow',
    },
    place: { district: 'Nadia', state: 'IN-WB', description: 'near the railway station' },
    lastSeenAt: now.toISOString(),
    phonetic: randomBytes(24).toString('base64url'),
  };
  const scope = {
    purposes: ['reunification'],
    recipients: [to.nodeId],
    fields: 'standard',
    legalBasis: 'guardian_consent',
    expiresAt: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
    grantedBy: 'officer',
    grantedAt: now.toISOString(),
  };
  const inner = await signJws(JSON.stringify({ summary, scope }), from.signing);
  const payload = await encryptForRecipients(inner, [
    { kid: to.encryption.kid, publicJwk: to.encryption.publicJwk },
  ]);
  const unsigned: UnsignedEnvelope = {
    id: envelopeIdFor(from.nodeId, 'case.summary', caseId, 1),
    type: 'case.summary',
    origin: from.nodeId,
    recipients: [to.nodeId],
    purposes: ['reunification'],
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    payload: payload as UnsignedEnvelope['payload'],
  };
  const envelope = {
    ...unsigned,
    signature: await signDetached(envelopeSigningInput(unsigned), from.signing),
  };
  return { id: envelope.id, body: JSON.stringify(envelope) };
}

/** How many Ed25519 signatures of an envelope's size node:crypto verifies per second on one thread. */
function ed25519VerifyRate(from: TestNode, body: string): number {
  // What the hub verifies: the envelope's signing input.
  const message = Buffer.from(envelopeSigningInput(JSON.parse(body)));
  const signature = sign(
    null,
    message,
    createPrivateKey({ key: { ...from.signing.privateJwk }, format: 'jwk' }),
  );
  const publicKey = createPublicKey({ key: { ...from.signing.publicJwk }, format: 'jwk' });
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < 2_000) {
    for (let i = 0; i < 100; i++) if (verify(null, message, publicKey, signature)) count++;
  }
  return count / ((performance.now() - start) / 1000);
}

function mtlsPool(url: string, node: TestNode, connections: number, pipelining: number) {
  return new Pool(url, {
    connections,
    pipelining,
    keepAliveTimeout: 60_000,
    connect: { ca: fed.root.certPem, cert: node.certPem, key: node.keyPem },
  });
}

async function submitAll(pool: Pool, entries: Array<{ id: string; body: string }>, inFlight: number) {
  const statuses = new Map<number, number>();
  const sentAt = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < entries.length; i = next++) {
      const entry = entries[i] as { id: string; body: string };
      sentAt.set(entry.id, performance.now());
      const response = await pool.request({
        method: 'POST',
        path: '/v1/envelopes',
        headers: { 'content-type': 'application/json' },
        body: entry.body,
      });
      await response.body.dump();
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { statuses, sentAt };
}

/**
 * What the node relay does with a full outbox: sends it in batches of `size`, `inFlight` requests
 * at once; each envelope's submission time is when its batch was sent, its status its own result.
 */
async function submitBatches(
  pool: Pool,
  entries: Array<{ id: string; body: string }>,
  size: number,
  inFlight: number,
) {
  const statuses = new Map<number, number>();
  const sentAt = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    for (let i = next; i < entries.length; i = next) {
      next += size;
      const batch = entries.slice(i, i + size);
      const at = performance.now();
      for (const entry of batch) sentAt.set(entry.id, at);
      const response = await pool.request({
        method: 'POST',
        path: '/v1/envelopes/batch',
        headers: { 'content-type': 'application/json' },
        body: `{"envelopes":[${batch.map((entry) => entry.body).join(',')}]}`,
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + batch.length);
        continue;
      }
      const { results } = (await response.body.json()) as { results: Array<{ status: number }> };
      for (const { status } of results) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { statuses, sentAt };
}

/** BD: long-polls its inbox, acknowledges, and notes when each envelope arrived. */
function startReceiver(url: string, node: TestNode) {
  const pool = mtlsPool(url, node, 2, 1);
  const received = new Map<string, number>();
  let stopped = false;
  const waiters: Array<() => void> = [];
  const loop = (async () => {
    while (!stopped) {
      const response = await pool.request({
        method: 'GET',
        path: `/v1/inbox?waitSeconds=5&limit=${MAX_INBOX_PAGE}`,
      });
      const { deliveries } = (await response.body.json()) as {
        deliveries: Array<{ envelope: { id: string } }>;
      };
      const at = performance.now();
      const ids = deliveries.map((delivery) => delivery.envelope.id);
      for (const id of ids) if (!received.has(id)) received.set(id, at);
      if (ids.length > 0) {
        const ack = await pool.request({
          method: 'POST',
          path: '/v1/inbox/ack',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ envelopeIds: ids }),
        });
        await ack.body.dump();
        for (const wake of waiters.splice(0)) wake();
      }
    }
  })();
  return {
    async waitFor(ids: string[], timeoutMs = 120_000): Promise<Map<string, number>> {
      const deadline = Date.now() + timeoutMs;
      while (ids.some((id) => !received.has(id)) && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 1_000);
        });
      }
      return received;
    },
    async stop() {
      stopped = true;
      await loop.catch(() => undefined);
      await pool.close();
    },
  };
}

/**
 * The bench database seen from PostgreSQL: transactions committed (its statistics, flushed about
 * once a second, hence the pause) and the CPU of the server processes serving it.
 */
function databaseProbe(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  return {
    async settings(): Promise<string> {
      const names = ['synchronous_commit', 'fsync', 'wal_level', 'shared_buffers', 'max_connections'];
      const rows = await sql<Array<{ name: string; setting: string; unit: string | null }>>`
        select name, setting, unit from pg_settings where name in ${sql(names)} order by name`;
      const version = (await sql<Array<{ v: string }>>`select current_setting('server_version') as v`)[0]?.v;
      return `${version}, ${rows.map((row) => `${row.name}=${row.setting}${row.unit ?? ''}`).join(', ')}`;
    },
    async sample(): Promise<{ commits: number; cpuMs: Map<number, number> }> {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const [stats] = await sql<Array<{ commits: string }>>`
        select xact_commit::text as commits from pg_stat_database where datname = current_database()`;
      const backends = await sql<Array<{ pid: number }>>`
        select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;
      return {
        commits: Number(stats?.commits),
        cpuMs: new Map(backends.map(({ pid }) => [pid, processCpuMs(pid)])),
      };
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** CPU time (user + system) of a process so far, from /proc (Linux); NaN elsewhere. */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return Number.NaN;
  }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
}
