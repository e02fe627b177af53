// Errors thrown by @khoj/pki. Callers (hub, nodes, tools) branch on `code`, never on the
// message, so the codes are a closed union and stay stable across releases.

export type PkiErrorCode =
  | 'ERR_SIGNATURE_INVALID'
  | 'ERR_DECRYPTION_FAILED'
  | 'ERR_ALG_NOT_ALLOWED'
  | 'ERR_CERT_CHAIN_INVALID'
  | 'ERR_CERT_EXPIRED'
  | 'ERR_CERT_NOT_YET_VALID'
  | 'ERR_CSR_INVALID'
  | 'ERR_CSR_SIGNATURE_INVALID'
  | 'ERR_KEY_TOO_WEAK'
  | 'ERR_NODE_ID_INVALID'
  | 'ERR_KEY_FILE_INSECURE'
  | 'ERR_KEY_INVALID'
  | 'ERR_CRL_INVALID'
  | 'ERR_CRL_EXPIRED'
  | 'ERR_CRL_NOT_YET_VALID'
  | 'ERR_PASSPHRASE'
  | 'ERR_PASSPHRASE_TOO_SHORT'
  | 'ERR_NOT_ADMIN_CERT'
  | 'ERR_ADMIN_INVALID'
  | 'ERR_CERT_USAGE'
  | 'ERR_POP_INVALID';

export class PkiError extends Error {
  readonly code: PkiErrorCode;

  constructor(code: PkiErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PkiError';
    this.code = code;
  }
}

export function isPkiError(error: unknown, code?: PkiErrorCode): error is PkiError {
  return error instanceof PkiError && (code === undefined || error.code === code);
}
