// Fuzz of the hub API, in-process on PGlite, on both of its listeners: every route of the
// contracts (and so of the committed OpenAPI document) gets its share of ten thousand malformed
// requests per listener.
// - The mutual-TLS listener: as member nodes, as administrators of each role, as a node the hub
//   never registered, and without a certificate. The TLS layer's part is played by the socket
//   the app reads the peer certificate from (trust/client-certificate.ts): the same certificates
//   real mutual TLS would present, from the federation's issuing CA.
// - The public listener (enrolment, CRL, configuration): no client certificate ever; its own
//   routes get three shares each, the others (which must refuse there) one.
// Then a fifth as many well-formed requests with edge values, which may change data but must not
// fail either.
// No answer may be a 5xx or carry a stack trace or SQL, and no request may change stored data.
// One table is left out of the comparison for the two envelope routes only: envelope_refusals,
// where a refused envelope that passes the schema is recorded by design ("Refused envelopes are
// not stored; the refusal is recorded"). Every other table, and it for every other route, must
// stay as it was.
// KHOJ_FUZZ_SEED and KHOJ_FUZZ_RUNS reproduce a run or make it longer (platform/src/testing/fuzz).
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  ADMIN_ROLE_PERMISSIONS,
  type AdminRole,
  HUB_ACCESS_KEY,
  hubOpenApiDocument,
  hubRoutes,
} from '@khoj/contracts';
import {
  type FuzzCaller,
  type FuzzRoute,
  type FuzzTarget,
  formatReport,
  fuzzApi,
  fuzzRoutes,
  fuzzSettings,
  snapshotDatabase,
  toRequest,
} from '@khoj/platform/testing/fuzz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubApp } from '../app.ts';
import { createHubServices, type HubServices } from '../services.ts';
import { createTestFederation, type TestFederation } from '../testing/test-federation.ts';
import { adminIdentity, ROOT_PASSPHRASE } from '../testing/trust-fixture.ts';
import { installCertificateAuthority, normalSerial } from '../trust/ca-store.ts';

const MAX_BODY_BYTES = 1024 * 1024;
const ENVELOPE_ROUTES = new Set(['POST /v1/envelopes', 'POST /v1/envelopes/batch']);
const RECORDS_REFUSALS = new Set(['envelope_refusals']);

/**
 * Routes whose well-formed requests are refused even so, or change nothing: each needs what the
 * fuzz cannot make (a signature, an invitation token, a proof of possession, a CSR signed by the
 * node's key), hands out a stateless challenge, or acknowledges deliveries that do not exist.
 */
const REFUSED_WHEN_WELL_FORMED = new Set([
  'POST /v1/envelopes',
  'POST /v1/envelopes/batch',
  'POST /v1/inbox/ack',
  'POST /v1/enrolments/challenge',
  'POST /v1/enrolments',
  'POST /v1/keys/challenge',
  'POST /v1/keys',
  'POST /v1/certificates/renew',
]);

/** The socket the app reads the TLS peer from: `certificate` presented and verified, or none. */
function tlsSocket(certificate?: X509Certificate) {
  return {
    authorized: certificate !== undefined,
    getPeerX509Certificate: () => certificate,
    disableRenegotiation: () => undefined,
    remoteAddress: '192.0.2.7',
  };
}

