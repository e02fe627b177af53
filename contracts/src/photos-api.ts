// Photos of a case's child. Uploaded as the raw image bytes (not base64 in JSON: a 2 MiB photo
// stays 2 MiB on the wire, and the body limit is the photo limit). The declared Content-Type is
// only a hint: the stored type is what the bytes are (JPEG, PNG or WebP by their signatures), so
// a PNG saved as "photo.jpg" is kept as image/png and a text file sent as image/jpeg is refused.
import { createRoute, z } from '@hono/zod-openapi';
import { PERMISSION_KEY } from './access-api.ts';
import { errorResponses } from './errors.ts';
import { CaseId } from './ids.ts';
import { jsonResponse } from './openapi-parts.ts';

/** Largest photo, in bytes (2 MiB). */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];
/** What an upload may declare: one of the image types, or "I don't know" (octet-stream). */
export const PHOTO_UPLOAD_TYPES = [...PHOTO_TYPES, 'application/octet-stream'] as const;

export const PhotoId = z
  .string()
  .regex(/^photo_[0-9a-z]{20,40}$/)
  .openapi({ example: 'photo_01jq3v7w8x9y0z1a2b3c4d5e6f' });

export const CasePhoto = z
  .object({
    photoId: PhotoId,
    caseId: CaseId,
    mime: z.enum(PHOTO_TYPES),
    sizeBytes: z.number().int().min(1).max(MAX_PHOTO_BYTES),
    /** Hex SHA-256 of the bytes: the same image on the same case is stored once. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdBy: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .openapi('CasePhoto');
export type CasePhoto = z.infer<typeof CasePhoto>;

const Binary = z.string().openapi({ format: 'binary' });
const imageContent = <T extends readonly string[]>(types: T) =>
  Object.fromEntries(types.map((type) => [type, { schema: Binary }])) as Record<
    T[number],
    { schema: typeof Binary }
  >;
const CaseParams = z.object({ caseId: CaseId });

export const addPhotoRoute = createRoute({
  method: 'post',
  path: '/v1/reports/{caseId}/photos',
  operationId: 'addCasePhoto',
  [PERMISSION_KEY]: 'case.update',
  summary: 'Attach a photo (JPEG, PNG or WebP, at most 2 MiB) to a case; the same image twice is kept once',
  request: {
    params: CaseParams,
    body: { required: true, content: imageContent(PHOTO_UPLOAD_TYPES) },
  },
  responses: {
    201: jsonResponse(CasePhoto, 'Stored'),
    200: jsonResponse(CasePhoto, 'This image was already on the case: the stored photo'),
    ...errorResponses(400, 401, 403, 404, 413),
  },
});

export const listPhotosRoute = createRoute({
  method: 'get',
  path: '/v1/reports/{caseId}/photos',
  operationId: 'listCasePhotos',
  [PERMISSION_KEY]: 'case.read',
  request: { params: CaseParams },
  responses: {
    200: jsonResponse(z.object({ photos: z.array(CasePhoto) }).openapi('CasePhotoList'), 'Oldest first'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const getPhotoRoute = createRoute({
  method: 'get',
  path: '/v1/reports/{caseId}/photos/{photoId}',
  operationId: 'getCasePhoto',
  [PERMISSION_KEY]: 'case.read',
  summary: 'The photo itself, with the type its bytes have; ETag is its SHA-256',
  request: { params: CaseParams.extend({ photoId: PhotoId }) },
  responses: {
    200: { description: 'The image', content: imageContent(PHOTO_TYPES) },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const photoRoutes = [addPhotoRoute, listPhotosRoute, getPhotoRoute] as const;
