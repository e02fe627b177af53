// Citizen intake and public notices. Anyone may report a missing child or a sighting and search
// the notices a node publishes; citizen reports wait in the local police unit's verification
// queue and are neither published nor treated as verified until an officer accepts them. The
// public answers say as little as possible: a reference number for a report, and for a notice
// only what a printed notice would show.
import { createRoute, z } from '@hono/zod-openapi';
import { PERMISSION_KEY } from './access-api.ts';
import { CaseKind, Sex } from './case-summary.ts';
import { ChildRecord, CreatedReport, Report } from './cases-api.ts';
import { errorResponses } from './errors.ts';
import { CaseId } from './ids.ts';
import { calendarDate, jsonResponse, trimmedText } from './openapi-parts.ts';

const Binary = z.string().openapi({ format: 'binary' });
const photoResponse = {
  description: 'The photo, with the type its bytes have',
  content: {
    'image/jpeg': { schema: Binary },
    'image/png': { schema: Binary },
    'image/webp': { schema: Binary },
  },
};
/** Opaque and stable; not the case id. */
const NoticeId = z.string().regex(/^notice_[0-9a-z]{10,40}$/);

/** Largest sighting photo, decoded bytes (2 MiB). */
export const MAX_INTAKE_PHOTO_BYTES = 2 * 1024 * 1024;

/** Who reported, so that the police can call back. Never shown publicly. */
export const CitizenContact = z
  .object({
    name: trimmedText(200),
    phone: z.string().regex(/^\+?[0-9 ()-]{5,20}$/, 'a phone number such as +91 90000 00000'),
    /** The reporter's relation to the child ("mother", "neighbour"), if any. */
    relation: trimmedText(50).optional(),
  })
  .openapi('CitizenContact');

export const GeoPoint = z
  .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) })
  .openapi('GeoPoint');

/** Where: the district decides which police unit verifies the report. */
export const CitizenPlace = z
  .object({
    country: z.string().regex(/^[A-Z]{2}$/),
    state: trimmedText(100).optional(),
    district: trimmedText(100),
    /** "Ranaghat railway station, platform 2". */
    description: trimmedText(500).optional(),
    location: GeoPoint.optional(),
  })
  .openapi('CitizenPlace');

export const PublicMissingReportInput = z
  .object({
    reporter: CitizenContact,
    child: ChildRecord,
    place: CitizenPlace,
    /** YYYY-MM-DD, not in the future. */
    lastSeenOn: calendarDate(),
    /** What happened, what the child wore, anything that helps. */
    description: trimmedText(4000).optional(),
  })
  .openapi('PublicMissingReportInput');
export type PublicMissingReportInput = z.input<typeof PublicMissingReportInput>;
export type PublicMissingReport = z.output<typeof PublicMissingReportInput>;

/**
 * A photo as base64. Its kind is read from its bytes (JPEG, PNG or WebP); the declared file name
 * and type are kept only as the reporter's words and never trusted.
 */
export const SightingPhoto = z
  .object({
    /** Base64 (no line breaks) of at most 2 MiB; a larger photo is refused with 413. */
    data: z.string().regex(/^[A-Za-z0-9+/]{4,}={0,2}$/, 'base64 without line breaks'),
    fileName: z.string().max(200).optional(),
    contentType: z.string().max(100).optional(),
  })
  .openapi('SightingPhoto');

export const PublicSightingInput = z
  .object({
    reporter: CitizenContact.omit({ relation: true }),
    child: ChildRecord.omit({ dateOfBirth: true }),
    place: CitizenPlace,
    /** YYYY-MM-DD, not in the future. */
    seenOn: calendarDate(),
    description: trimmedText(4000).optional(),
    photo: SightingPhoto.optional(),
  })
  .openapi('PublicSightingInput');
export type PublicSightingInput = z.input<typeof PublicSightingInput>;
export type PublicSighting = z.output<typeof PublicSightingInput>;

/** All a citizen learns about the case made from their report: what to quote when calling. */
export const CitizenReceipt = z
  .object({ reference: z.string().openapi({ example: 'IN-WB-7K3M-9QXA' }) })
  .openapi('CitizenReceipt');

export const submitMissingReportRoute = createRoute({
  method: 'post',
  path: '/v1/public/reports/missing',
  operationId: 'submitPublicMissingReport',
  [PERMISSION_KEY]: 'public',
  summary: 'A citizen reports a missing child; the local police verify it before anything else',
  request: {
    body: { required: true, content: { 'application/json': { schema: PublicMissingReportInput } } },
  },
  responses: {
    202: jsonResponse(CitizenReceipt, 'Received for verification'),
    ...errorResponses(400, 413, 429, 503),
  },
});

export const submitSightingRoute = createRoute({
  method: 'post',
  path: '/v1/public/sightings',
  operationId: 'submitPublicSighting',
  [PERMISSION_KEY]: 'public',
  summary: 'A citizen reports a child seen alone or in distress, with an optional photo',
  request: { body: { required: true, content: { 'application/json': { schema: PublicSightingInput } } } },
  responses: {
    202: jsonResponse(CitizenReceipt, 'Received for verification'),
    ...errorResponses(400, 413, 429, 503),
  },
});

