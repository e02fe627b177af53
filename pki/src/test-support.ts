// Fixtures shared by the tests of this package (not exported from index.ts): a small
// federation PKI made once per test file, with 3072-bit keys to keep the run fast.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CaMaterial, createIssuingCa, createRootCa } from './ca.ts';

export type TestPki = { root: CaMaterial; issuing: CaMaterial };

export function createTestPki(name = 'khoj test'): TestPki {
  const root = createRootCa({ commonName: `${name} root`, keyBits: 3072 });
  const issuing = createIssuingCa(root, { commonName: `${name} issuing` });
  return { root, issuing };
}

/** Write PEM files into a fresh temporary directory for tools such as openssl; returns their paths. */
export function writeTempFiles<T extends Record<string, string>>(files: T): { [K in keyof T]: string } {
  const dir = mkdtempSync(join(tmpdir(), 'khoj-pki-'));
  const paths: Record<string, string> = {};
  for (const [name, contents] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, contents);
    paths[name] = path;
  }
  return paths as { [K in keyof T]: string };
}
