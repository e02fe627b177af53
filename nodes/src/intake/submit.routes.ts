// The public submissions: a missing child, or a child seen (with an optional photo). Each becomes
// a pending case of the police unit that will verify it, with the reporter's contact kept apart,
// all in one transaction with its audit entry. The citizen gets a reference number and learns
// nothing else — not even which unit it went to.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  MAX_INTAKE_PHOTO_BYTES,
  type PublicMissingReport,
  type PublicSighting,
  submitMissingReportRoute,
  submitSightingRoute,
} from '@khoj/contracts';
import { ApiError, newId } from '@khoj/platform';
import type { Context } from 'hono';
import { appendAudit } from '../audit/audit.store.ts';
import { insertCase, recordVersion } from '../cases/reports.store.ts';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { isPlausibleEventDate, missingReportCase, sightingCase, submissionRow } from './citizen-report.ts';
import { insertPhoto, insertSubmission, type NewCaseRow, verifyingUnitFor } from './intake.store.ts';
import { type InspectedPhoto, inspectPhoto } from './photo.ts';
import { newReference } from './reference.ts';

/** Who the audit log names for a citizen's change: there is no account behind it. */
export const CITIZEN_ACTOR = 'citizen';

export function registerSubmissionRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  type Submission =
    | { source: 'missing_report'; input: PublicMissingReport }
    | { source: 'sighting'; input: PublicSighting };

  async function submit(c: Context<NodeEnv>, submission: Submission, photo: InspectedPhoto | null) {
    const { input, source } = submission;
    const now = services.clock();
    const date = source === 'missing_report' ? submission.input.lastSeenOn : submission.input.seenOn;
    if (!isPlausibleEventDate(date, now)) {
      const field = source === 'missing_report' ? 'lastSeenOn' : 'seenOn';
      throw new ApiError('VALIDATION_FAILED', `${field}: a date in the future`);
    }
    const reference = await services.db.transaction(async (tx) => {
      const unit = await verifyingUnitFor(tx, input.place);
      if (!unit) {
        throw new ApiError(
          'INTAKE_UNAVAILABLE',
          'this node cannot take reports yet: no police station is registered to verify them. Call 1098 (Childline) or 112.',
        );
      }
      const common = {
        caseId: newId('case'),
        ownerUnitId: unit.id,
        reference: newReference(services.identity.nodeId),
        now,
      };
      const row: NewCaseRow =
        submission.source === 'missing_report'
          ? missingReportCase(submission.input, common)
          : sightingCase(submission.input, common);
      const stored = await insertCase(tx, row);
      await recordVersion(tx, stored, 'create', CITIZEN_ACTOR, `citizen report ${common.reference}`);
      await insertSubmission(tx, submissionRow(source, input, common));
      if (photo) {
        await insertPhoto(tx, {
          caseId: stored.id,
          mime: photo.mime,
          sizeBytes: photo.sizeBytes,
          sha256: photo.sha256,
          bytes: photo.bytes,
          declaredName: submission.source === 'sighting' ? (submission.input.photo?.fileName ?? null) : null,
          declaredType:
            submission.source === 'sighting' ? (submission.input.photo?.contentType ?? null) : null,
          createdAt: now,
        });
      }
      await appendAudit(tx, {
        actorId: CITIZEN_ACTOR,
        unitId: unit.id,
        action: `intake.submit.${source}`,
        recordType: 'case',
        recordId: stored.id,
        reason: common.reference,
        requestId: c.get('requestId'),
        at: now,
      });
      // No publication: a pending case is never published (publishCaseVersion refuses it too).
      return common.reference;
    });
    return c.json({ reference }, 202);
  }

  app.openapi(submitMissingReportRoute, (c) =>
    submit(c, { source: 'missing_report', input: c.req.valid('json') }, null),
  );

  app.openapi(submitSightingRoute, (c) => {
    const input = c.req.valid('json');
    let photo: InspectedPhoto | null = null;
    if (input.photo) {
      const check = inspectPhoto(input.photo.data, MAX_INTAKE_PHOTO_BYTES);
      if (!check.ok) throw new ApiError(check.code, check.message);
      photo = check.photo;
    }
    return submit(c, { source: 'sighting', input }, photo);
  });
}
