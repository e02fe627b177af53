// The photo routes: attach a photo to a case, list a case's photos, fetch one. Jurisdiction is the
// case's: outside the actor's read reach the case does not exist (404); readable but not theirs
// to change is 403. Adding a photo and fetching its bytes are audited; listing shows only
// hashes, sizes and types (no personal data), so it is not.
import { createHash } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  addPhotoRoute,
  type CasePhoto,
  type ErrorCode,
  getPhotoRoute,
  listPhotosRoute,
  MAX_PHOTO_BYTES,
  PHOTO_UPLOAD_TYPES,
} from '@khoj/contracts';
import { ApiError, errorResponse, newId } from '@khoj/platform';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Action, Actor } from '../access/permissions.ts';
import { appendAudit } from '../audit/audit.store.ts';
import { caseAudit, caseFor as loadCase } from '../cases/case-access.ts';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { detectImageType } from './image-type.ts';
import { findPhoto, findPhotoByHash, insertPhoto, listPhotos, type PhotoMetadata } from './photos.store.ts';

/**
 * The code for content that is not an accepted image. A 415 UNSUPPORTED_MEDIA_TYPE would say it
 * better; contracts/src/errors.ts has none yet, so it is a 400 with a message that says what the
 * bytes were.
 */
const NOT_AN_ACCEPTED_IMAGE: ErrorCode = 'VALIDATION_FAILED';
const ACCEPTED = 'a JPEG, PNG or WebP image';

export function registerPhotoRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  const audit = (c: Context<NodeEnv>, action: string, caseId: string, reason: string) =>
    caseAudit(c, services, action, caseId, reason);

  const caseFor = (actor: Actor, caseId: string, action: Action) => loadCase(services, actor, caseId, action);

  // The photo limit, whatever the app-wide limit is (it may be raised for larger bodies elsewhere):
  // counted while the body streams in, so a larger one is never held in memory.
  app.use(
    addPhotoRoute.path.replace(/\{(\w+)\}/g, ':$1'),
    bodyLimit({
      maxSize: MAX_PHOTO_BYTES,
      onError: (c) =>
        errorResponse(c, 'PAYLOAD_TOO_LARGE', `a photo may have at most ${MAX_PHOTO_BYTES} bytes`),
    }),
  );

  app.openapi(addPhotoRoute, async (c) => {
    const { caseId } = c.req.valid('param');
    const actor = c.get('actor');
    await caseFor(actor, caseId, 'case.update');
    const declared = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!(PHOTO_UPLOAD_TYPES as readonly string[]).includes(declared)) {
      throw new ApiError(
        NOT_AN_ACCEPTED_IMAGE,
        `send the photo's bytes as the request body with Content-Type ${PHOTO_UPLOAD_TYPES.join(', ')} (not ${declared || 'none'})`,
      );
    }
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length === 0) throw new ApiError('VALIDATION_FAILED', 'the request body is empty');
    const type = detectImageType(bytes);
    if (!type.ok) {
      throw new ApiError(
        NOT_AN_ACCEPTED_IMAGE,
        `the content is ${type.kind ?? 'not an image we recognise'} (sent as ${declared}); send ${ACCEPTED}`,
      );
    }

    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const row = {
      id: newId('photo'),
      caseId,
      sha256,
      mime: type.mime,
      sizeBytes: bytes.length,
      bytes,
      createdBy: actor.userId,
      createdAt: services.clock(),
    };
    const { photo, created } = await services.db.transaction(async (tx) => {
      const inserted = await insertPhoto(tx, row);
      if (!inserted) {
        const existing = await findPhotoByHash(tx, caseId, sha256);
        if (!existing) throw new Error(`photo ${sha256} of ${caseId} conflicted but is not there`);
        return { photo: existing, created: false };
      }
      await appendAudit(
        tx,
        audit(c, 'case.photo.add', caseId, `${inserted.id} ${inserted.mime} ${inserted.sizeBytes} bytes`),
      );
      return { photo: inserted, created: true };
    });
    return created ? c.json(toCasePhoto(photo), 201) : c.json(toCasePhoto(photo), 200);
  });

  app.openapi(listPhotosRoute, async (c) => {
    const row = await caseFor(c.get('actor'), c.req.valid('param').caseId, 'case.read');
    const photos = await listPhotos(services.db, row.id);
    return c.json({ photos: photos.map(toCasePhoto) }, 200);
  });

  app.openapi(getPhotoRoute, async (c) => {
    const { caseId, photoId } = c.req.valid('param');
    const row = await caseFor(c.get('actor'), caseId, 'case.read');
    const photo = await findPhoto(services.db, row.id, photoId);
    if (!photo) throw new ApiError('NOT_FOUND', `case ${caseId} has no photo ${photoId}`);
    await appendAudit(services.db, audit(c, 'case.photo.read', caseId, photoId));
    return c.body(photo.bytes as Uint8Array<ArrayBuffer>, 200, {
      'content-type': photo.mime,
      'content-length': String(photo.sizeBytes),
      etag: `"${photo.sha256}"`,
      // A child's photo: not kept by shared caches or the browser, never sniffed as anything else,
      // and inert if opened directly.
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });
  });
}

function toCasePhoto(photo: PhotoMetadata): CasePhoto {
  return {
    photoId: photo.id,
    caseId: photo.caseId,
    mime: photo.mime,
    sizeBytes: photo.sizeBytes,
    sha256: photo.sha256,
    createdBy: photo.createdBy,
    createdAt: photo.createdAt.toISOString(),
  };
}
