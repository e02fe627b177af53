// Revoked certificates, node or administrator, by serial. The hub refuses a revoked serial on
// every request, lists it in its CRL and (for node certificates) in the federation configuration.
import type { InferSelectModel } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const revocations = pgTable('revocations', {
  serialHex: text('serial_hex').primaryKey(),
  /** The issuing CA whose CRL lists it; null when unknown (then every CRL lists it). */
  issuerSerialHex: text('issuer_serial_hex'),
  /** Set for node certificates. */
  nodeId: text('node_id'),
  /** Who the certificate named: a node id or an administrator's name. */
  subject: text('subject').notNull(),
  revokedAt: instant('revoked_at').notNull(),
  /** RFC 5280 reason name (keyCompromise, superseded, …). */
  reason: text('reason').notNull(),
  revokedBy: text('revoked_by').notNull(),
});
export type RevocationRow = InferSelectModel<typeof revocations>;
