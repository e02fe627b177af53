// Trust administration across real processes: a hub (dual control on) and three nodes, each its
// own process with its own PostgreSQL database, over real mutual TLS. Every node joins by
// invitation and enrolment (`khoj node enrol`), approved by two administrators through the
// admin API with their certificates; the nodes then exchange a report. Revoking a node
// (`khoj hub revoke`) must make the hub refuse it at once, even on a connection it already
// holds open, and every other node must refuse its envelopes signed after the revocation within
// one configuration refresh — measured here and printed. openssl checks the chain and the CRL;
// curl tries each kind of certificate.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  type CreatedReport,
  type Envelope,
  envelopeIdFor,
  envelopeSigningInput,
  type ReportInput,
  type UnsignedEnvelope,
} from '@khoj/contracts';
import { encryptForRecipients, readPrivateJwk, signDetached, signJws, toPublicJwk } from '@khoj/pki';
import {
  ensureDemoAccount,
  federationLayout,
  initFederation,
  type ServiceProcess,
  startHubProcess,
  startNodeProcess,
  waitForSummary,
} from '@khoj/tools';
import postgres from 'postgres';
import { Agent, Client, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../infra/services.ts';
import { freePort } from './support/ports.ts';

const run = promisify(execFile);
const KHOJ = fileURLToPath(new URL('../../tools/bin/khoj.js', import.meta.url));
const PASSPHRASE = 'root key passphrase of the trust test';
const NODES = ['IN-WB', 'BD', 'NP'] as const;
/** The nodes' default: a revocation must reach them within one refresh. */
const CONFIG_REFRESH_SECONDS = 15;

const report: ReportInput = {
  kind: 'missing',
  child: { name: 'सीता तामाङ', sex: 'female', age: { years: 12 }, languages: ['ne'] },
  place: { country: 'NP', state: 'Bagmati', district: 'Sindhupalchok' },
  eventDate: '2026-11-20',
  missing: { firNumber: 'SPC-78/26', guardians: [{ name: 'Mina Tamang', relation: 'mother', phones: [] }] },
  consent: {
    purposes: ['reunification'],
    recipients: ['IN-*', 'BD'],
    fields: 'standard',
    legalBasis: 'guardian_consent',
    expiresAt: '2027-11-20T00:00:00.000Z',
    grantedBy: 'Inspector, Sindhupalchok',
  },
};

type Result = { code: number | null; stdout: string; stderr: string };

describe('trust administration across separate processes over mutual TLS', () => {
  let home: string;
  let hubUrl: string;
  let publicUrl: string;
  let hub: ServiceProcess;
  const nodes: Record<string, ServiceProcess> = {};
  const databases: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const logs: Array<{ at: number; line: string }> = [];
  const dbNames: string[] = [];

  const layout = () => federationLayout(home);
  const adminDir = (name: string) => join(home, 'admins', name);
  const asAdmin = (name: string) => ['--admin-cert', adminDir(name), '--hub-url', hubUrl];

  const khoj = (args: string[], env: Record<string, string | undefined> = {}): Promise<Result> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [KHOJ, '--home', home, ...args], {
        env: { ...process.env, KHOJ_ROOT_PASSPHRASE: PASSPHRASE, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const ok = async (args: string[], env?: Record<string, string | undefined>) => {
    const result = await khoj(args, env);
    expect(result.code, `khoj ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const database = async (name: string) => {
    const dbName = `${name}_${randomUUID().slice(0, 8)}`;
    dbNames.push(dbName);
    return createDatabase(inject('postgresUrl'), dbName);
  };
  /** The admin API as bob (admin role), in-process, for polling without starting `khoj` each time. */
  const adminApi = async () => {
    const dispatcher = new Agent({
      connect: {
        ca: await readFile(layout().rootCaCert, 'utf8'),
        cert: await readFile(join(adminDir('bob'), 'admin.cert.pem'), 'utf8'),
        key: await readFile(join(adminDir('bob'), 'admin.key.pem'), 'utf8'),
      },
    });
    return {
      // biome-ignore lint/suspicious/noExplicitAny: the test reads fields of the answers
      get: async (path: string): Promise<any> => (await fetch(`${hubUrl}${path}`, { dispatcher })).json(),
      close: () => dispatcher.close(),
    };
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'khoj-trust-'));
    await initFederation(home, { name: 'khoj trust test', rootKeyPassphrase: PASSPHRASE });
    databases.hub = await database('hub');
    for (const nodeId of NODES)
      databases[nodeId] = await database(`node_${nodeId.replace('-', '_').toLowerCase()}`);
    const hubEnv = { DATABASE_URL: databases.hub };

    // Two administrators, issued on the hub machine by the issuing CA.
    await ok(['ca', 'admin-cert', 'alice', '--role', 'approver', '--out', adminDir('alice')], hubEnv);
    await ok(['ca', 'admin-cert', 'bob', '--role', 'admin', '--out', adminDir('bob')], hubEnv);

    const [port, publicPort] = [await freePort(), await freePort()];
    hubUrl = `https://localhost:${port}`;
    publicUrl = `https://localhost:${publicPort}`;
    const output = (name: string, line: string) => logs.push({ at: Date.now(), line: `[${name}] ${line}` });
    hub = await startHubProcess(layout().hub.home, port, {
      env: { ...hubEnv, KHOJ_HUB_PUBLIC_PORT: String(publicPort), KHOJ_HUB_DUAL_CONTROL: 'true' },
      output,
    });

    // Invitations, then each node enrols (and waits) while the administrators approve.
    const invited = await Promise.all(
      NODES.map((nodeId) => ok(['hub', 'invite', nodeId, '--json', ...asAdmin('bob')])),
    );
    const enrolling = NODES.map((nodeId, index) =>
      khoj([
        'node',
        'enrol',
        nodeId,
        '--hub',
        hubUrl,
        '--enrol-url',
        publicUrl,
        '--token',
        JSON.parse(invited[index] ?? '{}').token,
        '--anchor',
        layout().anchor,
        '--wait',
        '300',
      ]),
    );
    const api = await adminApi();
    let pending: Array<{ id: string; nodeId: string }> = [];
    const deadline = Date.now() + 180_000;
    while (pending.length < NODES.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      pending = (await api.get('/v1/admin/enrolments?status=pending')).enrolments;
    }
    await api.close();
    expect(pending.map((enrolment) => enrolment.nodeId).sort()).toEqual([...NODES].sort());
    for (const approver of ['alice', 'bob']) {
      await Promise.all(
        pending.map((enrolment) => ok(['hub', 'approve', enrolment.id, ...asAdmin(approver)])),
      );
    }
    for (const [index, result] of (await Promise.all(enrolling)).entries()) {
      expect(result.code, `${NODES[index]}: ${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(`${NODES[index]} enrolled`);
    }

    for (const nodeId of NODES) {
      tokens[nodeId] = await ensureDemoAccount(home, nodeId, databases[nodeId]);
    }
    const started = await Promise.all(
      NODES.map(async (nodeId) =>
        startNodeProcess(nodeId, layout().node(nodeId).home, await freePort(), {
          env: { DATABASE_URL: databases[nodeId], REDIS_URL: inject('redisUrl') },
          output,
        }),
      ),
    );
    for (const [index, nodeId] of NODES.entries()) nodes[nodeId] = started[index] as ServiceProcess;
  }, 600_000);

  afterAll(async () => {
    await Promise.all(Object.values(nodes).map((node) => node.stop()));
    await hub?.stop();
    for (const name of dbNames) await dropDatabase(inject('postgresUrl'), name).catch(() => undefined);
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('lets nodes enrolled by invitation exchange a report', async () => {
    const response = await fetch(`${nodes.NP?.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.NP}` },
      body: JSON.stringify(report),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    const created = (await response.json()) as CreatedReport;
    expect(created.publication?.recipients.sort()).toEqual(['BD', 'IN-WB']);
    for (const receiver of ['IN-WB', 'BD']) {
      const arrived = await waitForSummary(
        nodes[receiver]?.url ?? '',
        created.report.caseId,
        60_000,
        tokens[receiver] ?? '',
      );
      expect(arrived).toMatchObject({ origin: 'NP', fields: 'standard' });
    }
  }, 120_000);

  it('issues certificates openssl verifies root → issuing → node, and a CRL openssl verifies', async () => {
    for (const nodeId of NODES) {
      const cert = layout().node(nodeId).tlsCert;
      const { stdout } = await run('openssl', [
        'verify',
        '-CAfile',
        layout().rootCaCert,
        '-untrusted',
        cert,
        cert,
      ]);
      expect(stdout.trim()).toBe(`${cert}: OK`);
    }
    const crl = await crlFile('before');
    const { stdout, stderr } = await run('openssl', [
      'crl',
      '-inform',
      'DER',
      '-in',
      crl,
      '-CAfile',
      await caBundle(),
      '-noout',
    ]);
    expect(`${stdout}${stderr}`).toContain('verify OK');
  });

  it('lets curl in with a node or administrator certificate, each only where it belongs, and nobody without one', async () => {
    const node = layout().node('IN-WB');
    const withNode = ['--cert', node.tlsCert, '--key', node.tlsKey];
    const withAdmin = [
      '--cert',
      join(adminDir('bob'), 'admin.cert.pem'),
      '--key',
      join(adminDir('bob'), 'admin.key.pem'),
    ];
    expect(await curl(withNode, `${hubUrl}/v1/inbox?waitSeconds=0`)).toMatchObject({ status: 200 });
    const members = await curl(withAdmin, `${hubUrl}/v1/admin/nodes`);
    expect(members.status).toBe(200);
    expect(members.body.nodes.map((entry: { status: string }) => entry.status)).toEqual([
      'active',
      'active',
      'active',
    ]);
    expect(await curl(withNode, `${hubUrl}/v1/admin/nodes`)).toMatchObject({
      status: 403,
      body: { error: { code: 'ADMIN_CERT_REQUIRED' } },
    });
    expect(await curl(withAdmin, `${hubUrl}/v1/inbox?waitSeconds=0`)).toMatchObject({
      status: 403,
      body: { error: { code: 'NODE_NOT_REGISTERED' } },
    });
    // No certificate: the mutual-TLS listener ends the handshake; the public one answers 401.
    await expect(curl([], `${hubUrl}/v1/inbox`)).rejects.toMatchObject({ code: expect.any(Number) });
    expect(await curl([], `${publicUrl}/v1/admin/nodes`)).toMatchObject({
      status: 401,
      body: { error: { code: 'CLIENT_CERT_REQUIRED' } },
    });
    expect((await curl([], `${publicUrl}/v1/federation-config`)).status).toBe(200);
  });

  it('revokes a node: the hub refuses it at once on an open connection, every node refuses what it signs after, within one refresh', async () => {
    const bd = layout().node('BD');
    const bdIdentity = { cert: await readFile(bd.tlsCert, 'utf8'), key: await readFile(bd.tlsKey, 'utf8') };
    // A connection BD holds open, as its inbox long-poll does.
    const kept = new Client(hubUrl, {
      connect: { ca: await readFile(layout().rootCaCert, 'utf8'), ...bdIdentity },
      pipelining: 1,
      keepAliveTimeout: 120_000,
    });
    let handshakes = 0;
    kept.on('connect', () => handshakes++);
    const ask = async () => {
      const response = await kept.request({ method: 'GET', path: '/v1/inbox?waitSeconds=0' });
      const text = await response.body.text();
      return { status: response.statusCode, body: text ? JSON.parse(text) : undefined };
    };
    expect((await ask()).status).toBe(200);

    // BD's envelopes as they reach other nodes. (The hub stopped taking them at the revocation;
    // these are put straight into its inbox tables — a stale hub process, a forged store — to
    // show that the nodes decide for themselves.) One before the revocation, as a control.
    const injector = await envelopeInjector();
    const control = await injector.inject(new Date());
    await waitForOutcome(control, 'applied', 60_000);

    const startedAt = Date.now();
    const revoked = await khoj([
      'hub',
      'revoke',
      'BD',
      '--reason',
      'keyCompromise',
      '--json',
      ...asAdmin('bob'),
    ]);
    const returnedAt = Date.now();
    expect(revoked.code, revoked.stderr).toBe(0);
    const { configVersion } = JSON.parse(revoked.stdout) as { configVersion: number };
    // The clock starts when the hub committed the revocation (inside the command's run time,
    // most of which is starting the `khoj` process).
    const revokedAt = await injector.revokedAt('BD');

    // At once, on the same connection.
    expect(await ask()).toMatchObject({ status: 403, body: { error: { code: 'CERT_REVOKED' } } });
    const hubRefusedAfterMs = Date.now() - returnedAt;
    expect(handshakes).toBe(1);
    await kept.close();

    // Every 500 ms a fresh envelope signed by BD now; each node's first refusal ends its wait.
    const refusedAt: Record<string, number> = {};
    const acceptedAfterRevocation: Record<string, number> = { 'IN-WB': 0, NP: 0 };
    const injected: string[] = [];
    const deadline = revokedAt + 4 * CONFIG_REFRESH_SECONDS * 1000;
    while (Object.keys(refusedAt).length < 2 && Date.now() < deadline) {
      injected.push(await injector.inject(new Date()));
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const nodeId of ['IN-WB', 'NP'] as const) {
        if (refusedAt[nodeId]) continue;
        const outcomes = await injector.outcomes(nodeId, injected);
        acceptedAfterRevocation[nodeId] = outcomes.filter((row) => row.outcome === 'applied').length;
        const refusal = outcomes.find((row) => row.reason?.startsWith('ERR_ORIGIN_REVOKED'));
        if (refusal) refusedAt[nodeId] = refusal.receivedAt.getTime();
      }
    }
    await injector.close();
    const adopted = Object.fromEntries(
      ['IN-WB', 'NP'].map((nodeId) => [
        nodeId,
        logs.find(
          (entry) =>
            entry.line.startsWith(`[${nodeId}] federation configuration version`) &&
            Number(entry.line.match(/version (\d+) adopted/)?.[1]) >= configVersion &&
            entry.at >= startedAt,
        )?.at,
      ]),
    );
    const seconds = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
    const lastRefusal = Math.max(...Object.values(refusedAt));
    console.log(
      [
        `REVOCATION TIMING (configuration refresh every ${CONFIG_REFRESH_SECONDS} s; \`khoj hub revoke\` ran ${seconds(returnedAt - startedAt)}, the hub committed the revocation ${seconds(revokedAt - startedAt)} after it started; times below from that commit):`,
        `  hub refused BD on its open connection (same TLS connection) with the first request after the command returned, ${seconds(hubRefusedAfterMs)} later`,
        ...['IN-WB', 'NP'].map(
          (nodeId) =>
            `  ${nodeId}: adopted configuration v${configVersion} after ${seconds(adopted[nodeId] && adopted[nodeId] - revokedAt)}, first refused a BD envelope after ${seconds(refusedAt[nodeId] && refusedAt[nodeId] - revokedAt)} (${acceptedAfterRevocation[nodeId]} accepted before it)`,
        ),
        `  revoke → last node rejecting: ${seconds(lastRefusal - revokedAt)}`,
      ].join('\n'),
    );
    expect(Object.keys(refusedAt).sort()).toEqual(['IN-WB', 'NP']);
    // Within one refresh, plus the inbox's own round trip; the bound is 60 s.
    expect(lastRefusal - revokedAt).toBeLessThan((CONFIG_REFRESH_SECONDS + 10) * 1000);

    // The revoked certificate is refused by curl's request too, and the CRL now lists it.
    expect(
      await curl(['--cert', bd.tlsCert, '--key', bd.tlsKey], `${hubUrl}/v1/inbox?waitSeconds=0`),
    ).toMatchObject({
      status: 403,
      body: { error: { code: 'CERT_REVOKED' } },
    });
    const crl = await crlFile('after');
    const { stdout } = await run('openssl', ['crl', '-inform', 'DER', '-in', crl, '-noout', '-text']);
    const serial = (await run('openssl', ['x509', '-in', bd.tlsCert, '-noout', '-serial'])).stdout
      .trim()
      .replace(/^serial=/, '');
    expect(stdout.toUpperCase()).toContain(serial.toUpperCase().replace(/^0+/, ''));
    expect(stdout).toContain('Key Compromise');
  }, 240_000);

  /** curl against the hub with the root as its only trust anchor; rejects when curl fails. */
  async function curl(args: string[], url: string) {
    const { stdout } = await run('curl', [
      '--silent',
      '--show-error',
      '--max-time',
      '15',
      '--cacert',
      layout().rootCaCert,
      '--write-out',
      '\n%{http_code}',
      ...args,
      url,
    ]);
    const lines = stdout.trimEnd().split('\n');
    const status = Number(lines.pop());
    const text = lines.join('\n');
    let body: ReturnType<typeof JSON.parse>;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status, body };
  }

  async function crlFile(name: string): Promise<string> {
    const response = await fetch(`${publicUrl}/v1/crl`, {
      dispatcher: new Agent({ connect: { ca: await readFile(layout().rootCaCert, 'utf8') } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pkix-crl');
    const path = join(home, `${name}.crl.der`);
    await writeFile(path, Buffer.from(await response.arrayBuffer()));
    return path;
  }

  async function caBundle(): Promise<string> {
    const path = join(home, 'ca-bundle.pem');
    await writeFile(
      path,
      (await readFile(layout().issuingCaCert, 'utf8')) + (await readFile(layout().rootCaCert, 'utf8')),
    );
    return path;
  }

  /** Signs envelopes with BD's key and puts them into the hub's inbox tables for IN-WB and NP. */
  async function envelopeInjector() {
    const hubSql = postgres(databases.hub ?? '', { max: 1, onnotice: () => undefined });
    const nodeSql = Object.fromEntries(
      ['IN-WB', 'NP'].map((nodeId) => [
        nodeId,
        postgres(databases[nodeId] ?? '', { max: 1, onnotice: () => undefined }),
      ]),
    );
    const bdSigning = await readPrivateJwk(layout().node('BD').signingKey, 'Ed25519');
    const signingKey = { kid: bdSigning.kid ?? '', privateJwk: bdSigning };
    const recipients = await Promise.all(
      ['IN-WB', 'NP'].map(async (nodeId) => {
        const key = await readPrivateJwk(layout().node(nodeId).encryptionKey, 'X25519');
        return { nodeId, kid: key.kid ?? '', publicJwk: { ...toPublicJwk(key), kid: key.kid } };
      }),
    );
    let counter = 0;
    return {
      async inject(signedAt: Date): Promise<string> {
        const caseId = `case_${randomUUID().replaceAll('-', '').slice(0, 26)}`;
        const summary = {
          caseId,
          origin: 'BD',
          kind: 'found' as const,
          version: 1,
          child: { sex: 'male' as const, age: { years: 8 + (counter++ % 5) } },
          place: { country: 'BD' },
          eventDate: '2026-11-25',
        };
        const scope = {
          purposes: ['reunification' as const],
          recipients: ['IN-WB', 'NP'],
          fields: 'standard' as const,
          legalBasis: 'guardian_consent' as const,
          expiresAt: '2027-11-25T00:00:00.000Z',
          grantedBy: 'BD officer',
          grantedAt: signedAt.toISOString(),
        };
        const inner = await signJws(JSON.stringify({ summary, scope }), signingKey);
        const payload = await encryptForRecipients(
          inner,
          recipients.map(({ kid, publicJwk }) => ({ kid, publicJwk })),
        );
        const unsigned: UnsignedEnvelope = {
          id: envelopeIdFor('BD', 'case.summary', caseId, 1),
          type: 'case.summary',
          origin: 'BD',
          recipients: recipients.map((recipient) => recipient.nodeId),
          purposes: ['reunification'],
          createdAt: signedAt.toISOString(),
          expiresAt: new Date(signedAt.getTime() + 86_400_000).toISOString(),
          payload: payload as UnsignedEnvelope['payload'],
        };
        const envelope: Envelope = {
          ...unsigned,
          signature: await signDetached(envelopeSigningInput(unsigned), signingKey),
        };
        await hubSql.begin(async (tx) => {
          await tx`insert into envelopes (id, origin, type, expires_at, digest, body, receipt)
            values (${envelope.id}, 'BD', 'case.summary', ${envelope.expiresAt}, 'injected',
                    ${tx.json(envelope as never)}, ${tx.json({ injected: true })})`;
          await tx`insert into deliveries (envelope_id, recipient) values (${envelope.id}, 'IN-WB'), (${envelope.id}, 'NP')`;
        });
        return envelope.id;
      },
      async outcomes(nodeId: string, envelopeIds: string[]) {
        const sql = nodeSql[nodeId];
        if (!sql || envelopeIds.length === 0) return [];
        return sql<Array<{ envelopeId: string; outcome: string; reason: string | null; receivedAt: Date }>>`
          select envelope_id as "envelopeId", outcome, reason, received_at as "receivedAt"
          from inbox_log where envelope_id in ${sql(envelopeIds)}`;
      },
      /** When the hub revoked `nodeId`, by its own clock (the same machine's). */
      async revokedAt(nodeId: string): Promise<number> {
        const [row] = await hubSql<Array<{ at: Date | null }>>`
          select max(revoked_at) as at from revocations where node_id = ${nodeId}`;
        if (!row?.at) throw new Error(`the hub has no revocation of ${nodeId}`);
        return new Date(row.at).getTime();
      },
      async close() {
        await Promise.all([hubSql.end(), ...Object.values(nodeSql).map((sql) => sql.end())]);
      },
    };
  }

  async function waitForOutcome(envelopeId: string, outcome: string, timeoutMs: number): Promise<void> {
    const sql = postgres(databases['IN-WB'] ?? '', { max: 1, onnotice: () => undefined });
    try {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const [row] = await sql<Array<{ outcome: string; reason: string | null }>>`
          select outcome, reason from inbox_log where envelope_id = ${envelopeId}`;
        if (row) {
          expect(`${row.outcome} ${row.reason ?? ''}`.trim()).toBe(outcome);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`${envelopeId} was not taken by IN-WB within ${timeoutMs} ms`);
    } finally {
      await sql.end();
    }
  }
});
