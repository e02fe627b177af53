// A real federation: the hub and two nodes as separate processes, over real mutual TLS, each
// with its own PostgreSQL database, relaying through BullMQ on Redis, exporting traces to an
// OTLP receiver. A report registered at NP must arrive at IN-WB verified and decrypted, the hub
// must hold no plaintext of it, and one trace id must follow it across the border. Tools that
// nobody here wrote (openssl, curl) check the certificates and the hub's TLS.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CreatedReport, ExchangeStatus, ReportInput } from '@khoj/contracts';
import { createCsr, createIssuingCa, createRootCa, issueNodeCertificate } from '@khoj/pki';
import {
  createNode,
  ensureDemoAccount,
  federationLayout,
  initFederation,
  type ServiceProcess,
  startHubProcess,
  startNodeProcess,
  waitForSummary,
} from '@khoj/tools';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../infra/services.ts';
import { type ReceivedSpan, startOtlpCollector } from './support/otlp-collector.ts';
import { freePort } from './support/ports.ts';

const run = promisify(execFile);

const report: ReportInput = {
  kind: 'missing',
  child: {
    name: 'सीता तामाङ',
    aliases: ['Sita Tamang'],
    sex: 'female',
    age: { years: 12 },
    languages: ['ne'],
  },
  place: { country: 'NP', state: 'Bagmati', district: 'Sindhupalchok' },
  eventDate: '2026-11-20',
  missing: { firNumber: 'SPC-77/26', guardians: [{ name: 'Mina Tamang', relation: 'mother', phones: [] }] },
  consent: {
    purposes: ['reunification'],
    recipients: ['IN-*'],
    fields: 'standard',
    legalBasis: 'guardian_consent',
    expiresAt: '2027-11-20T00:00:00.000Z',
    grantedBy: 'Inspector, Sindhupalchok',
  },
};

