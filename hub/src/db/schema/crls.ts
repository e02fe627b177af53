// Every CRL the hub has signed, per issuing CA; the highest crlNumber is the one served.
import type { InferSelectModel } from 'drizzle-orm';
import { bigint, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const crls = pgTable(
  'crls',
  {
    issuerSerialHex: text('issuer_serial_hex').notNull(),
    /** Increases by one with every CRL of the same issuer (RFC 5280 §5.2.3). */
    crlNumber: bigint('crl_number', { mode: 'number' }).notNull(),
    thisUpdate: instant('this_update').notNull(),
    nextUpdate: instant('next_update').notNull(),
    pem: text('pem').notNull(),
  },
  (table) => [primaryKey({ columns: [table.issuerSerialHex, table.crlNumber] })],
);
export type CrlRow = InferSelectModel<typeof crls>;
