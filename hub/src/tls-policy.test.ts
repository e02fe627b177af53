// The TLS both hub listeners speak (platform's TLS_POLICY), checked with a client nobody here
// wrote: `openssl s_client`. TLS 1.3 and TLS 1.2 with ECDHE + AEAD are accepted; static-RSA key
// exchange, CBC and SHA-1 suites, and TLS 1.1, which Node's defaults accepted, are refused.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrustHub, type TrustHub } from './testing/trust-fixture.ts';

/** `reached`: the TCP connection was made (so a refusal is the server's, not a wrong port). */
type Handshake = { reached: boolean; connected: boolean; protocol?: string; cipher?: string };

/** One handshake: `openssl s_client` with `args`, over in seconds; what it negotiated, if anything. */
function handshake(url: string, args: string[]): Promise<Handshake> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const child = execFile(
      'openssl',
      ['s_client', '-connect', `${hostname}:${port}`, '-servername', 'localhost', ...args],
      { timeout: 20_000 },
      (_error, stdout) => {
        const cipher = /Cipher is (\S+)/.exec(stdout)?.[1];
        const protocol = /Protocol\s*:\s*(\S+)/.exec(stdout)?.[1] ?? /New, (TLSv[\d.]+)/.exec(stdout)?.[1];
        resolve({
          reached: stdout.includes('CONNECTED('),
          connected: cipher !== undefined && cipher !== '(NONE)',
          protocol,
          cipher,
        });
      },
    );
    child.stdin?.end();
  });
}

describe('TLS policy of the hub listeners', () => {
  let hub: TrustHub;
  let dir: string;
  let identity: string[];

  beforeAll(async () => {
    hub = await startTrustHub('pglite', { nodeIds: ['NP'] });
    dir = await mkdtemp(join(tmpdir(), 'khoj-tls-'));
    const node = hub.fed.node('NP');
    await writeFile(join(dir, 'ca.pem'), hub.fed.root.certPem);
    await writeFile(join(dir, 'cert.pem'), node.certPem);
    await writeFile(join(dir, 'key.pem'), node.keyPem);
    identity = ['-CAfile', join(dir, 'ca.pem'), '-cert', join(dir, 'cert.pem'), '-key', join(dir, 'key.pem')];
  });
  afterAll(async () => {
    await hub?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  // SECLEVEL=0 so that the client offers what it is asked to; the server alone must refuse.
  const tls12 = (cipher: string) => ['-tls1_2', '-cipher', `${cipher}:@SECLEVEL=0`];
  const refused = {
    'static RSA, AES-GCM': tls12('AES128-GCM-SHA256'),
    'static RSA, AES-CBC, SHA-1': tls12('AES128-SHA'),
    'static RSA, AES-CBC, SHA-256': tls12('AES256-SHA256'),
    'ECDHE, AES-CBC, SHA-1': tls12('ECDHE-RSA-AES128-SHA'),
    'ECDHE, AES-CBC, SHA-384': tls12('ECDHE-RSA-AES256-SHA384'),
    'DHE, AES-GCM': tls12('DHE-RSA-AES128-GCM-SHA256'),
    'TLS 1.1': ['-tls1_1', '-cipher', 'DEFAULT:@SECLEVEL=0'],
  };
  const accepted = {
    'TLS 1.3': [['-tls1_3'], 'TLSv1.3'],
    'TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256': [tls12('ECDHE-RSA-AES128-GCM-SHA256'), 'TLSv1.2'],
    'TLS 1.2, ECDHE-RSA-CHACHA20-POLY1305': [tls12('ECDHE-RSA-CHACHA20-POLY1305'), 'TLSv1.2'],
  } as const;

  for (const listener of ['mutual', 'public'] as const) {
    const urlOf = () => (listener === 'mutual' ? hub.server.url : (hub.server.publicUrl as string));

    it(`${listener} listener: refuses static-RSA, CBC, SHA-1, DHE suites and TLS 1.1`, async () => {
      for (const [name, args] of Object.entries(refused)) {
        const result = await handshake(urlOf(), [...args, ...identity]);
        expect(result, `${name}: negotiated ${result.cipher}`).toMatchObject({
          reached: true,
          connected: false,
        });
      }
    });

    it(`${listener} listener: accepts TLS 1.3 and TLS 1.2 with ECDHE and AEAD`, async () => {
      for (const [name, [args, protocol]] of Object.entries(accepted)) {
        const result = await handshake(urlOf(), [...args, ...identity]);
        expect(result, name).toMatchObject({ reached: true, connected: true, protocol });
      }
    });
  }
});
