// Small pieces every route contract file uses: a JSON response entry, and free text as officers
// and citizens type it (trimmed, NFC-normalised so equal text compares equal, bounded).
import { z } from '@hono/zod-openapi';

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const trimmedText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .transform((value) => value.normalize('NFC'));