describe('a federation of separate processes over mTLS, PostgreSQL and Redis', () => {
  let home: string;
  let hubUrl: string;
  let collector: Awaited<ReturnType<typeof startOtlpCollector>>;
  const databases: string[] = [];
  const services: ServiceProcess[] = [];
  let np: ServiceProcess;
  let inwb: ServiceProcess;
  let created: CreatedReport;
  const logs: string[] = [];
  const tokens: Record<string, string> = {};
  const as = (nodeId: string) => ({ authorization: `Bearer ${tokens[nodeId]}` });

  const database = async (name: string) => {
    const dbName = `${name}_${randomUUID().slice(0, 8)}`;
    databases.push(dbName);
    return createDatabase(inject('postgresUrl'), dbName);
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'khoj-federation-'));
    const hubPort = await freePort();
    hubUrl = `https://localhost:${hubPort}`;
    await initFederation(home);
    await createNode(home, 'NP', { displayName: 'Nepal', hubUrl });
    await createNode(home, 'IN-WB', { displayName: 'West Bengal', hubUrl });
    collector = await startOtlpCollector();
    const layout = federationLayout(home);
    const env = {
      REDIS_URL: inject('redisUrl'),
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
    const output = (name: string, line: string) => logs.push(`[${name}] ${line}`);
    const [npDatabase, inwbDatabase] = [await database('node_np'), await database('node_inwb')];
    // An officer and an API token at each node (as the demo makes them).
    tokens.NP = await ensureDemoAccount(home, 'NP', npDatabase);
    tokens['IN-WB'] = await ensureDemoAccount(home, 'IN-WB', inwbDatabase);
    services.push(
      await startHubProcess(layout.hub.home, hubPort, {
        env: { ...env, DATABASE_URL: await database('hub') },
        output,
      }),
    );
    np = await startNodeProcess('NP', layout.node('NP').home, await freePort(), {
      env: { ...env, DATABASE_URL: npDatabase },
      output,
    });
    inwb = await startNodeProcess('IN-WB', layout.node('IN-WB').home, await freePort(), {
      env: { ...env, DATABASE_URL: inwbDatabase },
      output,
    });
    services.push(np, inwb);

    const response = await fetch(`${np.url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as('NP') },
      body: JSON.stringify(report),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    created = (await response.json()) as CreatedReport;
  });

  afterAll(async () => {
    await Promise.all(services.slice(1).map((service) => service.stop()));
    await services[0]?.stop();
    await collector?.close();
    for (const name of databases) await dropDatabase(inject('postgresUrl'), name);
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('carries a report from NP to IN-WB, verified end to end and decrypted', async () => {
    expect(created.publication?.recipients).toEqual(['IN-WB']);
    const arrived = await waitForSummary(inwb.url, created.report.caseId, 30_000, tokens['IN-WB'] ?? '');
    expect(arrived).toMatchObject({ origin: 'NP', fields: 'standard', purposes: ['reunification'] });
    expect(arrived.summary).toEqual({
      caseId: created.report.caseId,
      origin: 'NP',
      kind: 'missing',
      version: 1,
      child: report.child,
      place: report.place,
      eventDate: report.eventDate,
    });
    const status = (await (
      await fetch(`${np.url}/v1/exchange/status`, { headers: as('NP') })
    ).json()) as ExchangeStatus;
    expect(status.outbox).toEqual({ pending: 0, sent: 1, rejected: 0 });
    const received = (await (
      await fetch(`${inwb.url}/v1/exchange/status`, { headers: as('IN-WB') })
    ).json()) as ExchangeStatus;
    expect(received.inbox).toEqual({ received: 1, rejected: 0 });
  });

  it("relayed NP's envelope through its BullMQ queue on Redis", async () => {
    const redis = new Redis(inject('redisUrl'));
    try {
      // BullMQ's job counter for the queue: at least one relay job was created there.
      expect(Number(await redis.get('bull:khoj-outbox-NP:id'))).toBeGreaterThanOrEqual(1);
    } finally {
      redis.disconnect();
    }
  });

  it("leaves no plaintext of the child's name anywhere in the hub's database", async () => {
    await waitForSummary(inwb.url, created.report.caseId, 30_000, tokens['IN-WB'] ?? '');
    const hubDatabase = databases.find((name) => name.startsWith('hub_')) ?? '';
    const url = new URL(inject('postgresUrl'));
    url.pathname = `/${hubDatabase}`;
    const sql = postgres(url.toString(), { max: 1 });
    try {
      const tables = await sql<{ table_schema: string; table_name: string }[]>`
        select table_schema, table_name from information_schema.tables where table_schema in ('public', 'drizzle')`;
      let dump = '';
      for (const { table_schema, table_name } of tables) {
        const rows = await sql.unsafe(
          `select row_to_json(t)::text as row from "${table_schema}"."${table_name}" t`,
        );
        dump += rows.map((row) => row.row).join('\n');
      }
      expect(dump).toContain(created.publication?.envelopeId); // the search covers the envelope itself
      for (const plaintext of ['सीता', 'तामाङ', 'Sita', 'Tamang', 'Sindhupalchok'])
        expect(dump).not.toContain(plaintext);
    } finally {
      await sql.end();
    }
  });

  it('follows one trace id from the NP request through the hub to IN-WB', async () => {
    await waitForSummary(inwb.url, created.report.caseId, 30_000, tokens['IN-WB'] ?? '');
    const deadline = Date.now() + 20_000;
    let crossing: ReceivedSpan[] = [];
    while (Date.now() < deadline) {
      const root = collector.spans.find(
        (span) => span.service === 'khoj-node-NP' && span.name === 'POST /v1/reports',
      );
      crossing = root ? collector.spans.filter((span) => span.traceId === root.traceId) : [];
      const services = new Set(crossing.map((span) => span.service));
      if (services.has('khoj-hub') && services.has('khoj-node-IN-WB')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const names = crossing.map((span) => `${span.service}: ${span.name}`);
    expect(names).toContain('khoj-node-NP: POST /v1/reports');
    expect(names).toContain('khoj-node-NP: relay envelope');
    expect(names).toContain('khoj-hub: POST /v1/envelopes');
    expect(names).toContain('khoj-node-IN-WB: apply envelope');
  });

  it('issues node certificates that openssl verifies against the root through the issuing CA', async () => {
    const layout = federationLayout(home);
    const { stdout } = await run('openssl', [
      'verify',
      '-CAfile',
      layout.rootCaCert,
      '-untrusted',
      layout.issuingCaCert,
      layout.node('NP').tlsCert,
    ]);
    expect(stdout.trim()).toBe(`${layout.node('NP').tlsCert}: OK`);
  });

  it('lets curl reach the hub with a node certificate, and refuses it without one or with a foreign one', async () => {
    const layout = federationLayout(home);
    const curl = (...args: string[]) =>
      run('curl', [
        '--silent',
        '--show-error',
        '--max-time',
        '10',
        '--cacert',
        layout.rootCaCert,
        ...args,
        `${hubUrl}/healthz`,
      ]);
    const { stdout } = await curl(
      '--cert',
      layout.node('IN-WB').tlsCert,
      '--key',
      layout.node('IN-WB').tlsKey,
    );
    expect(JSON.parse(stdout)).toMatchObject({ status: 'ok', service: 'hub' });

    await expect(curl()).rejects.toMatchObject({ code: expect.any(Number) });

    const foreignIssuing = createIssuingCa(createRootCa({ commonName: 'foreign', keyBits: 3072 }), {
      commonName: 'foreign issuing',
    });
    const csr = createCsr({ nodeId: 'NP' });
    const foreignCert = join(home, 'foreign.cert.pem');
    const foreignKey = join(home, 'foreign.key.pem');
    await writeFile(
      foreignCert,
      issueNodeCertificate(foreignIssuing, csr.csrPem, { nodeId: 'NP' }) + foreignIssuing.certPem,
    );
    await writeFile(foreignKey, csr.keyPem, { mode: 0o600 });
    await expect(curl('--cert', foreignCert, '--key', foreignKey)).rejects.toMatchObject({
      code: expect.any(Number),
    });
  });
});
