// Bearer secrets (session cookies, API tokens): random, shown once, stored only as a SHA-256
// digest. The secret is 256 random bits, so a plain digest is enough to make the stored value
// useless to whoever reads the database.
import { createHash, randomBytes } from 'node:crypto';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function digestSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
