// The root CA key's passphrase, for the few commands that open (or first encrypt) the root key:
// from KHOJ_ROOT_PASSPHRASE (tests, CI), from standard input when it is not a terminal (scripts),
// or typed at the terminal without echo — twice when it is being chosen.
import { MIN_PASSPHRASE_LENGTH } from '@khoj/pki';
import { readSecret } from '../admin/prompt.ts';

export const ROOT_PASSPHRASE_ENV = 'KHOJ_ROOT_PASSPHRASE';

export async function readRootPassphrase(options: { choosing: boolean }): Promise<string> {
  const fromEnv = process.env[ROOT_PASSPHRASE_ENV];
  const passphrase =
    fromEnv !== undefined && fromEnv !== ''
      ? fromEnv
      : await readSecret(options.choosing ? 'New root CA key passphrase: ' : 'Root CA key passphrase: ');
  if (options.choosing && [...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new Error(`the root CA key passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
  if (options.choosing && fromEnv === undefined && process.stdin.isTTY) {
    const again = await readSecret('Repeat the passphrase: ');
    if (again !== passphrase) throw new Error('the two passphrases differ; nothing was created');
  }
  return passphrase;
}
