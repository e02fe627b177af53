// Every TLS certificate the hub knows for a node: issued at enrolment or renewal, or read from
// a registration file. Several can be valid at once (the overlap of a renewal); the client
// certificate of each request is found here by its fingerprint.
import type { InferSelectModel } from 'drizzle-orm';
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';

export const nodeCertificates = pgTable(
  'node_certificates',
  {
    /** Lowercase hex without leading zeros, as the CRL lists it. */
    serialHex: text('serial_hex').primaryKey(),
    nodeId: text('node_id').notNull(),
    /** SHA-256 of the leaf's DER, lowercase hex. */
    fingerprint: text('fingerprint').notNull().unique(),
    /** Leaf followed by the issuing CA. */
    certificatePem: text('certificate_pem').notNull(),
    /** The CSR it was issued from, so an administrator can re-issue for the same key; null for files. */
    csrPem: text('csr_pem'),
    /** Serial of the issuing CA that signed it (whose CRL lists it when revoked). */
    issuerSerialHex: text('issuer_serial_hex'),
    source: text('source', { enum: ['enrolment', 'renewal', 'registration'] }).notNull(),
    notBefore: instant('not_before').notNull(),
    notAfter: instant('not_after').notNull(),
    issuedAt: instant('issued_at').notNull().defaultNow(),
  },
  (table) => [index('node_certificates_node').on(table.nodeId, table.notAfter)],
);
export type NodeCertificateRow = InferSelectModel<typeof nodeCertificates>;
