// Envelopes the hub refused after authenticating the sender: the code and a reason naming only
// node ids and purposes. Nothing of the refused envelope is stored but its id and type.
import type { EnvelopeType, ErrorCode } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { bigserial, index, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const envelopeRefusals = pgTable(
  'envelope_refusals',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    /** The node whose certificate made the request. */
    sender: text('sender').notNull(),
    envelopeId: text('envelope_id').notNull(),
    type: text('type').$type<EnvelopeType>().notNull(),
    code: text('code').$type<ErrorCode>().notNull(),
    message: text('message').notNull(),
    at: instant('at').notNull(),
    requestId: text('request_id'),
  },
  (table) => [index('envelope_refusals_sender').on(table.sender, table.seq)],
);
export type EnvelopeRefusalRow = InferSelectModel<typeof envelopeRefusals>;
