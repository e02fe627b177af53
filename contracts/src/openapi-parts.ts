// Small pieces every route contract file uses: a JSON response entry, free text as officers and
// citizens type it (trimmed, NFC-normalised so equal text compares equal, bounded), and dates.
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

/**
 * A day, YYYY-MM-DD, from 0001-01-01 on. ISO 8601 (and zod) have a year 0000; PostgreSQL's dates
 * do not, and refused it mid-insert: a well-formed report, sighting, query or progress entry
 * dated 0000-01-01 was a 500.
 */
export const calendarDate = () =>
  z.iso.date().refine((day) => !day.startsWith('0000-'), { message: 'a date from 0001-01-01 on' });
