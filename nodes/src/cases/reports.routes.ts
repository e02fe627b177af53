// The report routes: register, list, read, change (If-Match), move through the lifecycle, and
// record progress. Every change and every read of a child's record is audited in the same
// transaction; a case outside the actor's jurisdiction reads as not found.
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  addProgressRoute,
  createReportRoute,
  getReportRoute,
  listProgressRoute,
  listReportsRoute,
  listVersionsRoute,
  type PROGRESS_TYPES,
  transitionReportRoute,
  updateReportRoute,
} from '@khoj/contracts';
import { ApiError, newId } from '@khoj/platform';
import type { Context } from 'hono';
import { type Action, type Actor, mayActOnCase, readFilter } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.store.ts';
import { type CaseRow, caseProgress, type NewCaseRow } from '../db/schema/index.ts';
import { findUnit } from '../directory/units.store.ts';
import type { NodeEnv } from '../env.ts';
import { publicationOf, publishCaseVersion } from '../exchange/publish.ts';
import type { NodeServices } from '../services.ts';
import { requireWithinPolicy } from '../sharing/policy.store.ts';
import { retractCase } from '../sharing/retract.ts';
import { caseAudit, caseFor as loadCase, readCase } from './case-access.ts';
import { checkTransition } from './lifecycle.ts';
import { caseScope, grantConsent, searchTermsFor, toReport, versionFromIfMatch } from './report.ts';
import {
  insertCase,
  listCases,
  listProgress,
  listVersions,
  recordVersion,
  updateCase,
} from './reports.store.ts';

