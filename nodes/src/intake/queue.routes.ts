// The verification queue: police see the citizen reports their unit must check, look at a
// sighting's photo, and accept (the case becomes verified, and is published if an officer has
// since given it a sharing consent) or reject (the case is closed with the reason). A report of
// another unit reads as not found when the officer may not read it at all, and is forbidden
// when they may read but not verify it — as for the other case routes.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { acceptIntakeRoute, intakePhotoRoute, intakeQueueRoute, rejectIntakeRoute } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import type { Context } from 'hono';
import { type Actor, mayActOnCase, reachOf } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.store.ts';
import { caseAudit } from '../cases/case-access.ts';
import { checkTransition } from '../cases/lifecycle.ts';
import { caseScope, toReport, versionFromIfMatch } from '../cases/report.ts';
import { findCase, recordVersion, updateCase } from '../cases/reports.store.ts';
import type { CaseRow, IntakeSubmissionRow } from '../db/schema/index.ts';
import type { NodeEnv } from '../env.ts';
import { publicationOf, publishCaseVersion } from '../exchange/publish.ts';
import type { NodeServices } from '../services.ts';
import { decideSubmission, findPhoto, findSubmission, listQueue, type QueueScope } from './intake.store.ts';

export function registerQueueRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  const audit = (c: Context<NodeEnv>, action: string, recordId: string, reason?: string | null) =>
    caseAudit(c, services, action, recordId, reason);

  /** The citizen report behind `caseId`, if the actor may see it (404) and verify it (403). */
  async function reportFor(actor: Actor, caseId: string) {
    const row = await findCase(services.db, caseId);
    const submission = row ? await findSubmission(services.db, caseId) : undefined;
    if (!row || !submission || !mayActOnCase(actor, 'case.read', caseScope(row)))
      throw new ApiError('CASE_NOT_FOUND', `no citizen report for case ${caseId}`);
    if (!mayActOnCase(actor, 'intake.verify', caseScope(row)))
      throw new ApiError('FORBIDDEN', `you may not verify case ${caseId}`);
    return { row, submission };
  }

  /** A report still to be decided, at the version the officer saw. */
  async function undecided(c: Context<NodeEnv>, caseId: string) {
    const header = c.req.header('if-match');
    if (!header)
      throw new ApiError('PRECONDITION_REQUIRED', 'send If-Match: "<version>" with the version you checked');
    const version = versionFromIfMatch(header);
    if (version === undefined) throw new ApiError('VALIDATION_FAILED', 'If-Match must be "<version>"');
    const found = await reportFor(c.get('actor'), caseId);
    if (found.submission.decision !== 'pending' || found.row.status === 'closed')
      throw alreadyDecided(found.submission, found.row);
    return { ...found, version };
  }

  app.openapi(intakeQueueRoute, async (c) => {
    const actor = c.get('actor');
    const { limit } = c.req.valid('query');
    const entries = await listQueue(services.db, queueScope(actor), limit);
    await appendAudit(services.db, audit(c, 'intake.queue.read', 'query', `${entries.length} shown`));
    return c.json(
      {
        items: entries.map(({ submission, case: row, photo }) => ({
          caseId: row.id,
          reference: submission.reference,
          source: submission.source,
          submittedAt: submission.submittedAt.toISOString(),
          reporter: {
            name: submission.reporterName,
            phone: submission.reporterPhone,
            relation: submission.reporterRelation,
          },
          description: submission.description,
          location:
            submission.lat !== null && submission.lon !== null
              ? { lat: submission.lat, lon: submission.lon }
              : null,
          photo,
          report: toReport(row),
        })),
      },
      200,
    );
  });

  app.openapi(acceptIntakeRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { note } = c.req.valid('json');
    const actor = c.get('actor');
    const { row, version } = await undecided(c, caseId);
    const now = services.clock();
    const { updated, envelope } = await services.db.transaction(async (tx) => {
      const updated = await updateCase(tx, caseId, version, { verification: 'verified', updatedAt: now });
      if (!updated) throw versionConflict(caseId, version, row.version);
      if (
        !(await decideSubmission(tx, caseId, {
          decision: 'accepted',
          by: actor.userId,
          at: now,
          reason: note ?? null,
        }))
      )
        throw new ApiError(
          'TRANSITION_NOT_ALLOWED',
          `the citizen report for case ${caseId} was decided meanwhile`,
        );
      await recordVersion(tx, updated, 'update', actor.userId, note ?? 'citizen report verified');
      await appendAudit(tx, audit(c, 'intake.accept', caseId, note));
      return { updated, envelope: await publishCaseVersion(tx, services, updated) };
    });
    if (envelope) services.relay.notify([envelope.id]);
    services.matching.notify([updated.id]);
    c.header('etag', `"${updated.version}"`);
    return c.json({ report: toReport(updated), publication: publicationOf(envelope) }, 200);
  });

  app.openapi(rejectIntakeRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const actor = c.get('actor');
    const { row, version } = await undecided(c, caseId);
    const check = checkTransition(row.status, 'closed', reason);
    if (!check.ok) throw new ApiError(check.code, check.message);
    const now = services.clock();
    const updated = await services.db.transaction(async (tx) => {
      const updated = await updateCase(tx, caseId, version, {
        status: 'closed',
        closedReason: reason,
        updatedAt: now,
      });
      if (!updated) throw versionConflict(caseId, version, row.version);
      if (!(await decideSubmission(tx, caseId, { decision: 'rejected', by: actor.userId, at: now, reason })))
        throw new ApiError(
          'TRANSITION_NOT_ALLOWED',
          `the citizen report for case ${caseId} was decided meanwhile`,
        );
      await recordVersion(tx, updated, 'transition', actor.userId, reason);
      await appendAudit(tx, audit(c, 'intake.reject', caseId, reason));
      return updated;
    });
    c.header('etag', `"${updated.version}"`);
    return c.json(toReport(updated), 200);
  });

  app.openapi(intakePhotoRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    await reportFor(c.get('actor'), caseId);
    const photo = await findPhoto(services.db, caseId);
    if (!photo) throw new ApiError('NOT_FOUND', `the citizen report for case ${caseId} has no photo`);
    await appendAudit(services.db, audit(c, 'intake.photo.read', caseId));
    return c.body(Buffer.from(photo.bytes), 200, {
      'content-type': photo.mime,
      'content-length': String(photo.sizeBytes),
      // Served as what its bytes are, never re-interpreted by a browser, never cached.
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
    });
  });
}

/** The cases the actor's reach for `intake.verify` covers (police: their own unit's). */
function queueScope(actor: Actor): QueueScope {
  const { country, state, district } = actor.unit;
  const reach = reachOf(actor, 'intake.verify');
  if (reach === 'node') return { all: true };
  if (reach === 'state' && state) return { country, state };
  if (reach === 'district' && state && district) return { country, state, district };
  // Anything narrower or incomplete: the actor's own unit, never more.
  return { unitId: actor.unitId };
}

function alreadyDecided(submission: IntakeSubmissionRow, row: CaseRow): ApiError {
  const what = submission.decision === 'pending' ? 'closed' : submission.decision;
  return new ApiError('TRANSITION_NOT_ALLOWED', `the citizen report for case ${row.id} is already ${what}`);
}

function versionConflict(caseId: string, expected: number, seen: number): ApiError {
  return new ApiError(
    'VERSION_CONFLICT',
    `case ${caseId} changed since version ${expected} (it is now at ${Math.max(seen, expected + 1)}): reload it and decide again`,
  );
}
