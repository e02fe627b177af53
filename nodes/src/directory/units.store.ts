// Queries over the directory of units.
import type { UnitInput } from '@khoj/contracts';
import type { Database } from '@khoj/platform';
import { newId } from '@khoj/platform';
import { and, asc, eq, ilike, type SQL } from 'drizzle-orm';
import type * as schema from '../db/schema/index.ts';
import { type UnitRow, units } from '../db/schema/index.ts';

type NodeDb = Database<typeof schema>;
type Executor = Pick<NodeDb, 'insert' | 'select'>;

export type NewUnit = Omit<UnitInput, 'phones' | 'emails' | 'active'> & {
  phones: string[];
  emails: string[];
  active: boolean;
};

export async function insertUnit(tx: Executor, unit: NewUnit, externalRef?: string): Promise<UnitRow> {
  const [row] = await tx
    .insert(units)
    .values({
      id: newId('unit'),
      name: unit.name,
      type: unit.type,
      country: unit.country,
      state: unit.state ?? null,
      district: unit.district ?? null,
      parentId: unit.parentId ?? null,
      phones: unit.phones,
      emails: unit.emails,
      active: unit.active,
      externalRef: externalRef ?? null,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function findUnit(db: Pick<NodeDb, 'select'>, id: string): Promise<UnitRow | undefined> {
  const [row] = await db.select().from(units).where(eq(units.id, id));
  return row;
}

export async function searchUnits(
  db: NodeDb,
  query: {
    q?: string | undefined;
    type?: UnitRow['type'] | undefined;
    district?: string | undefined;
    activeOnly: boolean;
    limit: number;
  },
): Promise<UnitRow[]> {
  const conditions: SQL[] = [];
  if (query.q) conditions.push(ilike(units.name, `%${query.q.replace(/[\\%_]/g, '\\$&')}%`));
  if (query.type) conditions.push(eq(units.type, query.type));
  if (query.district) conditions.push(eq(units.district, query.district));
  if (query.activeOnly) conditions.push(eq(units.active, true));
  return db
    .select()
    .from(units)
    .where(and(...conditions))
    .orderBy(asc(units.name))
    .limit(query.limit);
}

export function toUnit(row: UnitRow) {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    country: row.country,
    ...(row.state ? { state: row.state } : {}),
    ...(row.district ? { district: row.district } : {}),
    ...(row.parentId ? { parentId: row.parentId } : {}),
    phones: row.phones,
    emails: row.emails,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
  };
}