// ---- the verification queue (police) ----
export const IntakeItem = z
  .object({
    caseId: CaseId,
    reference: z.string(),
    source: z.enum(['missing_report', 'sighting']),
    submittedAt: z.iso.datetime({ offset: true }),
    reporter: z.object({ name: z.string(), phone: z.string(), relation: z.string().nullable() }),
    description: z.string().nullable(),
    location: GeoPoint.nullable(),
    photo: z
      .object({ mime: z.string(), sizeBytes: z.number().int(), sha256: z.string() })
      .nullable()
      .openapi({ description: 'Fetch it from /v1/intake/{caseId}/photo' }),
    report: Report,
  })
  .openapi('IntakeItem');

const CaseParams = z.object({ caseId: CaseId });
const IfMatch = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"\d+"$/)
    .optional()
    .openapi({ description: 'The version being decided on, as "<n>"' }),
});

export const intakeQueueRoute = createRoute({
  method: 'get',
  path: '/v1/intake/queue',
  operationId: 'listIntakeQueue',
  [PERMISSION_KEY]: 'intake.verify',
  summary: "Citizen reports awaiting the officer's unit, oldest first",
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
  responses: {
    200: jsonResponse(z.object({ items: z.array(IntakeItem) }).openapi('IntakeQueue'), 'Pending reports'),
    ...errorResponses(400, 401, 403),
  },
});

export const AcceptIntakeRequest = z
  .object({ note: trimmedText(500).optional() })
  .openapi('AcceptIntakeRequest');

export const acceptIntakeRoute = createRoute({
  method: 'post',
  path: '/v1/intake/{caseId}/accept',
  operationId: 'acceptIntake',
  [PERMISSION_KEY]: 'intake.verify',
  summary: 'The report checks out: the case becomes verified (and is published if its consent allows)',
  request: {
    params: CaseParams,
    headers: IfMatch,
    body: { required: false, content: { 'application/json': { schema: AcceptIntakeRequest } } },
  },
  responses: {
    200: jsonResponse(CreatedReport, 'The verified version'),
    ...errorResponses(400, 401, 403, 404, 409, 412, 428),
  },
});

export const RejectIntakeRequest = z.object({ reason: trimmedText(500) }).openapi('RejectIntakeRequest');

export const rejectIntakeRoute = createRoute({
  method: 'post',
  path: '/v1/intake/{caseId}/reject',
  operationId: 'rejectIntake',
  [PERMISSION_KEY]: 'intake.verify',
  summary: 'The report is false, a duplicate or unworkable: the case is closed with the reason',
  request: {
    params: CaseParams,
    headers: IfMatch,
    body: { required: true, content: { 'application/json': { schema: RejectIntakeRequest } } },
  },
  responses: {
    200: jsonResponse(Report, 'The closed version'),
    ...errorResponses(400, 401, 403, 404, 409, 412, 428),
  },
});

export const intakePhotoRoute = createRoute({
  method: 'get',
  path: '/v1/intake/{caseId}/photo',
  operationId: 'getIntakePhoto',
  [PERMISSION_KEY]: 'intake.verify',
  summary: "The sighting's photo, for the verifying officer only (never public)",
  request: { params: CaseParams },
  responses: {
    200: photoResponse,
    ...errorResponses(400, 401, 403, 404),
  },
});

// ---- public notices ----
export const PublicNoticeQuery = z.object({
  /** The start of the first name, as the notice shows it. */
  q: z.string().trim().min(1).max(50).optional(),
  kind: CaseKind.optional(),
  district: z.string().trim().min(1).max(100).optional(),
  sex: Sex.optional(),
  ageFrom: z.coerce.number().int().min(0).max(25).optional(),
  ageTo: z.coerce.number().int().min(0).max(25).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** Exactly what a published notice shows; nothing here leads back to the case record. */
export const PublicNotice = z
  .object({
    noticeId: NoticeId,
    kind: CaseKind,
    firstName: z.string().nullable(),
    /** Whole years, or an estimate such as "about 10–13". */
    age: z.union([z.number().int(), z.string()]),
    sex: Sex,
    place: z.object({ district: z.string().nullable(), state: z.string().nullable(), country: z.string() }),
    /** Last seen (missing) or found (found), YYYY-MM-DD. */
    date: z.iso.date(),
    contact: z.object({ unit: z.string(), phone: z.string().nullable() }),
    /** The case's most recent photo, when it has one (never a citizen's sighting photo). */
    photoUrl: z.string().nullable().openapi({ example: '/v1/public/notices/notice_3x9…/photo' }),
  })
  .openapi('PublicNotice');
export type PublicNotice = z.infer<typeof PublicNotice>;

export const searchNoticesRoute = createRoute({
  method: 'get',
  path: '/v1/public/notices',
  operationId: 'searchPublicNotices',
  [PERMISSION_KEY]: 'public',
  summary: 'Search the public notices of missing and found children, most recent first',
  request: { query: PublicNoticeQuery },
  responses: {
    200: jsonResponse(z.object({ notices: z.array(PublicNotice) }).openapi('PublicNoticeList'), 'Notices'),
    ...errorResponses(400, 429),
  },
});

export const noticePhotoRoute = createRoute({
  method: 'get',
  path: '/v1/public/notices/{noticeId}/photo',
  operationId: 'getPublicNoticePhoto',
  [PERMISSION_KEY]: 'public',
  summary: 'The photo a notice shows, while the notice is published',
  request: { params: z.object({ noticeId: NoticeId }) },
  responses: {
    200: photoResponse,
    ...errorResponses(400, 404, 429),
  },
});

export const intakeRoutes = [
  submitMissingReportRoute,
  submitSightingRoute,
  intakeQueueRoute,
  acceptIntakeRoute,
  rejectIntakeRoute,
  intakePhotoRoute,
  searchNoticesRoute,
  noticePhotoRoute,
] as const;