describe('hub API fuzz', () => {
  const settings = fuzzSettings();
  let fed: TestFederation;
  let services: HubServices;
  let app: ReturnType<typeof createHubApp>;
  let routes: FuzzRoute[];
  const sockets = new Map<string, ReturnType<typeof tlsSocket>>();
  const knownIds: string[] = [];

  beforeAll(async () => {
    fed = await createTestFederation(['NP', 'BD', 'IN-WB']);
    await installCertificateAuthority(fed.paths, {
      root: fed.root,
      issuing: fed.issuing,
      rootKeyPassphrase: ROOT_PASSPHRASE,
    });
    services = await createHubServices(
      {
        home: fed.hubHome,
        host: '127.0.0.1',
        port: 0,
        publicPort: 0,
        databaseUrl: undefined,
        maxWaitSeconds: 0,
        trust: {},
      },
      { log: () => undefined },
    );
    app = createHubApp(services);
    routes = fuzzRoutes(hubRoutes, hubOpenApiDocument(), (route) => route[HUB_ACCESS_KEY]);
    const present = (name: string, pem: string) => {
      const certificate = new X509Certificate(pem);
      sockets.set(name, tlsSocket(certificate));
      knownIds.push(normalSerial(certificate.serialNumber));
    };
    for (const nodeId of ['NP', 'BD', 'IN-WB']) {
      present(`member ${nodeId}`, fed.node(nodeId).certPem);
      knownIds.push(nodeId);
    }
    for (const role of ['admin', 'approver', 'auditor'] as const)
      present(role, adminIdentity(fed, `fuzz.${role}`, role).certPem);
    present('unregistered node', (await fed.unregisteredNode('ZZ')).certPem);
    sockets.set('no certificate', tlsSocket());
    // Reads that publish on first use (the CRL, the federation configuration, the first
    // transparency checkpoint), made once before the fuzz so that its snapshots see steady state.
    for (const [caller, path] of [
      ['no certificate', '/v1/crl'],
      ['no certificate', '/v1/crl.pem'],
      ['no certificate', '/v1/federation-config'],
      ['member NP', '/v1/transparency/checkpoint'],
    ] as const) {
      const response = await app.request(path, {}, { incoming: { socket: sockets.get(caller) } });
      expect(response.status, path).toBe(200);
    }
  }, 180_000);

  afterAll(async () => {
    await services?.close();
    await fed?.cleanup();
  });

  const member = (nodeId: string): FuzzCaller => ({
    name: `member ${nodeId}`,
    passes: (access) => access === 'public' || access === 'member',
  });
  const administrator = (role: AdminRole): FuzzCaller => ({
    name: role,
    passes: (access) =>
      access === 'public' || (ADMIN_ROLE_PERMISSIONS[role] as readonly string[]).includes(access),
  });
  const uncertified = (name: string): FuzzCaller => ({ name, passes: (access) => access === 'public' });

  const target = (
    name: string,
    callers: FuzzCaller[],
    weight?: (route: FuzzRoute) => number,
  ): FuzzTarget => ({
    name,
    routes,
    context: {
      callers,
      knownIds,
      maxBodyBytes: MAX_BODY_BYTES,
      refusedWhenWellFormed: REFUSED_WHEN_WELL_FORMED,
    },
    send: (request) =>
      app.request(toRequest(request), undefined, { incoming: { socket: sockets.get(request.caller) } }),
    snapshot: (route) =>
      snapshotDatabase(services.db, ENVELOPE_ROUTES.has(route.key) ? RECORDS_REFUSALS : new Set()),
    ...(weight ? { weight } : {}),
  });

  it('fuzzes exactly the operations of the committed OpenAPI document', async () => {
    const committed = JSON.parse(
      await readFile(new URL('../../../contracts/openapi/hub.json', import.meta.url), 'utf8'),
    ) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(committed.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.map((route) => route.key).sort()).toEqual(operations.sort());
  });

  it(`answers ${settings.runs} malformed requests on the mutual-TLS listener with no 5xx, leak or change`, async () => {
    console.log(
      `hub fuzz (mutual TLS): seed ${settings.seed}, ${settings.runs} requests (KHOJ_FUZZ_SEED, KHOJ_FUZZ_RUNS)`,
    );
    const callers = [
      member('NP'),
      member('BD'),
      administrator('admin'),
      administrator('approver'),
      administrator('auditor'),
      uncertified('unregistered node'),
      uncertified('no certificate'),
    ];
    const report = await fuzzApi(target('hub (mutual TLS)', callers), settings);
    console.log(formatReport('hub (mutual TLS)', report));
    expect(report.requests).toBeGreaterThanOrEqual(settings.runs);
    expect(Math.min(...Object.values(report.perRoute))).toBeGreaterThanOrEqual(
      Math.floor(settings.runs / routes.length),
    );
    expect(report.findings).toEqual([]);
  }, 600_000);

  it(`answers ${settings.runs} malformed requests on the public listener with no 5xx, leak or change`, async () => {
    console.log(
      `hub fuzz (public): seed ${settings.seed}, ${settings.runs} requests (KHOJ_FUZZ_SEED, KHOJ_FUZZ_RUNS)`,
    );
    const publicShare = (route: FuzzRoute) => (route.access === 'public' ? 3 : 1);
    const report = await fuzzApi(
      target('hub (public listener)', [uncertified('no certificate')], publicShare),
      {
        ...settings,
        seed: settings.seed + 1_000,
      },
    );
    console.log(formatReport('hub (public listener)', report));
    expect(report.requests).toBeGreaterThanOrEqual(settings.runs);
    expect(report.findings).toEqual([]);
  }, 600_000);

  // Last, since these change data (they may revoke the members the others call as): what the
  // contract accepts, at its edges, must not fail in the store either.
  const wellFormedRuns = Math.ceil(settings.runs / 5);
  it(`answers ${wellFormedRuns} well-formed requests with edge values with no 5xx and no leak`, async () => {
    const callers = [member('NP'), administrator('admin'), uncertified('no certificate')];
    const wellFormed = target('hub, well-formed', callers);
    const report = await fuzzApi(
      { ...wellFormed, context: { ...wellFormed.context, wellFormed: true } },
      { seed: settings.seed + 2_000, runs: wellFormedRuns },
    );
    console.log(formatReport('hub, well-formed', report));
    expect(report.requests).toBeGreaterThanOrEqual(wellFormedRuns);
    expect(report.findings).toEqual([]);
  }, 600_000);
});
