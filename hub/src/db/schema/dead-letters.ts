// Envelopes whose expiresAt passed before every recipient acknowledged them: dropped from the
// inboxes by the expiry sweep and recorded here with the hub's signed notice, for the origin
// (GET /v1/dead-letters) and administrators (GET /v1/admin/dead-letters). Metadata only.
import type { EnvelopeType, Purpose } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const deadLetters = pgTable(
  'dead_letters',
  {
    /** The cursor an origin polls with. */
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    envelopeId: text('envelope_id').notNull().unique(),
    origin: text('origin').notNull(),
    type: text('type').$type<EnvelopeType>().notNull(),
    purposes: jsonb('purposes').$type<Purpose[]>().notNull(),
    undeliveredTo: jsonb('undelivered_to').$type<string[]>().notNull(),
    expiresAt: instant('expires_at').notNull(),
    droppedAt: instant('dropped_at').notNull(),
    /** Compact JWS of the DeadLetterStatement by the configuration-signing key. */
    notice: text('notice').notNull(),
  },
  (table) => [index('dead_letters_origin').on(table.origin, table.seq)],
);
export type DeadLetterRow = InferSelectModel<typeof deadLetters>;
