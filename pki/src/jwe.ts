// End-to-end encryption of payloads to recipient nodes: one JWE in general JSON
// serialization with one recipient entry per node (ECDH-ES+A256KW to each node's X25519
// key, content in A256GCM). The hub stores and forwards these without being able to read them.

import { errors, flattenedDecrypt, GeneralEncrypt } from 'jose';
import { isPkiError, PkiError } from './errors.ts';
import { type PrivateJwk, type PublicJwk, parsePrivateJwk, parsePublicJwk } from './keys.ts';

export const JWE_KEY_MANAGEMENT_ALGORITHMS: readonly string[] = ['ECDH-ES+A256KW'];
export const JWE_CONTENT_ENCRYPTION_ALGORITHMS: readonly string[] = ['A256GCM'];

/** General JWE JSON serialization (RFC 7516 section 7.2.1), as stored in an envelope. */
export type GeneralJwe = {
  protected?: string;
  unprotected?: Record<string, unknown>;
  iv?: string;
  ciphertext: string;
  tag?: string;
  aad?: string;
  recipients: Array<{ header?: Record<string, unknown>; encrypted_key?: string }>;
};

export type JweRecipient = { kid: string; publicJwk: PublicJwk };
export type JweDecryptionKey = { kid: string; privateJwk: PrivateJwk };

const encoder = new TextEncoder();

export async function encryptForRecipients(
  plaintext: Uint8Array | string,
  recipients: JweRecipient[],
): Promise<GeneralJwe> {
  if (recipients.length === 0) throw new TypeError('encryptForRecipients needs at least one recipient');
  const kids = new Set(recipients.map((recipient) => recipient.kid));
  if (kids.size !== recipients.length) throw new TypeError('recipients must have distinct kids');
  const bytes = typeof plaintext === 'string' ? encoder.encode(plaintext) : plaintext;
  const jwe = new GeneralEncrypt(bytes).setProtectedHeader({ enc: 'A256GCM' });
  for (const recipient of recipients) {
    const key = parsePublicJwk(recipient.publicJwk, 'X25519');
    jwe.addRecipient(key).setUnprotectedHeader({ alg: 'ECDH-ES+A256KW', kid: recipient.kid });
  }
  return (await jwe.encrypt()) as GeneralJwe;
}

/**
 * Decrypt the entry addressed to `key.kid`. Only that entry is tried, so a JWE that does not
 * name this node fails fast instead of running ECDH against every entry.
 */
export async function decryptForRecipient(jwe: GeneralJwe, key: JweDecryptionKey): Promise<Uint8Array> {
  const privateJwk = parsePrivateJwk(key.privateJwk, 'X25519');
  if (typeof jwe !== 'object' || jwe === null || !Array.isArray(jwe.recipients)) {
    throw new PkiError('ERR_DECRYPTION_FAILED', 'not a general JSON JWE');
  }
  const entry = jwe.recipients.find((recipient) => recipient?.header?.kid === key.kid);
  if (!entry) throw new PkiError('ERR_DECRYPTION_FAILED', `JWE has no entry for recipient ${key.kid}`);
  const { recipients: _all, ...shared } = jwe;
  try {
    const { plaintext } = await flattenedDecrypt({ ...shared, ...entry }, privateJwk, {
      keyManagementAlgorithms: [...JWE_KEY_MANAGEMENT_ALGORITHMS],
      contentEncryptionAlgorithms: [...JWE_CONTENT_ENCRYPTION_ALGORITHMS],
    });
    return plaintext;
  } catch (cause) {
    if (isPkiError(cause)) throw cause;
    if (cause instanceof errors.JOSEAlgNotAllowed) {
      throw new PkiError('ERR_ALG_NOT_ALLOWED', 'JWE algorithm not allowed', { cause });
    }
    throw new PkiError('ERR_DECRYPTION_FAILED', 'JWE cannot be decrypted with this key', { cause });
  }
}