export function registerReportRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  const audit = (c: Context<NodeEnv>, action: string, recordId: string, reason?: string | null) =>
    caseAudit(c, services, action, recordId, reason);

  const caseFor = (actor: Actor, caseId: string, action: Action) => loadCase(services, actor, caseId, action);

  /** A placement names an active CCI of this node. */
  async function requireCci(unitId: string): Promise<void> {
    const unit = await findUnit(services.db, unitId);
    if (!unit?.active || unit.type !== 'cci') {
      throw new ApiError(
        'UNIT_NOT_FOUND',
        `no active child care institution ${unitId} in this node's directory`,
      );
    }
  }

  function expectedVersion(c: Context<NodeEnv>): number {
    const header = c.req.header('if-match');
    if (!header)
      throw new ApiError(
        'PRECONDITION_REQUIRED',
        'send If-Match: "<version>" with the version you are changing',
      );
    const version = versionFromIfMatch(header);
    if (version === undefined) throw new ApiError('VALIDATION_FAILED', 'If-Match must be "<version>"');
    return version;
  }

  app.openapi(createReportRoute, async (c) => {
    const input = c.req.valid('json');
    const actor = c.get('actor');
    const now = services.clock();
    const placementUnitId =
      input.found?.placementUnitId ?? (actor.role === 'cci_staff' ? actor.unitId : undefined);
    if (input.found?.placementUnitId) await requireCci(input.found.placementUnitId);
    const row: NewCaseRow = {
      id: newId('case'),
      kind: input.kind,
      ownerUnitId: actor.unitId,
      placementUnitId: input.kind === 'found' ? (placementUnitId ?? null) : null,
      child: input.child,
      place: input.place,
      country: input.place.country,
      state: input.place.state ?? null,
      district: input.place.district ?? null,
      searchTerms: searchTermsFor(input.child, input.missing ?? null),
      eventDate: input.eventDate,
      missing: input.missing ?? null,
      found: input.found ? { ...input.found, ...(placementUnitId ? { placementUnitId } : {}) } : null,
      publicNotice: input.publicNotice,
      consent: grantConsent(input.consent, now),
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
    };
    // No consent: the report stays at this node (the policy's default is not applied silently).
    if (row.consent) {
      // Refused before anything is stored: the audit names the request, not a case.
      const requester = {
        ...audit(c, 'case.consent.refused', c.get('requestId')),
        recordType: 'report_input',
      };
      await requireWithinPolicy(services.db, row, row.consent, now, requester);
    }
    const { stored, envelope } = await services.db.transaction(async (tx) => {
      const stored = await insertCase(tx, row);
      await recordVersion(tx, stored, 'create', actor.userId, null);
      await appendAudit(tx, audit(c, 'case.create', stored.id));
      return { stored, envelope: await publishCaseVersion(tx, services, stored) };
    });
    if (envelope) services.relay.notify([envelope.id]);
    services.matching.notify([stored.id]);
    c.header('etag', `"${stored.version}"`);
    return c.json({ report: toReport(stored), publication: publicationOf(envelope) }, 201);
  });

  app.openapi(listReportsRoute, async (c) => {
    const query = c.req.valid('query');
    const actor = c.get('actor');
    const listed = await listCases(
      services.db,
      readFilter(actor),
      {
        kind: query.kind,
        status: query.status,
        district: query.district,
        inCare: query.inCare === undefined ? undefined : query.inCare === 'true',
        term: query.q,
        limit: query.limit + 1,
        after: decodeCursor(query.cursor),
      },
      actor.unitId,
    );
    const shown = listed.slice(0, query.limit);
    const last = shown.at(-1);
    // The query applies the read rules; each row is checked again by the rules of a single read,
    // so that no fault in a query (a word search matches districts on a copy) lists a case the
    // actor may not read.
    const page = shown.filter((row) => mayActOnCase(actor, 'case.read', caseScope(row)));
    await appendAudit(
      services.db,
      audit(
        c,
        'case.list',
        'query',
        `${page.length} shown; ${new URLSearchParams(c.req.query()).toString()}`,
      ),
    );
    return c.json(
      { reports: page.map(toReport), next: listed.length > query.limit && last ? encodeCursor(last) : null },
      200,
    );
  });

  app.openapi(getReportRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const row = await readCase(services, c.get('actor'), caseId, audit(c, 'case.read', caseId));
    c.header('etag', `"${row.version}"`);
    return c.json(toReport(row), 200);
  });

  app.openapi(updateReportRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { reason, ...change } = c.req.valid('json');
    const actor = c.get('actor');
    const version = expectedVersion(c);
    const current = await caseFor(actor, caseId, 'case.update');
    const child = change.child ?? current.child;
    const missing = change.missing ?? current.missing;
    const place = change.place ?? current.place;
    if (current.kind === 'missing' && change.found)
      throw new ApiError('VALIDATION_FAILED', 'a missing report has no `found` details');
    if (current.kind === 'found' && change.missing)
      throw new ApiError('VALIDATION_FAILED', 'a found report has no `missing` details');
    if (change.found?.placementUnitId) await requireCci(change.found.placementUnitId);
    // The column the access rules read follows the placement (a child moved to another CCI).
    const placement =
      change.found !== undefined
        ? { placementUnitId: change.found.placementUnitId ?? current.placementUnitId }
        : {};
    const now = services.clock();
    const consent = change.consent ? grantConsent(change.consent, now) : undefined;
    // Granting a first consent is part of reporting; changing one is narrowing, which says why.
    if (consent && current.consent && !reason)
      throw new ApiError('VALIDATION_FAILED', 'reason: changing a consent needs a reason');
    // A new consent, or the stored one when the report changes kind (found → rescued, in care).
    const governing = consent ?? (change.found !== undefined ? current.consent : null);
    if (governing) {
      const kind = {
        kind: current.kind,
        found: change.found ?? current.found,
        placementUnitId: placement.placementUnitId ?? current.placementUnitId,
      };
      await requireWithinPolicy(
        services.db,
        kind,
        governing,
        new Date(governing.grantedAt),
        audit(c, 'case.consent.refused', caseId),
      );
    }
    const { updated, envelope, retraction } = await services.db.transaction(async (tx) => {
      const updated = await updateCase(tx, caseId, version, {
        child,
        place,
        country: place.country,
        state: place.state ?? null,
        district: place.district ?? null,
        searchTerms: searchTermsFor(child, missing),
        eventDate: change.eventDate ?? current.eventDate,
        missing,
        found: change.found ?? current.found,
        ...placement,
        ...(change.publicNotice !== undefined ? { publicNotice: change.publicNotice } : {}),
        ...(consent ? { consent } : {}),
        updatedAt: now,
      });
      if (!updated) throw versionConflict(caseId, version, current.version);
      await recordVersion(tx, updated, 'update', actor.userId, reason ?? null);
      await appendAudit(tx, audit(c, 'case.update', caseId, reason));
      const envelope = await publishCaseVersion(tx, services, updated);
      // Nodes the new consent no longer names are told to delete what they hold.
      const retraction = consent
        ? await retractCase(
            tx,
            services,
            updated,
            'consent_withdrawn',
            actor.userId,
            envelope?.recipients ?? [],
          )
        : null;
      return { updated, envelope, retraction };
    });
    const written = [envelope, retraction].flatMap((sent) => (sent ? [sent.id] : []));
    if (written.length > 0) services.relay.notify(written);
    services.matching.notify([updated.id]);
    c.header('etag', `"${updated.version}"`);
    return c.json({ report: toReport(updated), publication: publicationOf(envelope) }, 200);
  });

  app.openapi(transitionReportRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const { to, reason } = c.req.valid('json');
    const actor = c.get('actor');
    const version = expectedVersion(c);
    const current = await caseFor(actor, caseId, 'case.transition');
    const check = checkTransition(current.status, to, reason);
    if (!check.ok) throw new ApiError(check.code, check.message);
    const { updated, retraction } = await services.db.transaction(async (tx) => {
      const updated = await updateCase(tx, caseId, version, {
        status: to,
        closedReason: to === 'closed' ? (reason ?? null) : null,
        updatedAt: services.clock(),
      });
      if (!updated) throw versionConflict(caseId, version, current.version);
      await recordVersion(tx, updated, 'transition', actor.userId, reason ?? null);
      await appendAudit(tx, audit(c, `case.transition.${current.status}.${to}`, caseId, reason));
      // A child reunited, or a case closed, is no longer looked for elsewhere.
      const retraction =
        to === 'reunited' || to === 'closed'
          ? await retractCase(tx, services, updated, to, actor.userId)
          : null;
      return { updated, retraction };
    });
    if (retraction) services.relay.notify([retraction.id]);
    services.matching.notify([updated.id]);
    c.header('etag', `"${updated.version}"`);
    return c.json(toReport(updated), 200);
  });

  app.openapi(addProgressRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const input = c.req.valid('json');
    const actor = c.get('actor');
    await caseFor(actor, caseId, 'case.progress');
    const entry = await services.db.transaction(async (tx) => {
      const [entry] = await tx
        .insert(caseProgress)
        .values({
          id: newId('prog'),
          caseId,
          ...input,
          authorId: actor.userId,
          unitId: actor.unitId,
          createdAt: services.clock(),
        })
        .returning();
      await appendAudit(tx, audit(c, `case.progress.${input.type}`, caseId));
      return entry;
    });
    if (!entry) throw new Error('insert returned no row');
    return c.json({ ...entry, type: input.type, createdAt: entry.createdAt.toISOString() }, 201);
  });

  app.openapi(listProgressRoute, async (c) => {
    const row = await caseFor(c.get('actor'), c.req.valid('param').caseId, 'case.read');
    const entries = await listProgress(services.db, row.id);
    await appendAudit(services.db, audit(c, 'case.progress.read', row.id));
    return c.json(
      {
        entries: entries.map((entry) => ({
          ...entry,
          type: entry.type as (typeof PROGRESS_TYPES)[number],
          createdAt: entry.createdAt.toISOString(),
        })),
      },
      200,
    );
  });

  app.openapi(listVersionsRoute, async (c) => {
    const row = await caseFor(c.get('actor'), c.req.valid('param').caseId, 'case.read');
    const versions = await listVersions(services.db, row.id);
    await appendAudit(services.db, audit(c, 'case.versions.read', row.id));
    return c.json(
      {
        versions: versions.map((version) => ({
          version: version.version,
          change: version.change,
          changedBy: version.changedBy,
          changedAt: version.changedAt.toISOString(),
          reason: version.reason,
          report: toReport(reviveSnapshot(version.snapshot)),
        })),
      },
      200,
    );
  });
}

function versionConflict(caseId: string, expected: number, seen: number): ApiError {
  return new ApiError(
    'VERSION_CONFLICT',
    `case ${caseId} changed since version ${expected} (it is now at ${Math.max(seen, expected + 1)}): reload it and apply your change again`,
  );
}

function reviveSnapshot(snapshot: Record<string, unknown>): CaseRow {
  return {
    ...(snapshot as CaseRow),
    createdAt: new Date(snapshot.createdAt as string),
    updatedAt: new Date(snapshot.updatedAt as string),
  };
}

function encodeCursor(row: CaseRow): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()))
    throw new ApiError('VALIDATION_FAILED', 'cursor: not one this node gave out');
  return { createdAt, id };
}
