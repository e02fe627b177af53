// The `khoj` command as a user runs it: federation init, node create, and clear messages for
// mistakes. Key files must be private to their owner.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openNodeStore } from '@khoj/node';
import { certificateFingerprint, nodeIdFromCertificate } from '@khoj/pki';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationLayout } from './federation/layout.ts';

const run = promisify(execFile);
const KHOJ = fileURLToPath(new URL('../bin/khoj.js', import.meta.url));

describe('khoj federation init / node create', () => {
  let home: string;
  // The root CA key's passphrase, as CI gives it (a terminal would be asked).
  const env = { ...process.env, KHOJ_ROOT_PASSPHRASE: 'a test passphrase for the root key' };
  const khoj = (...args: string[]) => run(process.execPath, [KHOJ, '--home', home, ...args], { env });

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'khoj-cli-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('creates a federation and a node whose certificate names it and chains to the root', async () => {
    const init = await khoj('federation', 'init');
    expect(init.stdout).toContain('federation created');
    const created = await khoj('node', 'create', 'IN-WB', '--name', 'West Bengal');
    expect(created.stdout).toContain('node IN-WB created');

    const layout = federationLayout(home);
    const paths = layout.node('IN-WB');
    const certPem = await readFile(paths.tlsCert, 'utf8');
    expect(nodeIdFromCertificate(certPem)).toBe('IN-WB');
    const { stdout } = await run('openssl', [
      'verify',
      '-CAfile',
      layout.rootCaCert,
      '-untrusted',
      layout.issuingCaCert,
      paths.tlsCert,
    ]);
    expect(stdout).toContain(': OK');

    const registration = JSON.parse(await readFile(join(layout.hub.membersDir, 'IN-WB.json'), 'utf8'));
    expect(registration).toMatchObject({ nodeId: 'IN-WB', displayName: 'West Bengal' });
    expect(certificateFingerprint(registration.certificatePem)).toBe(certificateFingerprint(certPem));
    expect(JSON.stringify(registration)).not.toMatch(/"d":/);
  });

  it('writes every private key with mode 0600', async () => {
    const layout = federationLayout(home);
    const node = layout.node('IN-WB');
    for (const path of [
      layout.hub.ca.rootKeyEncrypted,
      ...(await readdir(layout.hub.ca.issuingDir))
        .filter((file) => file.endsWith('.key.pem'))
        .map((file) => join(layout.hub.ca.issuingDir, file)),
      layout.hub.configSigningKey,
      layout.hub.tlsKey,
      layout.hub.signingKey,
      node.tlsKey,
      node.signingKey,
      node.encryptionKey,
    ]) {
      expect(((await stat(path)).mode & 0o777).toString(8), path).toBe('600');
    }
  });

  it('names the problem when a command cannot be done', async () => {
    await expect(khoj('federation', 'init')).rejects.toMatchObject({
      stderr: expect.stringMatching(/already exists/),
    });
    await expect(khoj('node', 'create', 'West Bengal')).rejects.toMatchObject({
      stderr: expect.stringMatching(/node id/i),
    });
    await expect(khoj('node', 'create', 'IN-WB')).rejects.toMatchObject({
      stderr: expect.stringMatching(/already exists/),
    });
    const empty = await mkdtemp(join(tmpdir(), 'khoj-cli-empty-'));
    await expect(
      run(process.execPath, [KHOJ, '--home', empty, 'node', 'create', 'NP']),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/khoj federation init/),
    });
    await rm(empty, { recursive: true });
    await expect(khoj('demo', '--hub-port', 'eighty')).rejects.toMatchObject({
      stderr: expect.stringMatching(/not a TCP port/),
    });
  });

  it('adds units, users and API tokens, disables users, and verifies the audit chain — catching an edited entry', async () => {
    const unitId = (
      await khoj(
        'unit',
        'add',
        'IN-WB',
        '--name',
        'Ranaghat PS',
        '--type',
        'police_station',
        '--country',
        'in',
        '--state',
        'WB',
        '--district',
        'Nadia',
      )
    ).stdout.trim();
    expect(unitId).toMatch(/^unit_/);
    const withPassword = (password: string, ...args: string[]) => {
      const child = execFile(process.execPath, [KHOJ, '--home', home, ...args]);
      child.stdin?.end(`${password}\n`);
      return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        let stdout = '';
        let stderr = '';
        child.stdout?.on('data', (chunk) => (stdout += chunk));
        child.stderr?.on('data', (chunk) => (stderr += chunk));
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      });
    };
    const short = await withPassword(
      'short',
      'user',
      'add',
      'IN-WB',
      'si.roy',
      '--role',
      'police_officer',
      '--unit',
      unitId,
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters/);
    const added = await withPassword(
      'a long enough passphrase',
      'user',
      'add',
      'IN-WB',
      'si.roy',
      '--role',
      'police_officer',
      '--unit',
      unitId,
    );
    expect(added.stdout).toContain('user si.roy (police_officer) added');
    await expect(
      khoj('user', 'add', 'IN-WB', 'x.y', '--role', 'sultan', '--unit', unitId),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/Allowed choices are police_officer/),
    });

    const token = await khoj(
      'token',
      'create',
      'IN-WB',
      '--user',
      'si.roy',
      '--name',
      'CCTNS bridge',
      '--scopes',
      'case.read,case.create',
    );
    expect(token.stdout).toMatch(/\nkhoj_[A-Za-z0-9_-]{43}\n$/);
    await expect(
      khoj('token', 'create', 'IN-WB', '--user', 'si.roy', '--name', 'x', '--scopes', 'user.manage'),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/may not: user\.manage/),
    });
    const tokenId = token.stdout.match(/token (tok_[0-9a-z]+)/)?.[1] ?? '';
    expect((await khoj('token', 'revoke', 'IN-WB', tokenId)).stdout).toContain('revoked');
    expect(
      (await khoj('user', 'disable', 'IN-WB', 'si.roy', '--reason', 'transferred out')).stdout,
    ).toContain('disabled');

    expect((await khoj('audit', 'verify', 'IN-WB')).stdout).toMatch(/audit chain intact: 4 entries/);
    const store = await openNodeStore(federationLayout(home).node('IN-WB').home);
    await store.db.execute(sql`update audit_log set reason = 'nothing to see' where seq = 2`);
    await store.close();
    await expect(khoj('audit', 'verify', 'IN-WB')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/broken at entry 2: was altered/),
    });
  }, 600_000);
});
