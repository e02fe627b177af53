// The `khoj` command as a user runs it: federation init, node create, and clear messages for
// mistakes. Key files must be private to their owner.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { certificateFingerprint, nodeIdFromCertificate } from '@khoj/pki';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationLayout } from './federation/layout.ts';

const run = promisify(execFile);
const KHOJ = fileURLToPath(new URL('../bin/khoj.js', import.meta.url));

describe('khoj federation init / node create', () => {
  let home: string;
  const khoj = (...args: string[]) => run(process.execPath, [KHOJ, '--home', home, ...args]);

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
      layout.rootCaKey,
      layout.issuingCaKey,
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
});
