// The public notice search and notice photos. Only cases that may be shown publicly are searched
// at all (PUBLISHABLE in intake.store.ts, checked again for every photo), and each answer carries
// only what a notice shows, under an opaque notice id. Searching by first name only: a public caller cannot probe for surnames,
// aliases or FIR numbers that no notice shows. Not audited: nothing non-public is read.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { noticePhotoRoute, searchNoticesRoute } from '@khoj/contracts';
import { ApiError } from '@khoj/platform';
import type { NodeEnv } from '../env.ts';
import type { NodeServices } from '../services.ts';
import { noticeIdsFor, noticePhoto, searchNotices } from './intake.store.ts';
import { toPublicNotice } from './notice.ts';

export function registerNoticeRoutes(app: OpenAPIHono<NodeEnv>, services: NodeServices): void {
  app.openapi(searchNoticesRoute, async (c) => {
    const query = c.req.valid('query');
    if (query.ageFrom !== undefined && query.ageTo !== undefined && query.ageFrom > query.ageTo)
      throw new ApiError('VALIDATION_FAILED', 'ageFrom: must not exceed ageTo');
    const notices = await services.db.transaction(async (tx) => {
      const rows = await searchNotices(tx, query);
      const ids = await noticeIdsFor(
        tx,
        rows.map((row) => row.caseId),
        services.clock(),
      );
      return rows.flatMap((row) => {
        const noticeId = ids.get(row.caseId);
        return noticeId ? [toPublicNotice(row, noticeId)] : [];
      });
    });
    return c.json({ notices }, 200);
  });

  app.openapi(noticePhotoRoute, async (c) => {
    const { noticeId } = c.req.valid('param');
    const photo = await noticePhoto(services.db, noticeId);
    // The same answer for "no such notice", "withdrawn" and "no photo": nothing to probe.
    if (!photo) throw new ApiError('NOT_FOUND', `no photo for notice ${noticeId}`);
    return c.body(Buffer.from(photo.bytes), 200, {
      'content-type': photo.mime,
      'x-content-type-options': 'nosniff',
      // A notice can be withdrawn at any moment (the child is found): no copies kept anywhere.
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; sandbox",
    });
  });
}
