// The matrix's reach over case summaries received from other nodes, without I/O: who reads them at
// all, by the place where the child was last seen or found, and that the list filter
// (foreignSummaryFilter) admits exactly the summaries mayReadForeignSummary lets the reader see.
import { describe, expect, it } from 'vitest';
import {
  type Action,
  type Actor,
  type ForeignSummaryFilter,
  foreignSummaryFilter,
  type Jurisdiction,
  mayReadForeignSummary,
  permissionsOf,
  ROLES,
  type Role,
} from './permissions.ts';

const NADIA: Jurisdiction = { country: 'IN', state: 'WB', district: 'Nadia' };
const KOLKATA: Jurisdiction = { country: 'IN', state: 'WB', district: 'Kolkata' };
const AURANGABAD_BR: Jurisdiction = { country: 'IN', state: 'BR', district: 'Aurangabad' };
const AURANGABAD_MH: Jurisdiction = { country: 'IN', state: 'MH', district: 'Aurangabad' };
const PUNJAB_PK: Jurisdiction = { country: 'PK', state: 'Punjab', district: 'Lahore' };
const NEPAL: Jurisdiction = { country: 'NP' };
const PLACES = [
  NADIA,
  KOLKATA,
  AURANGABAD_BR,
  AURANGABAD_MH,
  PUNJAB_PK,
  NEPAL,
  { country: 'IN', state: 'WB' },
];

function actor(role: Role, unit: Jurisdiction, tokenScopes?: Action[]): Actor {
  return {
    userId: `user_${role}`,
    username: role,
    displayName: role,
    role,
    unitId: `unit_${role}`,
    unit,
    ...(tokenScopes ? { tokenScopes } : {}),
  };
}

const readable = (who: Actor) => PLACES.filter((place) => mayReadForeignSummary(who, place));

describe('received summaries', () => {
  it('police and AHTU read them node-wide, as they read the node’s reports', () => {
    for (const role of ['police_officer', 'ahtu_officer'] as const) {
      expect(readable(actor(role, NADIA)), role).toEqual(PLACES);
      expect(foreignSummaryFilter(actor(role, NADIA))).toEqual({ all: true });
    }
  });

  it('CWC and DCPU read those placed in their district, not a same-named one of another state', () => {
    for (const role of ['cwc_member', 'dcpu_officer'] as const) {
      expect(readable(actor(role, NADIA)), role).toEqual([NADIA]);
      expect(readable(actor(role, AURANGABAD_BR)), role).toEqual([AURANGABAD_BR]);
    }
    expect(foreignSummaryFilter(actor('dcpu_officer', NADIA))).toEqual(NADIA);
  });

  it('SCPU read those placed in their state', () => {
    expect(readable(actor('scpu_officer', { country: 'IN', state: 'WB' }))).toEqual([
      NADIA,
      KOLKATA,
      { country: 'IN', state: 'WB' },
    ]);
    expect(readable(actor('scpu_officer', { country: 'IN' }))).toEqual([]);
  });

  it('CCI staff, DM/SP viewers and administrators never browse them', () => {
    for (const role of ['cci_staff', 'dm_sp_viewer', 'node_admin'] as const) {
      expect(permissionsOf(role), role).not.toContain('foreign.read');
      expect(readable(actor(role, NADIA)), role).toEqual([]);
      expect(foreignSummaryFilter(actor(role, NADIA))).toEqual({ none: true });
    }
  });

  it('a token without foreign.read reads none, whatever the role', () => {
    const police = actor('police_officer', NADIA, ['case.read', 'match.read']);
    expect(readable(police)).toEqual([]);
    expect(foreignSummaryFilter(police)).toEqual({ none: true });
  });
});

/** Whether a place passes `filter`, as listForeignSummaries turns it into SQL (a missing field is NULL). */
function admits(filter: ForeignSummaryFilter, place: Jurisdiction): boolean {
  if ('none' in filter) return false;
  if ('all' in filter) return true;
  const sameState = place.country === filter.country && place.state === filter.state;
  return 'district' in filter ? sameState && place.district === filter.district : sameState;
}

describe('foreignSummaryFilter and mayReadForeignSummary', () => {
  it('agree on every place, for every role, unit and token scope', () => {
    const units = [NADIA, AURANGABAD_MH, PUNJAB_PK, NEPAL, { country: 'IN', state: 'WB' }, { country: 'IN' }];
    const disagreements: string[] = [];
    for (const role of ROLES) {
      for (const unit of units) {
        for (const scopes of [
          undefined,
          permissionsOf(role),
          permissionsOf(role).filter((a) => a !== 'foreign.read'),
        ]) {
          const who = actor(role, unit, scopes);
          const filter = foreignSummaryFilter(who);
          for (const place of PLACES) {
            if (admits(filter, place) !== mayReadForeignSummary(who, place))
              disagreements.push(
                `${role} at ${JSON.stringify(unit)}: ${JSON.stringify(filter)} vs ${JSON.stringify(place)}`,
              );
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});
