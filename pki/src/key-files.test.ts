import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  readPrivateFile,
  readPrivateJwk,
  readPublicJwk,
  writePrivateFile,
  writePrivateJwk,
  writePublicFile,
  writePublicJwk,
} from './key-files.ts';
import { generateSigningKey } from './keys.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'khoj-keys-'));
});

const code = (expected: string) => expect.objectContaining({ code: expected });
const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe.skipIf(process.platform === 'win32')('key files', () => {
  it('writes private files 0600 into new owner-only directories', async () => {
    const path = join(dir, 'keys', 'nested', 'node.key');
    await writePrivateFile(path, 'secret');
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(join(dir, 'keys', 'nested'))).toBe(0o700);
    expect(await readPrivateFile(path)).toBe('secret');
  });

  it('replaces an existing world-readable file with a 0600 one', async () => {
    const path = join(dir, 'node.key');
    await writeFile(path, 'old', { mode: 0o644 });
    await chmod(path, 0o644);
    await writePrivateFile(path, 'new');
    expect(await modeOf(path)).toBe(0o600);
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('refuses to read a private file that group or others can access', async () => {
    const path = join(dir, 'node.key');
    await writePrivateFile(path, 'secret');
    for (const mode of [0o640, 0o604, 0o660, 0o644]) {
      await chmod(path, mode);
      await expect(readPrivateFile(path)).rejects.toThrow(code('ERR_KEY_FILE_INSECURE'));
    }
    await chmod(path, 0o400);
    expect(await readPrivateFile(path)).toBe('secret');
  });

  it('writes public files 0644', async () => {
    const path = join(dir, 'root.pem');
    await writePublicFile(path, 'cert');
    expect(await modeOf(path)).toBe(0o644);
  });

  it('stores JWKs as JSON and reads them back validated', async () => {
    const key = await generateSigningKey();
    await writePrivateJwk(join(dir, 'signing.jwk'), key.privateJwk);
    await writePublicJwk(join(dir, 'signing.pub.jwk'), key.publicJwk);
    expect(await readPrivateJwk(join(dir, 'signing.jwk'), 'Ed25519')).toEqual(key.privateJwk);
    expect(await readPublicJwk(join(dir, 'signing.pub.jwk'))).toEqual(key.publicJwk);
    await expect(readPrivateJwk(join(dir, 'signing.jwk'), 'X25519')).rejects.toThrow(code('ERR_KEY_INVALID'));
    await writePrivateFile(join(dir, 'broken.jwk'), '{not json');
    await expect(readPrivateJwk(join(dir, 'broken.jwk'))).rejects.toThrow(code('ERR_KEY_INVALID'));
  });
});
