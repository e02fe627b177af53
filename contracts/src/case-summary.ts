// The case summary: what one node tells another about a missing or found child. It is the
// plaintext inside an envelope's payload and never reaches the hub unencrypted.
import { z } from '@hono/zod-openapi';
import { ConsentScope } from './consent.ts';
import { CaseId, NodeId } from './ids.ts';
import { calendarDate } from './openapi-parts.ts';

export const CaseKind = z.enum(['missing', 'found']).openapi('CaseKind');
export type CaseKind = z.infer<typeof CaseKind>;

export const Sex = z.enum(['female', 'male', 'other', 'unknown']).openapi('Sex');

/** Names in any script, stored as written but NFC-normalised so equal names compare equal. */
const PersonName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .transform((name) => name.normalize('NFC'));

/** Age in whole years at the event date: known, or estimated as a range (found children). */
export const Age = z
  .union([
    z.object({ years: z.number().int().min(0).max(25) }).strict(),
    z
      .object({ estimateMin: z.number().int().min(0).max(25), estimateMax: z.number().int().min(0).max(25) })
      .strict()
      .refine((age) => age.estimateMin <= age.estimateMax, 'estimateMin must not exceed estimateMax'),
  ])
  .openapi('Age');
export type Age = z.infer<typeof Age>;

export const Place = z
  .object({
    country: z.string().regex(/^[A-Z]{2}$/),
    state: z.string().min(1).max(100).optional(),
    district: z.string().min(1).max(100).optional(),
    description: z.string().max(500).optional(),
  })
  .openapi('Place');

/**
 * The child as described in a report. Optional fields are absent when the tier withholds them:
 * `minimal` carries phonetic keys of the names (not the names), sex, an age band, the place down
 * to the district and the date; `standard` adds names, aliases, languages, identifying marks and
 * height; `full` (detail responses only) adds the guardians, on CaseSummary.
 */
export const ChildDescription = z
  .object({
    name: PersonName.optional(),
    aliases: z.array(PersonName).max(20).optional(),
    /** `minimal`: phonetic keys of the name and aliases (Latin letters), for matching without names. */
    phoneticNames: z
      .array(z.string().regex(/^[a-z0-9]{1,40}$/))
      .max(60)
      .optional(),
    sex: Sex,
    age: Age,
    languages: z
      .array(z.string().regex(/^[a-z]{2,3}$/))
      .max(10)
      .optional(),
    /** `standard`: identifying marks as written, any language. */
    identifyingMarks: z.array(z.string().trim().min(1).max(500)).max(20).optional(),
    heightCm: z.number().min(30).max(220).optional(),
  })
  .openapi('ChildDescription');
export type ChildDescription = z.infer<typeof ChildDescription>;

export const CaseSummary = z
  .object({
    caseId: CaseId,
    origin: NodeId,
    kind: CaseKind,
    version: z.number().int().min(1),
    child: ChildDescription,
    place: Place,
    /** Date last seen (missing) or found (found), YYYY-MM-DD. */
    eventDate: calendarDate(),
    /** `full` only, in a detail response: the guardians and how to reach them. */
    guardians: z
      .array(
        z.object({
          name: PersonName,
          relation: z.string().min(1).max(50),
          phones: z.array(z.string().max(20)).max(5),
        }),
      )
      .max(10)
      .optional(),
  })
  .openapi('CaseSummary');
export type CaseSummary = z.infer<typeof CaseSummary>;

/**
 * What an origin signs and encrypts for a `case.summary` envelope: the summary, minimised to
 * its tier, together with the consent scope it travels under.
 */
export const SharedCase = z.object({ summary: CaseSummary, scope: ConsentScope }).openapi('SharedCase');
export type SharedCase = z.infer<typeof SharedCase>;
