// Enrolment requests: what a node submitted with its invitation token, waiting for approval.
import type { PublicJwk } from '@khoj/contracts';
import type { InferSelectModel } from 'drizzle-orm';
import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { invitations } from './invitations.ts';

export const enrolments = pgTable(
  'enrolments',
  {
    id: text('id').primaryKey(),
    invitationId: text('invitation_id')
      .notNull()
      .unique()
      .references(() => invitations.id),
    nodeId: text('node_id').notNull(),
    displayName: text('display_name').notNull(),
    csrPem: text('csr_pem').notNull(),
    signingKey: jsonb('signing_key').$type<PublicJwk>().notNull(),
    encryptionKey: jsonb('encryption_key').$type<PublicJwk>().notNull(),
    /** SHA-256 of the CSR key's SubjectPublicKeyInfo: what administrators compare out of band. */
    tlsKeySha256: text('tls_key_sha256').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'denied'] })
      .notNull()
      .default('pending'),
    submittedAt: instant('submitted_at').notNull(),
    decidedAt: instant('decided_at'),
    decidedBy: text('decided_by'),
    reason: text('reason'),
    certificateSerial: text('certificate_serial'),
  },
  (table) => [index('enrolments_status').on(table.status, table.submittedAt)],
);
export type EnrolmentRow = InferSelectModel<typeof enrolments>;
