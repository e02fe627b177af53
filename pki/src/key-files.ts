// Private keys on disk: written owner-only (0600) and refused on read when anyone else could
// read them, the way ssh treats its identity files. Writes go through a temporary file and a
// rename, so a crash never leaves a half-written key where the old one was.

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PkiError } from './errors.ts';
import { type KeyCurve, type PrivateJwk, type PublicJwk, parsePrivateJwk, parsePublicJwk } from './keys.ts';

const PRIVATE_FILE_MODE = 0o600;
const PUBLIC_FILE_MODE = 0o644;
/** Directories we create for keys are owner-only too; existing directories are left alone. */
const PRIVATE_DIR_MODE = 0o700;

export async function writePrivateFile(path: string, contents: string | Uint8Array): Promise<void> {
  await writeAtomically(path, contents, PRIVATE_FILE_MODE, PRIVATE_DIR_MODE);
}

export async function writePublicFile(path: string, contents: string | Uint8Array): Promise<void> {
  await writeAtomically(path, contents, PUBLIC_FILE_MODE, 0o755);
}

/** Reads a private file as UTF-8; ERR_KEY_FILE_INSECURE when group or others have any access. */
export async function readPrivateFile(path: string): Promise<string> {
  const info = await stat(path);
  if (!info.isFile()) throw new PkiError('ERR_KEY_FILE_INSECURE', `${path} is not a regular file`);
  // Windows has no POSIX mode bits to check; its ACLs are out of scope here.
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw new PkiError('ERR_KEY_FILE_INSECURE', `${path} has mode ${mode}; run: chmod 600 ${path}`);
  }
  return readFile(path, 'utf8');
}

export async function writePrivateJwk(path: string, jwk: PrivateJwk): Promise<void> {
  await writePrivateFile(path, `${JSON.stringify(parsePrivateJwk(jwk), null, 2)}\n`);
}

export async function readPrivateJwk(path: string, crv?: KeyCurve): Promise<PrivateJwk> {
  return parsePrivateJwk(parseJson(await readPrivateFile(path), path), crv);
}

export async function writePublicJwk(path: string, jwk: PublicJwk): Promise<void> {
  await writePublicFile(path, `${JSON.stringify(parsePublicJwk(jwk), null, 2)}\n`);
}

export async function readPublicJwk(path: string, crv?: KeyCurve): Promise<PublicJwk> {
  return parsePublicJwk(parseJson(await readFile(path, 'utf8'), path), crv);
}

async function writeAtomically(
  path: string,
  contents: string | Uint8Array,
  mode: number,
  dirMode: number,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: dirMode });
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // 'wx': never follow a pre-planted file or symlink at the temporary name.
    await writeFile(temporary, contents, { mode, flag: 'wx' });
    // The umask may have removed bits from a public file's mode; a private mode needs the chmod
    // only in odd set-ups, but it is cheap and makes the result independent of the umask.
    await chmod(temporary, mode);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new PkiError('ERR_KEY_INVALID', `${path} is not JSON`, { cause });
  }
}
