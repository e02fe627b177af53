// The JWE general JSON serialization (RFC 7516 §7.2.1) as it travels inside an envelope: one
// recipient entry per node. The hub stores and forwards it without being able to read it.
import { z } from '@hono/zod-openapi';

const B64Url = z.string().regex(/^[A-Za-z0-9_-]*$/);

export const GeneralJwe = z
  .object({
    protected: B64Url,
    iv: B64Url,
    ciphertext: B64Url,
    tag: B64Url,
    aad: B64Url.optional(),
    unprotected: z.record(z.string(), z.unknown()).optional(),
    recipients: z
      .array(
        z.object({
          header: z.record(z.string(), z.unknown()).optional(),
          encrypted_key: B64Url.optional(),
        }),
      )
      .min(1),
  })
  .openapi('GeneralJwe');
export type GeneralJwe = z.infer<typeof GeneralJwe>;
