// The sharing routes: the node's sharing policy (officers read it, administrators replace an entry
// with a reason, audited in the same transaction) and a report's consent (granted, narrowed or
// withdrawn by an officer who may change the report, with a reason, within the policy). A
// consent change publishes the summary under the new scope and retracts it from every node that
// held it and is no longer a recipient — all in the transaction of the change.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  getSharingPolicyRoute,
  putConsentRoute,
  putSharingRuleRoute,
  type SharingPolicyEntry,
} from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import { appendAudit } from '../audit/audit.store.ts';
import { caseAudit, caseFor } from '../cases/case-access.ts';
import { grantConsent, toReport, versionFromIfMatch } from '../cases/report.ts';
import { recordVersion, updateCase } from '../cases/reports.store.ts';
import type { SharingPolicyRow } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import { publicationOf, publishCaseVersion } from '../exchange/publish.ts';
import type { NodeServices } from '../services.ts';
import { listPolicy, putRule, requireWithinPolicy } from './policy.store.ts';
import { retractCase } from './retract.ts';

export function registerSharingRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  app.openapi(getSharingPolicyRoute, async (c) => {
    const entries = await listPolicy(services.db);
    return c.json({ nodeId: services.identity.nodeId, entries: entries.map(toEntry) }, 200);
  });

  app.openapi(putSharingRuleRoute, async (c) => {
    const { category } = c.req.valid('param');
    const { reason, ...rule } = c.req.valid('json');
    const actor = c.get('actor');
    const now = services.clock();
    const row = await services.db.transaction(async (tx) => {
      const row = await putRule(tx, category, rule, actor.userId, now);
      await appendAudit(tx, {
        actorId: actor.userId,
        unitId: actor.unitId,
        action: 'sharing.policy.update',
        recordType: 'sharing_policy',
        recordId: category,
        // The new rule with the reason: the audit chain then tells the policy's whole history.
        reason: `${reason} — ${JSON.stringify(rule)}`,
        requestId: c.get('requestId'),
        at: now,
      });
      return row;
    });
    return c.json(toEntry(row), 200);
  });

  app.openapi(putConsentRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { consent: input, reason } = c.req.valid('json');
    const actor = c.get('actor');
    const header = c.req.header('if-match');
    if (!header)
      throw new ApiError(
        'PRECONDITION_REQUIRED',
        'send If-Match: "<version>" with the version you are changing',
      );
    const version = versionFromIfMatch(header);
    if (version === undefined) throw new ApiError('VALIDATION_FAILED', 'If-Match must be "<version>"');
    const current = await caseFor(services, actor, caseId, 'case.update');
    const now = services.clock();
    const consent = input ? grantConsent(input, now) : null;
    if (consent)
      await requireWithinPolicy(
        services.db,
        current,
        consent,
        now,
        caseAudit(c, services, 'case.consent.refused', caseId),
      );
    const { updated, published, retracted } = await services.db.transaction(async (tx) => {
      const updated = await updateCase(tx, caseId, version, { consent, updatedAt: now });
      if (!updated)
        throw new ApiError(
          'VERSION_CONFLICT',
          `case ${caseId} changed since version ${version}: reload it and apply your change again`,
        );
      await recordVersion(tx, updated, 'update', actor.userId, reason);
      await appendAudit(
        tx,
        caseAudit(c, services, consent ? 'case.consent.update' : 'case.consent.withdraw', caseId, reason),
      );
      const published = await publishCaseVersion(tx, services, updated);
      const retracted = await retractCase(
        tx,
        services,
        updated,
        'consent_withdrawn',
        actor.userId,
        published?.recipients ?? [],
      );
      return { updated, published, retracted };
    });
    const written = [published, retracted].flatMap((envelope) => (envelope ? [envelope.id] : []));
    if (written.length > 0) services.relay.notify(written);
    services.matching.notify([updated.id]);
    c.header('etag', `"${updated.version}"`);
    return c.json(
      {
        report: toReport(updated),
        publication: publicationOf(published),
        retractedFrom: retracted?.recipients ?? [],
      },
      200,
    );
  });
}

function toEntry(row: SharingPolicyRow): SharingPolicyEntry {
  return {
    category: row.category,
    purposes: row.purposes,
    recipients: row.recipients,
    fields: row.fields,
    legalBasis: row.legalBasis,
    lifetimeDays: row.lifetimeDays,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}
