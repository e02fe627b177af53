// A node's own cases: reports of missing and found children (a found child placed in a CCI is
// a child in care), their lifecycle, versions and progress. Changes take `If-Match: "<version>"`
// so that two officers cannot silently overwrite each other.
import { createRoute, z } from '@hono/zod-openapi';
import { PERMISSION_KEY } from './access-api.ts';
import { Age, CaseKind, Place, Sex } from './case-summary.ts';
import { ConsentScope } from './consent.ts';
import { errorResponses } from './errors.ts';
import { CaseId, EnvelopeId, NodeId } from './ids.ts';
import { calendarDate, jsonResponse, trimmedText } from './openapi-parts.ts';

/** The child as a report describes them; every field but sex and age may be unknown. */
export const ChildRecord = z
  .object({
    name: trimmedText(200).optional(),
    /** Other names, pet names ("Bappa", "Kanchhi"), spellings in other scripts. */
    aliases: z.array(trimmedText(200)).max(20).optional(),
    sex: Sex,
    dateOfBirth: calendarDate().optional(),
    age: Age,
    heightCm: z.number().min(30).max(220).optional(),
    build: z.enum(['slim', 'medium', 'heavy']).optional(),
    complexion: trimmedText(100).optional(),
    /** Free text in any language: "mole on left cheek", "বাঁ গালে তিল". */
    identifyingMarks: z.array(trimmedText(500)).max(20).optional(),
    languages: z
      .array(z.string().regex(/^[a-z]{2,3}$/))
      .max(10)
      .optional(),
  })
  .openapi('ChildRecord');
export type ChildRecord = z.infer<typeof ChildRecord>;

export const Guardian = z
  .object({
    name: trimmedText(200),
    relation: trimmedText(50),
    phones: z
      .array(z.string().regex(/^\+?[0-9 ()-]{5,20}$/))
      .max(5)
      .default([]),
  })
  .openapi('Guardian');

export const MissingDetails = z
  .object({
    firNumber: trimmedText(50).optional(),
    gdNumber: trimmedText(50).optional(),
    circumstances: trimmedText(2000).optional(),
    guardians: z.array(Guardian).max(10).default([]),
  })
  .openapi('MissingDetails');

export const FOUND_BY = ['police', 'cci', 'ahtu', 'railway_police', 'citizen'] as const;
export const FoundDetails = z
  .object({
    foundBy: z.enum(FOUND_BY),
    rescuedFromTrafficking: z.boolean().default(false),
    circumstances: trimmedText(2000).optional(),
    /** The CCI the child is placed in: the case is then a child in care. */
    placementUnitId: z
      .string()
      .regex(/^unit_[0-9a-z]+$/)
      .optional(),
  })
  .openapi('FoundDetails');

export const CASE_STATUSES = [
  'open',
  'under_review',
  'matched',
  'reunited',
  'transferred',
  'closed',
] as const;
export const CaseStatus = z.enum(CASE_STATUSES).openapi('CaseStatus');
export type CaseStatus = z.infer<typeof CaseStatus>;

/** The consent as an officer gives it; the node stamps grantedAt. */
export const ConsentInput = ConsentScope.omit({ grantedAt: true }).openapi('ConsentInput');

const ReportFields = z.object({
  child: ChildRecord,
  place: Place,
  /** Last seen (missing) or found (found), YYYY-MM-DD. */
  eventDate: calendarDate(),
  missing: MissingDetails.optional(),
  found: FoundDetails.optional(),
  /** May a public notice show this child (photo, first name, age, place, date)? */
  publicNotice: z.boolean().default(false),
  /** Sharing with other nodes; absent: the report stays at this node. */
  consent: ConsentInput.optional(),
});

function detailsMatchKind(
  report: { kind: 'missing' | 'found'; missing?: unknown; found?: unknown },
  ctx: z.RefinementCtx,
) {
  if (report.kind === 'missing' && (!report.missing || report.found)) {
    ctx.addIssue({
      code: 'custom',
      path: ['missing'],
      message: 'a missing report carries `missing` details (and no `found`)',
    });
  }
  if (report.kind === 'found' && (!report.found || report.missing)) {
    ctx.addIssue({
      code: 'custom',
      path: ['found'],
      message: 'a found report carries `found` details (and no `missing`)',
    });
  }
}

export const ReportInput = ReportFields.extend({ kind: CaseKind })
  .superRefine(detailsMatchKind)
  .openapi('ReportInput');
export type ReportInput = z.input<typeof ReportInput>;

/** A change to a report: the fields given replace the stored ones. */
export const ReportChange = ReportFields.partial()
  .extend({ reason: trimmedText(500).optional() })
  .refine((change) => Object.keys(change).some((key) => key !== 'reason'), 'nothing to change')
  .openapi('ReportChange');

export const Report = ReportFields.extend({
  caseId: CaseId,
  kind: CaseKind,
  status: CaseStatus,
  closedReason: z.string().nullable(),
  version: z.number().int(),
  ownerUnitId: z.string(),
  verification: z.enum(['verified', 'pending']),
  consent: ConsentScope.nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
}).openapi('Report');
export type Report = z.infer<typeof Report>;

export const Publication = z
  .object({ envelopeId: EnvelopeId, recipients: z.array(NodeId) })
  .openapi('Publication');
export const CreatedReport = z
  .object({ report: Report, publication: Publication.nullable() })
  .openapi('CreatedReport');
export type CreatedReport = z.infer<typeof CreatedReport>;

const IfMatch = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"\d+"$/)
    .optional()
    .openapi({ description: 'The version being changed, as "<n>"' }),
});
const CaseParams = z.object({ caseId: CaseId });

