// Public keys as the federation publishes them: Ed25519 for signatures, X25519 for encryption.
import { z } from '@hono/zod-openapi';

export const PublicJwk = z
  .object({
    kty: z.literal('OKP'),
    crv: z.enum(['Ed25519', 'X25519']),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    kid: z.string().min(1).max(100),
    use: z.enum(['sig', 'enc']).optional(),
  })
  .openapi('PublicJwk');
export type PublicJwk = z.infer<typeof PublicJwk>;
