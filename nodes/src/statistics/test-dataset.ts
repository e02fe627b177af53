// Test fixture for the statistics tests: twelve reports with pinned registration and transition
// times, stored through the report store (so versions carry the snapshots the routes write).
import { newId } from '@khoj/platform';
import { insertCase, recordVersion, updateCase } from '../cases/reports.store.ts';
import type { CaseRow } from '../db/schema/index.ts';
import type { TestNode } from '../testing/test-node.ts';

type Status = CaseRow['status'];
type Seed = {
  name: string;
  kind: 'missing' | 'found';
  at: string;
  district: 'Nadia' | 'Kolkata' | 'Patna';
  cci?: 'A' | 'B';
  steps?: [Status, string][];
};

// Days from registration to the standing match / the reunion are noted where they count.
export const DATASET: Seed[] = [
  // Nadia, WB
  {
    name: 'N1',
    kind: 'missing',
    at: '2026-01-05T06:00:00Z',
    district: 'Nadia',
    steps: [
      ['under_review', '2026-01-07T06:00:00Z'],
      ['matched', '2026-01-15T06:00:00Z'], // 10 days
      ['reunited', '2026-01-25T06:00:00Z'], // 20 days
    ],
  },
  {
    name: 'N2',
    kind: 'missing',
    at: '2026-01-20T00:00:00Z',
    district: 'Nadia',
    steps: [['matched', '2026-01-24T12:00:00Z']],
  }, // 4.5
  {
    name: 'N3', // a match that fell through: not matched
    kind: 'missing',
    at: '2026-02-10T00:00:00Z',
    district: 'Nadia',
    steps: [
      ['matched', '2026-02-12T00:00:00Z'],
      ['open', '2026-02-13T00:00:00Z'],
    ],
  },
  { name: 'N4', kind: 'missing', at: '2026-02-28T23:30:00Z', district: 'Nadia' }, // last half hour of February (UTC)
  { name: 'N5', kind: 'found', at: '2026-02-01T00:00:00Z', district: 'Nadia', cci: 'A' },
  {
    name: 'N6',
    kind: 'found',
    at: '2026-03-03T00:00:00Z',
    district: 'Nadia',
    cci: 'A',
    steps: [
      ['matched', '2026-03-09T00:00:00Z'], // 6
      ['reunited', '2026-03-19T00:00:00Z'], // 16
    ],
  },
  {
    name: 'N7', // the first match fell through; the second stands
    kind: 'missing',
    at: '2026-03-01T00:00:00Z',
    district: 'Nadia',
    steps: [
      ['matched', '2026-03-07T00:00:00Z'],
      ['open', '2026-03-08T00:00:00Z'],
      ['matched', '2026-03-21T00:00:00Z'], // 20
      ['reunited', '2026-03-31T00:00:00Z'], // 30
    ],
  },
  {
    name: 'N8',
    kind: 'missing',
    at: '2025-12-20T00:00:00Z',
    district: 'Nadia',
    steps: [['matched', '2025-12-25T00:00:00Z']],
  }, // 5
  // Kolkata, WB
  {
    name: 'K1',
    kind: 'missing',
    at: '2026-01-10T00:00:00Z',
    district: 'Kolkata',
    steps: [
      ['matched', '2026-01-13T00:00:00Z'], // 3
      ['reunited', '2026-01-14T00:00:00Z'], // 4
    ],
  },
  { name: 'K2', kind: 'found', at: '2026-02-20T00:00:00Z', district: 'Kolkata', cci: 'B' },
  { name: 'K3', kind: 'found', at: '2026-02-21T00:00:00Z', district: 'Kolkata', cci: 'A' }, // found in Kolkata, placed in Nadia
  // Patna, BR
  { name: 'P1', kind: 'missing', at: '2026-01-02T00:00:00Z', district: 'Patna' },
];

/** Stores DATASET: cases owned by each district's station, children in care placed in `cci`. */
export async function seedDataset(
  node: TestNode,
  stations: Record<Seed['district'], string>,
  cci: Record<'A' | 'B', string>,
): Promise<void> {
  const db = node.services.db;
  for (const seed of DATASET) {
    const createdAt = new Date(seed.at);
    const placementUnitId = seed.cci ? cci[seed.cci] : null;
    const state = seed.district === 'Patna' ? 'BR' : 'WB';
    // A case is stored with its search terms and first version in one transaction, as routes do.
    await db.transaction(async (tx) => {
      let row = await insertCase(tx, {
        id: newId('case'),
        kind: seed.kind,
        ownerUnitId: stations[seed.district],
        placementUnitId,
        child: { name: `Seeded Child ${seed.name}`, sex: 'female', age: { years: 10 } },
        place: { country: 'IN', state, district: seed.district },
        country: 'IN',
        state,
        district: seed.district,
        eventDate: seed.at.slice(0, 10),
        missing: seed.kind === 'missing' ? { guardians: [] } : null,
        found:
          seed.kind === 'found'
            ? {
                foundBy: 'police',
                rescuedFromTrafficking: false,
                ...(placementUnitId ? { placementUnitId } : {}),
              }
            : null,
        createdBy: 'seed',
        createdAt,
        updatedAt: createdAt,
      });
      await recordVersion(tx, row, 'create', 'seed', null);
      for (const [status, at] of seed.steps ?? []) {
        const next = await updateCase(tx, row.id, row.version, { status, updatedAt: new Date(at) });
        if (!next) throw new Error(`could not move ${seed.name} to ${status}`);
        await recordVersion(tx, next, 'transition', 'seed', null);
        row = next;
      }
    });
  }
}