export const createReportRoute = createRoute({
  method: 'post',
  path: '/v1/reports',
  operationId: 'createReport',
  [PERMISSION_KEY]: 'case.create',
  summary: 'Register a missing or found child; publish it when its consent allows',
  request: { body: { required: true, content: { 'application/json': { schema: ReportInput } } } },
  responses: {
    201: jsonResponse(CreatedReport, 'Stored (and queued for the hub)'),
    ...errorResponses(400, 401, 403, 413),
  },
});

export const ReportListQuery = z.object({
  kind: CaseKind.optional(),
  status: CaseStatus.optional(),
  district: z.string().max(100).optional(),
  inCare: z.enum(['true', 'false']).optional(),
  /** One whole word of a name or alias, or an FIR/GD number (any script, case-insensitive). */
  q: z.string().trim().min(2).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** From the previous page's `next`. */
  cursor: z.string().max(100).optional(),
});

export const ReportPage = z
  .object({ reports: z.array(Report), next: z.string().nullable() })
  .openapi('ReportPage');

export const listReportsRoute = createRoute({
  method: 'get',
  path: '/v1/reports',
  operationId: 'listReports',
  [PERMISSION_KEY]: 'case.read',
  summary: 'Reports this user may see, newest first, filtered',
  request: { query: ReportListQuery },
  responses: { 200: jsonResponse(ReportPage, 'A page of reports'), ...errorResponses(400, 401, 403) },
});

export const getReportRoute = createRoute({
  method: 'get',
  path: '/v1/reports/{caseId}',
  operationId: 'getReport',
  [PERMISSION_KEY]: 'case.read',
  request: { params: CaseParams },
  responses: {
    200: jsonResponse(Report, 'The report; ETag is its version'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const updateReportRoute = createRoute({
  method: 'patch',
  path: '/v1/reports/{caseId}',
  operationId: 'updateReport',
  [PERMISSION_KEY]: 'case.update',
  request: {
    params: CaseParams,
    headers: IfMatch,
    body: { required: true, content: { 'application/json': { schema: ReportChange } } },
  },
  responses: {
    200: jsonResponse(CreatedReport, 'The new version (published again when shared)'),
    ...errorResponses(400, 401, 403, 404, 412, 428),
  },
});

export const TransitionRequest = z
  .object({ to: CaseStatus, reason: trimmedText(500).optional() })
  .openapi('TransitionRequest');

export const transitionReportRoute = createRoute({
  method: 'post',
  path: '/v1/reports/{caseId}/transitions',
  operationId: 'transitionReport',
  [PERMISSION_KEY]: 'case.transition',
  summary:
    'Move a case through its lifecycle (open → under review / matched → reunited / transferred / closed)',
  request: {
    params: CaseParams,
    headers: IfMatch,
    body: { required: true, content: { 'application/json': { schema: TransitionRequest } } },
  },
  responses: {
    200: jsonResponse(Report, 'The new version'),
    ...errorResponses(400, 401, 403, 404, 409, 412, 428),
  },
});

export const PROGRESS_TYPES = [
  'admission',
  'cwc_order',
  'care_plan',
  'education',
  'health',
  'counselling',
  'home_study',
  'restoration',
  'transfer',
  'repatriation',
  'follow_up',
] as const;

export const ProgressInput = z
  .object({ type: z.enum(PROGRESS_TYPES), date: calendarDate(), note: trimmedText(4000) })
  .openapi('ProgressInput');

export const ProgressEntry = ProgressInput.extend({
  id: z.string(),
  caseId: CaseId,
  authorId: z.string(),
  unitId: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
}).openapi('ProgressEntry');

export const addProgressRoute = createRoute({
  method: 'post',
  path: '/v1/reports/{caseId}/progress',
  operationId: 'addProgress',
  [PERMISSION_KEY]: 'case.progress',
  summary: 'A dated progress entry (care plan, CWC order, education, health, restoration …)',
  request: {
    params: CaseParams,
    body: { required: true, content: { 'application/json': { schema: ProgressInput } } },
  },
  responses: { 201: jsonResponse(ProgressEntry, 'Recorded'), ...errorResponses(400, 401, 403, 404) },
});

export const listProgressRoute = createRoute({
  method: 'get',
  path: '/v1/reports/{caseId}/progress',
  operationId: 'listProgress',
  [PERMISSION_KEY]: 'case.read',
  request: { params: CaseParams },
  responses: {
    200: jsonResponse(z.object({ entries: z.array(ProgressEntry) }).openapi('ProgressList'), 'Oldest first'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const ReportVersion = z
  .object({
    version: z.number().int(),
    change: z.enum(['create', 'update', 'transition']),
    changedBy: z.string(),
    changedAt: z.iso.datetime({ offset: true }),
    reason: z.string().nullable(),
    report: Report,
  })
  .openapi('ReportVersion');

export const listVersionsRoute = createRoute({
  method: 'get',
  path: '/v1/reports/{caseId}/versions',
  operationId: 'listReportVersions',
  [PERMISSION_KEY]: 'case.read',
  request: { params: CaseParams },
  responses: {
    200: jsonResponse(
      z.object({ versions: z.array(ReportVersion) }).openapi('ReportVersionList'),
      'Every version, oldest first',
    ),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const caseRoutes = [
  createReportRoute,
  listReportsRoute,
  getReportRoute,
  updateReportRoute,
  transitionReportRoute,
  addProgressRoute,
  listProgressRoute,
  listVersionsRoute,
] as const;
