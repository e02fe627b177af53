// Publishing a case version: when its consent allows sharing and it is verified, the summary is
// sealed for the member nodes its consent names and written to the outbox — inside the caller's
// transaction, so that the case change and its envelope commit or fail together. Recipients the
// federation policy excludes (recipient-policy.ts) are left out and audited, so that the hub does
// not refuse the envelope for all the others too.
import type { Envelope } from '@khoj/contracts';
import { currentTraceparent } from '@khoj/platform';
import { appendAudit } from '../audit/audit.store.ts';
import { toSummary } from '../cases/report.ts';
import type { CaseRow } from '../db/schema/index.ts';
import type { NodeServices } from '../services.ts';
import { consentExpired } from '../sharing/policy.ts';
import { enqueueEnvelope } from './outbox.store.ts';
import { applyRecipientPolicy } from './recipient-policy.ts';
import { sealCaseSummary } from './seal.ts';

type Executor = Parameters<typeof enqueueEnvelope>[0] &
  NonNullable<Parameters<NodeServices['directory']['resolveRecipients']>[2]> &
  Parameters<typeof appendAudit>[0];

export async function publishCaseVersion(
  tx: Executor,
  services: NodeServices,
  row: CaseRow,
): Promise<Envelope | null> {
  if (!row.consent || row.verification !== 'verified') return null;
  // A case reunited or closed has been retracted, and an expired scope allows no new summary.
  if (row.status === 'reunited' || row.status === 'closed') return null;
  if (consentExpired(row.consent, services.clock())) return null;
  // Read through the transaction: on PGlite a second query outside it would wait forever.
  const named = await services.directory.resolveRecipients(
    row.consent.recipients,
    services.identity.nodeId,
    tx,
  );
  const policies = await services.directory.policies(tx);
  const { allowed: recipients, excluded } = policies
    ? applyRecipientPolicy(policies, services.identity.nodeId, 'case.summary', row.consent.purposes, named)
    : { allowed: named, excluded: [] };
  for (const { code, message } of excluded) {
    await appendAudit(tx, {
      actorId: 'system:federation-policy',
      action: 'envelope.recipient_excluded',
      recordType: 'case',
      recordId: row.id,
      reason: `${code}: ${message} (case.summary v${row.version})`,
      at: services.clock(),
    });
  }
  if (recipients.length === 0) return null;
  const envelope = await sealCaseSummary({
    summary: toSummary(row, services.identity.nodeId),
    scope: row.consent,
    recipients,
    signingKey: services.keys.signing,
    now: services.clock(),
  });
  await enqueueEnvelope(tx, envelope, row.id, currentTraceparent());
  return envelope;
}

export function publicationOf(envelope: Envelope | null) {
  return envelope ? { envelopeId: envelope.id, recipients: envelope.recipients } : null;
}
