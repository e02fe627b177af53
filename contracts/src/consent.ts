// Consent scope: what may be shared, with whom, for what, on which legal basis and until when.
// Every shared record carries its scope and every hop enforces it (see DESIGN.md).
import { z } from '@hono/zod-openapi';
import { RecipientPattern } from './ids.ts';

export const Purpose = z.enum(['reunification', 'anti_trafficking']).openapi('Purpose');
export type Purpose = z.infer<typeof Purpose>;

/** minimal: no names; standard: + names and languages; full: + guardians (detail requests only). */
export const FieldsTier = z.enum(['minimal', 'standard', 'full']).openapi('FieldsTier');
export type FieldsTier = z.infer<typeof FieldsTier>;

export const LegalBasis = z.enum(['guardian_consent', 'statute', 'court_order']).openapi('LegalBasis');

export const ConsentScope = z
  .object({
    purposes: z.array(Purpose).min(1),
    recipients: z.array(RecipientPattern).min(1),
    fields: FieldsTier,
    legalBasis: LegalBasis,
    expiresAt: z.iso.datetime({ offset: true }),
    grantedBy: z.string().min(1).max(200),
    grantedAt: z.iso.datetime({ offset: true }),
  })
  .openapi('ConsentScope');
export type ConsentScope = z.infer<typeof ConsentScope>;
