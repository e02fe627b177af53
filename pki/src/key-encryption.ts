// Passphrase protection for keys kept offline, above all the root CA key: encrypted PKCS#8
// (PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC, RFC 8018) that `openssl pkey -passin` reads too.
//
// node:crypto's own `export({ cipher, passphrase })` uses OpenSSL's default of 2048 PBKDF2
// iterations, cheap to brute-force for a file that may be copied off a USB stick; the
// structure is therefore written here with 600 000 iterations (OWASP's figure for
// PBKDF2-SHA256). Decryption is left to OpenSSL, which reads any iteration count.

import { createCipheriv, createPrivateKey, type KeyObject, pbkdf2Sync, randomBytes } from 'node:crypto';
import { fromDer, integer, nullValue, octetString, oid, pem, pemBody, sequence, toDer } from './der.ts';
import { PkiError } from './errors.ts';

/** Shortest passphrase accepted when encrypting (characters). */
export const MIN_PASSPHRASE_LENGTH = 12;

/** PBKDF2 iterations for newly encrypted keys. */
export const KEY_ENCRYPTION_ITERATIONS = 600_000;

const ENCRYPTED_LABEL = 'ENCRYPTED PRIVATE KEY';
const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const HMAC_WITH_SHA256 = '1.2.840.113549.2.9';
const AES_256_CBC = '2.16.840.1.101.3.4.1.42';

export function isEncryptedPrivateKeyPem(pemText: string): boolean {
  return typeof pemText === 'string' && pemBody(pemText, ENCRYPTED_LABEL) !== undefined;
}

/**
 * Encrypt a PEM private key (PKCS#1 or PKCS#8, any algorithm OpenSSL reads) under a
 * passphrase. Throws ERR_PASSPHRASE_TOO_SHORT below MIN_PASSPHRASE_LENGTH characters and
 * ERR_KEY_INVALID when the input is not an unencrypted private key.
 */
export function encryptPrivateKeyPem(keyPem: string, passphrase: string): string {
  if (typeof passphrase !== 'string' || [...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new PkiError(
      'ERR_PASSPHRASE_TOO_SHORT',
      `the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`,
    );
  }
  if (isEncryptedPrivateKeyPem(keyPem)) throw new PkiError('ERR_KEY_INVALID', 'the key is already encrypted');
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch (cause) {
    throw new PkiError('ERR_KEY_INVALID', 'not a PEM private key', { cause });
  }
  const privateKeyInfo = key.export({ type: 'pkcs8', format: 'der' });
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const aesKey = pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, KEY_ENCRYPTION_ITERATIONS, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', aesKey, iv);
  const encrypted = Buffer.concat([cipher.update(privateKeyInfo), cipher.final()]);
  const algorithm = sequence([
    oid(PBES2),
    sequence([
      sequence([
        oid(PBKDF2),
        sequence([
          octetString(salt),
          integer(BigInt(KEY_ENCRYPTION_ITERATIONS)),
          sequence([oid(HMAC_WITH_SHA256), nullValue()]),
        ]),
      ]),
      sequence([oid(AES_256_CBC), octetString(iv)]),
    ]),
  ]);
  const der = toDer(sequence([algorithm, octetString(encrypted)]));
  // Parse our own output once: a malformed structure must fail here, not on the day of recovery.
  fromDer(der);
  return pem(ENCRYPTED_LABEL, der);
}

/**
 * Decrypt an encrypted PKCS#8 PEM (ours, or one written by openssl) to unencrypted PKCS#8 PEM,
 * which node-forge and node:crypto both read. Throws ERR_PASSPHRASE when the passphrase is
 * wrong and ERR_KEY_INVALID when the input is not an encrypted private key.
 */
export function decryptPrivateKeyPem(encryptedPem: string, passphrase: string): string {
  if (!isEncryptedPrivateKeyPem(encryptedPem)) {
    throw new PkiError(
      'ERR_KEY_INVALID',
      `not an encrypted private key (expected "-----BEGIN ${ENCRYPTED_LABEL}-----")`,
    );
  }
  if (typeof passphrase !== 'string') throw new PkiError('ERR_PASSPHRASE', 'a passphrase is required');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: encryptedPem, format: 'pem', passphrase });
  } catch (cause) {
    // OpenSSL cannot tell a wrong passphrase from corrupted ciphertext (both end in bad padding
    // or an unparsable key), so both are reported as a passphrase problem.
    throw new PkiError('ERR_PASSPHRASE', 'the passphrase is wrong or the key file is damaged', { cause });
  }
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}
