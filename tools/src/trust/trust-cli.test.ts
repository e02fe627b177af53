// Trust administration as operators run it: the `khoj` command against a hub process on the
// embedded database. An invitation, an enrolment that waits for two administrators (dual
// control), the fingerprints both sides compare, key rotation and renewal from the node, the
// admin API with each role, revocation, the audit chain, and the root CA's passphrase — with
// the message each mistake gets.
import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initFederation } from '../federation/init.ts';
import { federationLayout } from '../federation/layout.ts';
import { type ServiceProcess, startHubProcess } from '../run/services.ts';
import { issueAdminCertificateFiles } from './ca-commands.ts';
import { directHubAdmin } from './hub-admin.ts';

const KHOJ = fileURLToPath(new URL('../../bin/khoj.js', import.meta.url));
const PASSPHRASE = 'the root key passphrase of this test';
const run = promisify(execFile);

type Result = { code: number | null; stdout: string; stderr: string };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

describe('khoj hub / ca / node trust commands', () => {
  let home: string;
  let hub: ServiceProcess | undefined;
  let hubUrl: string;
  let enrolUrl: string;
  let token: string;
  const hubLog: string[] = [];
  const dir = (name: string) => join(home, name);

  /** Runs `khoj`, never throwing: tests look at the exit code and both streams. */
  const khoj = (args: string[], env: Record<string, string | undefined> = {}): Promise<Result> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [KHOJ, '--home', home, ...args], {
        env: { ...process.env, KHOJ_ROOT_PASSPHRASE: PASSPHRASE, DATABASE_URL: undefined, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const admin = (name: string) => ['--admin-cert', dir(name), '--hub-url', hubUrl];
  const ok = async (args: string[], env?: Record<string, string | undefined>) => {
    const result = await khoj(args, env);
    expect(result.code, `khoj ${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'khoj-trust-cli-'));
    // Setting up is not under test here (and each `khoj` start costs seconds): done in-process.
    await initFederation(home, { rootKeyPassphrase: PASSPHRASE });
    const hubHome = federationLayout(home).hub.home;
    for (const [name, role] of [
      ['alice', 'approver'],
      ['bob', 'admin'],
      ['carol', 'auditor'],
    ] as const) {
      await issueAdminCertificateFiles(hubHome, { name, role, out: dir(name) });
    }
    const direct = await directHubAdmin(hubHome);
    try {
      token = (await direct.invite({ nodeId: 'IN-WB', displayName: 'West Bengal', expiresInHours: 48 }))
        .token;
    } finally {
      await direct.close();
    }
    expect(token).toMatch(/^khoj_enrol_[A-Za-z0-9_-]{43}$/);

    const [port, publicPort] = [await freePort(), await freePort()];
    hubUrl = `https://localhost:${port}`;
    enrolUrl = `https://localhost:${publicPort}`;
    hub = await startHubProcess(federationLayout(home).hub.home, port, {
      env: {
        KHOJ_HUB_PUBLIC_PORT: String(publicPort),
        KHOJ_HUB_DUAL_CONTROL: 'true',
        DATABASE_URL: undefined,
      },
      output: (_name, line) => hubLog.push(line),
    });
  }, 240_000);

  afterAll(async () => {
    await hub?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  }, 240_000);

  it('enrols a node by invitation under dual control, showing both sides the same fingerprints', async () => {
    const anchor = federationLayout(home).anchor;
    const enrol = ['node', 'enrol', 'IN-WB', '--hub', hubUrl, '--enrol-url', enrolUrl];
    const submitted = await khoj([...enrol, '--token', token, '--anchor', anchor, '--name', 'West Bengal']);
    expect(submitted.code, submitted.stderr).toBe(3); // submitted, waiting for approval
    const tlsKeySha256 = submitted.stdout.match(/TLS key SHA-256 +([0-9a-f]{64})/)?.[1];
    const signingKid = submitted.stdout.match(/signing key +(sig_\S+)/)?.[1];

    const listed = await ok(['hub', 'enrolments', ...admin('carol')]);
    expect(listed).toContain(`TLS key SHA-256     ${tlsKeySha256}`);
    expect(listed).toContain(`signing key         ${signingKid}`);
    expect(listed).toMatch(/IN-WB \(West Bengal\) +pending .* approvals 0\/2/);
    const enrolmentId = listed.match(/enr_[0-9a-z]+/)?.[0] ?? '';

    expect(await ok(['hub', 'approve', enrolmentId, ...admin('alice')])).toContain(
      'approval recorded (1 of 2): another administrator must approve',
    );
    const twice = await khoj(['hub', 'approve', enrolmentId, ...admin('alice')]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/409 APPROVAL_DUPLICATE.*alice has approved this enrolment already/);
    const auditor = await khoj(['hub', 'approve', enrolmentId, ...admin('carol')]);
    expect(auditor.stderr).toMatch(/403 FORBIDDEN.*the auditor role may not approve/);
    // Still pending: the node is told so and exits 3 again.
    expect((await khoj(enrol)).code).toBe(3);

    expect(await ok(['hub', 'approve', enrolmentId, ...admin('bob')])).toMatch(
      /IN-WB approved \(alice, bob\): certificate [0-9a-f]+ issued/,
    );
    expect(await ok(enrol)).toMatch(/IN-WB enrolled: certificate [0-9a-f]+ valid until/);

    const layout = federationLayout(home);
    const node = layout.node('IN-WB');
    const { stdout } = await run('openssl', [
      'verify',
      '-CAfile',
      layout.rootCaCert,
      '-untrusted',
      node.tlsCert,
      node.tlsCert,
    ]);
    expect(stdout.trim()).toBe(`${node.tlsCert}: OK`);
    expect(JSON.parse(await readFile(node.identity, 'utf8'))).toEqual({
      nodeId: 'IN-WB',
      displayName: 'West Bengal',
      hubUrl,
    });
    // A second run has nothing to do and says so.
    expect((await khoj(enrol)).stderr).toMatch(/IN-WB is enrolled already/);
  }, 240_000);

  it('refuses a used or unknown token and a missing or foreign anchor, naming the problem', async () => {
    const anchor = federationLayout(home).anchor;
    const enrol = (nodeId: string, ...more: string[]) =>
      khoj(['node', 'enrol', nodeId, '--hub', hubUrl, '--enrol-url', enrolUrl, ...more]);
    expect((await enrol('NP', '--token', token, '--anchor', anchor)).stderr).toMatch(
      /the hub refused \(409 ENROLMENT_TOKEN_USED\): this enrolment token has been used already/,
    );
    expect((await enrol('NP', '--token', 'khoj_enrol_unknown', '--anchor', anchor)).stderr).toMatch(
      /ENROLMENT_TOKEN_INVALID.*not issued by this hub/,
    );
    expect((await enrol('NP', '--token', 'khoj_enrol_unknown')).stderr).toMatch(/--anchor is required/);
    const invited = await ok(['hub', 'invite', 'NP', '--name', 'Nepal', ...admin('bob')]);
    expect(invited).toMatch(/^invitation inv_[0-9a-z]+ for NP, usable until /);
    const npToken = invited.trim().split('\n').at(-1) ?? '';
    expect(npToken).toMatch(/^khoj_enrol_/);
    expect((await khoj(['hub', 'invite', 'IN-WB', ...admin('bob')])).stderr).toMatch(
      /409 NODE_ALREADY_MEMBER.*IN-WB is a member/,
    );
    expect((await khoj(['hub', 'invite', 'West Bengal', ...admin('bob')])).stderr).toMatch(/node id/i);
    await writeFile(dir('not-an-anchor.json'), '{"rootCertificatePem": "nope"}');
    expect((await enrol('NP', '--token', 'x', '--anchor', dir('not-an-anchor.json'))).stderr).toMatch(
      /not a trust anchor: rootCertificatePem/,
    );
    // An anchor with another federation's root: the hub's TLS certificate does not chain to it.
    const foreign = await mkdtemp(join(tmpdir(), 'khoj-foreign-'));
    try {
      await initFederation(foreign);
      const result = await enrol('NP', '--token', npToken, '--anchor', federationLayout(foreign).anchor);
      expect(result.stderr).toMatch(/TLS failed .*does not chain to the federation root/);
    } finally {
      await rm(foreign, { recursive: true, force: true });
    }
  }, 240_000);

  it("rotates the node's keys and renews its certificate over mutual TLS", async () => {
    const node = federationLayout(home).node('IN-WB');
    const kidOf = async (path: string) => JSON.parse(await readFile(path, 'utf8')).kid as string;
    const [signingBefore, encryptionBefore] = [await kidOf(node.signingKey), await kidOf(node.encryptionKey)];
    const rotated = await ok(['node', 'rotate-keys', 'IN-WB', '--overlap-hours', '1']);
    expect(rotated).toMatch(/new keys published in federation configuration version \d+ and installed/);
    expect(await kidOf(node.signingKey)).not.toBe(signingBefore);
    expect(await kidOf(node.encryptionKey)).not.toBe(encryptionBefore);
    // The replaced encryption key is kept, to open envelopes sealed to it during the overlap.
    const retired = await readdir(node.retiredKeysDir);
    expect(retired.some((file) => file.endsWith(`${encryptionBefore}.jwk.json`))).toBe(true);

    const serialBefore = new X509Certificate(await readFile(node.tlsCert, 'utf8')).serialNumber;
    expect(await ok(['node', 'renew', 'IN-WB'])).toMatch(/TLS certificate [0-9a-f]+ installed/);
    expect(new X509Certificate(await readFile(node.tlsCert, 'utf8')).serialNumber).not.toBe(serialBefore);

    const history = await ok(['hub', 'config-history', ...admin('carol')]);
    expect(history).toMatch(/certificate\.renew IN-WB/);
    expect(history).toMatch(/keys\.rotate IN-WB/);
    expect(history).toMatch(/enrolment\.approve IN-WB/);
  }, 240_000);

  it('revokes through the admin API only with the admin role, and keeps an intact audit chain', async () => {
    const denied = await khoj(['hub', 'revoke', 'IN-WB', '--reason', 'keyCompromise', ...admin('alice')]);
    expect(denied.stderr).toMatch(/403 FORBIDDEN.*the approver role may not manage/);
    expect((await khoj(['hub', 'revoke', 'IN-WB', '--reason', 'stolen', ...admin('bob')])).stderr).toMatch(
      /Allowed choices are unspecified, keyCompromise/,
    );
    expect(await ok(['hub', 'revoke', 'IN-WB', '--reason', 'keyCompromise', ...admin('bob')])).toMatch(
      /IN-WB revoked \(keyCompromise\): certificates [0-9a-f, ]+; federation configuration version \d+/,
    );
    const nodes = await ok(['hub', 'nodes', ...admin('carol')]);
    expect(nodes).toMatch(/IN-WB +revoked/);
    expect(nodes).toMatch(/revoked .* \(keyCompromise\)/);
    expect(await ok(['hub', 'audit', 'verify', ...admin('carol')])).toMatch(
      /hub audit chain intact: \d+ entries/,
    );
    // On the hub machine while the hub runs on its embedded database: refused, with the way out.
    expect((await khoj(['hub', 'nodes'])).stderr).toMatch(/embedded database is in use.*--admin-cert/);
    // An administrator certificate directory that is not one.
    expect((await khoj(['hub', 'nodes', '--admin-cert', dir('nobody'), '--hub-url', hubUrl])).stderr).toMatch(
      /admin\.cert\.pem is missing/,
    );
  }, 240_000);

  it('rotates the issuing CA with the root passphrase, refusing a wrong one, and keeps the root key encrypted', async () => {
    await hub?.stop();
    hub = undefined;
    const layout = federationLayout(home);
    const wrong = await khoj(['ca', 'rotate-issuing'], { KHOJ_ROOT_PASSPHRASE: 'not the passphrase at all' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wrong root CA key passphrase; nothing was changed/);
    expect(
      (await readdir(layout.hub.ca.issuingDir)).filter((file) => file.endsWith('.cert.pem')),
    ).toHaveLength(1);

    expect(await ok(['ca', 'rotate-issuing'])).toMatch(
      /new issuing CA [0-9a-f]+, valid until .* it issues from now on/,
    );
    expect(
      (await readdir(layout.hub.ca.issuingDir)).filter((file) => file.endsWith('.cert.pem')),
    ).toHaveLength(2);
    expect(await readFile(layout.hub.ca.rootKeyEncrypted, 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    await expect(
      run('openssl', ['pkey', '-in', layout.hub.ca.rootKeyEncrypted, '-passin', 'pass:wrong', '-noout']),
    ).rejects.toThrow();

    // Administrator certificates now come from the new issuing CA, and openssl follows the chain.
    await ok(['ca', 'admin-cert', 'dave', '--role', 'auditor', '--out', dir('dave')]);
    const { stdout } = await run('openssl', [
      'verify',
      '-CAfile',
      layout.rootCaCert,
      '-untrusted',
      join(dir('dave'), 'admin.cert.pem'),
      join(dir('dave'), 'admin.cert.pem'),
    ]);
    expect(stdout).toContain(': OK');
    expect(
      (await khoj(['ca', 'admin-cert', 'Dave Smith', '--role', 'auditor', '--out', dir('x')])).stderr,
    ).toMatch(/administrator name Dave Smith must match/);
    expect(await ok(['hub', 'audit', 'verify'])).toMatch(/hub audit chain intact/);
  }, 240_000);
});
