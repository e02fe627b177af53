// Whose cases a user's statistics cover: the reach of their role for `stats.read` (node, state,
// district, unit), optionally narrowed to one district. Plain functions, no I/O. The figures are
// aggregates, so a reach here follows the case's place only (no exception for children in care,
// which mayActOnCase makes for police reading individual records).
import type { Statistics } from '@khoj/contracts';
import { type Actor, reachOf } from '../access/permissions.ts';

/** Equalities every counted case must satisfy; an absent field is not constrained. */
export type StatsFilter = {
  level: Statistics['scope']['level'];
  country?: string;
  state?: string;
  district?: string;
  /** Cases this unit owns or has in its care. */
  unitId?: string;
};

export type ScopeResult =
  | { ok: true; filter: StatsFilter }
  | { ok: false; code: 'FORBIDDEN'; message: string };

export function statsScope(actor: Actor, district?: string): ScopeResult {
  const { country, state, district: own } = actor.unit;
  switch (reachOf(actor, 'stats.read')) {
    case 'node':
      return { ok: true, filter: district ? { level: 'district', district } : { level: 'node' } };
    case 'state':
      if (!state) return refuse('your unit has no state, so you have no state to see');
      return {
        ok: true,
        filter: district
          ? { level: 'district', country, state, district }
          : { level: 'state', country, state },
      };
    case 'district':
      if (!state || !own) return refuse('your unit has no district, so you have no district to see');
      if (district && district !== own) return refuse(`your statistics cover ${own} only, not ${district}`);
      return { ok: true, filter: { level: 'district', country, state, district: own } };
    case 'unit':
      return {
        ok: true,
        filter: { level: 'unit', unitId: actor.unitId, ...(district ? { district } : {}) },
      };
    default:
      return refuse('your role may not stats.read');
  }
}

function refuse(message: string): ScopeResult {
  return { ok: false, code: 'FORBIDDEN', message };
}
