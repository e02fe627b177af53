// Queries over case photos. Lists never select the bytes: only the one-photo read does.
import type { Database } from '@khoj/platform';
import { and, asc, eq } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { type CasePhotoRow, casePhotos } from '../db/schema/index.ts';

type NodeDb = Database<typeof schema>;
type Reader = Pick<NodeDb, 'select'>;
export type PhotoMetadata = Omit<CasePhotoRow, 'bytes'>;

const metadata = {
  id: casePhotos.id,
  caseId: casePhotos.caseId,
  sha256: casePhotos.sha256,
  mime: casePhotos.mime,
  sizeBytes: casePhotos.sizeBytes,
  createdBy: casePhotos.createdBy,
  createdAt: casePhotos.createdAt,
};

/**
 * Stores the photo unless the case already has these bytes: then nothing is written and the
 * result is undefined. The unique (case, sha256) index decides, so two uploads racing each
 * other still leave one row.
 */
export async function insertPhoto(
  tx: Pick<NodeDb, 'insert'>,
  row: CasePhotoRow,
): Promise<PhotoMetadata | undefined> {
  const [inserted] = await tx
    .insert(casePhotos)
    .values(row)
    .onConflictDoNothing({ target: [casePhotos.caseId, casePhotos.sha256] })
    .returning(metadata);
  return inserted;
}

export async function findPhotoByHash(
  db: Reader,
  caseId: string,
  sha256: string,
): Promise<PhotoMetadata | undefined> {
  const [row] = await db
    .select(metadata)
    .from(casePhotos)
    .where(and(eq(casePhotos.caseId, caseId), eq(casePhotos.sha256, sha256)))
    .limit(1);
  return row;
}

export async function listPhotos(db: Reader, caseId: string): Promise<PhotoMetadata[]> {
  return db
    .select(metadata)
    .from(casePhotos)
    .where(eq(casePhotos.caseId, caseId))
    .orderBy(asc(casePhotos.createdAt), asc(casePhotos.id));
}

/** The photo with its bytes, only if it belongs to `caseId`. */
export async function findPhoto(
  db: Reader,
  caseId: string,
  photoId: string,
): Promise<CasePhotoRow | undefined> {
  const [row] = await db
    .select()
    .from(casePhotos)
    .where(and(eq(casePhotos.id, photoId), eq(casePhotos.caseId, caseId)))
    .limit(1);
  return row;
}
