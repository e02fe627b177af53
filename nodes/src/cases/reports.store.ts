// Queries over cases.
import type { Database } from '@khoj/platform';
import { eq } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { type CaseRow, cases } from '../db/schema/index.ts';

type NodeDb = Database<typeof schema>;
type Executor = Pick<NodeDb, 'insert'>;

export async function insertCase(tx: Executor, row: typeof cases.$inferInsert): Promise<CaseRow> {
  const [inserted] = await tx.insert(cases).values(row).returning();
  if (!inserted) throw new Error('insert returned no row');
  return inserted;
}

export async function findCase(db: NodeDb, id: string): Promise<CaseRow | undefined> {
  const [row] = await db.select().from(cases).where(eq(cases.id, id)).limit(1);
  return row;
}
