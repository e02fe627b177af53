// Who may do what, in one place: roles, actions, and the jurisdiction each role reaches. Plain
// functions, no HTTP or SQL. Deny by default: an action a role is not given is refused, and an
// action on a case is allowed only inside the actor's jurisdiction for that action.
import { PERMISSIONS, type Permission, ROLES, type Role } from '@khoj/contracts';

export type { Role };
/** An action is one of the permissions the routes declare (contracts' x-khoj-permission). */
export type Action = Permission;
export const ACTIONS = PERMISSIONS;
export { ROLES };

export type Jurisdiction = { country: string; state?: string | null; district?: string | null };

/** The signed-in user (or API token) an action is attempted by. */
export type Actor = {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string;
  unit: Jurisdiction;
  /** For API tokens: the actions the token was limited to (a subset of the role's). */
  tokenScopes?: readonly Action[];
};

/** What the rules need to know about a case (never its personal data). */
export type CaseScope = {
  kind: 'missing' | 'found';
  ownerUnitId: string;
  /** The CCI a child is placed in, if any: a child in care. */
  placementUnitId?: string | null;
  place: Jurisdiction;
};

/**
 * How far a role reaches for each action. `node`: every case of the node; `state` / `district`:
 * cases in the actor's unit's state / district; `unit`: cases the actor's unit owns or (for a CCI)
 * has in its care; `none`: never. Actions absent from a role's row are refused.
 * Match candidates are read within the role's read reach (both reports of a pair must be
 * readable); a decision needs `match.decide` over at least one of the two reports: the officer
 * who owns one side confirms that the other side is the same child.
 * What other nodes sent is read the same way: a received summary (`foreign.read`) by where its
 * child was last seen or found (mayReadForeignSummary: no unit here owns it, so `unit` reaches
 * none); a cross-border candidate, and what was received on it, through its local case (as a
 * match); a query and its hits by the asking unit. Exchange diagnostics (`exchange.read`) are the
 * administrators'.
 */
type Reach = 'node' | 'state' | 'district' | 'unit';

const MATRIX: Record<Role, Partial<Record<Action, Reach>>> = {
  // Police see every missing and found report of the node (as the national system broadcasts
  // them) but change only their own unit's.
  police_officer: {
    'case.read': 'node',
    'case.create': 'unit',
    'case.update': 'unit',
    'case.transition': 'unit',
    'case.progress': 'unit',
    'intake.verify': 'unit',
    'unit.read': 'node',
    'sharing.read': 'node',
    'match.read': 'node',
    'match.decide': 'unit',
    'foreign.read': 'node',
  },
  // A CCI sees the foreign children of the cross-border candidates of the children in its care,
  // never the received summaries as such.
  cci_staff: {
    'case.read': 'unit',
    'case.create': 'unit',
    'case.update': 'unit',
    'case.progress': 'unit',
    'unit.read': 'node',
    'sharing.read': 'node',
    'match.read': 'unit',
    'match.decide': 'unit',
  },
  cwc_member: {
    'case.read': 'district',
    'case.transition': 'district',
    'case.progress': 'district',
    'stats.read': 'district',
    'unit.read': 'node',
    'sharing.read': 'node',
    'foreign.read': 'district',
  },
  dcpu_officer: {
    'case.read': 'district',
    'case.progress': 'district',
    'stats.read': 'district',
    'unit.read': 'node',
    'sharing.read': 'node',
    'data.export': 'district',
    'match.read': 'district',
    'match.decide': 'district',
    'foreign.read': 'district',
  },
  scpu_officer: {
    'case.read': 'state',
    'stats.read': 'state',
    'unit.read': 'node',
    'sharing.read': 'node',
    'data.export': 'state',
    'match.read': 'state',
    'match.decide': 'state',
    'foreign.read': 'state',
    // Releases a case of the state at the full tier to another node on a detail request.
    'detail.decide': 'state',
  },
  // Anti-trafficking units look across the whole node and register rescued children.
  ahtu_officer: {
    'case.read': 'node',
    'case.create': 'unit',
    'case.update': 'unit',
    'case.progress': 'unit',
    'unit.read': 'node',
    'sharing.read': 'node',
    'match.read': 'node',
    'match.decide': 'unit',
    // Hit / no-hit queries across borders and detail requests for their hits, as their unit.
    'query.ask': 'unit',
    'foreign.read': 'node',
  },
  // Match candidates within the district are what district magistrates and police chiefs follow.
  dm_sp_viewer: { 'stats.read': 'district', 'unit.read': 'node', 'match.read': 'district' },
  // Administrators run the node; they do not read children's records.
  node_admin: {
    'unit.read': 'node',
    'unit.manage': 'node',
    'user.manage': 'node',
    'token.manage': 'node',
    'audit.read': 'node',
    'stats.read': 'node',
    'data.import': 'node',
    'data.export': 'node',
    // The sharing policy officers grant consents within.
    'sharing.read': 'node',
    'sharing.manage': 'node',
    // Decides detail requests, in particular those escalated past their deadline.
    'detail.decide': 'node',
    // What the hub refused or dropped undelivered of this node's envelopes.
    'exchange.read': 'node',
  },
};

/** The reach of `actor` for `action`, or undefined when the action is not theirs at all. */
export function reachOf(actor: Actor, action: Action): Reach | undefined {
  if (actor.tokenScopes && !actor.tokenScopes.includes(action)) return undefined;
  return MATRIX[actor.role][action];
}

/** Every action a role may attempt somewhere. */
export function permissionsOf(role: Role): Action[] {
  return ACTIONS.filter((action) => MATRIX[role][action] !== undefined);
}

/** May `actor` perform `action` at all (before looking at any particular case)? */
export function mayAttempt(actor: Actor, action: Action): boolean {
  return reachOf(actor, action) !== undefined;
}

/** May `actor` perform `action` on this case? */
export function mayActOnCase(actor: Actor, action: Action, target: CaseScope): boolean {
  const reach = reachOf(actor, action);
  if (!reach) return false;
  // Police and AHTU read missing and found reports node-wide, but a child in a CCI's care is
  // seen by that CCI and the district/state child-protection chain, not broadcast.
  if (
    reach === 'node' &&
    target.placementUnitId &&
    (actor.role === 'police_officer' || actor.role === 'ahtu_officer')
  ) {
    return target.ownerUnitId === actor.unitId;
  }
  return within(actor, reach, target);
}

function within(actor: Actor, reach: Reach, target: CaseScope): boolean {
  switch (reach) {
    case 'node':
      return true;
    case 'state':
      return sameArea(actor.unit, target.place, 'state');
    case 'district':
      return sameArea(actor.unit, target.place, 'district');
    case 'unit':
      return target.ownerUnitId === actor.unitId || target.placementUnitId === actor.unitId;
  }
}

function sameArea(unit: Jurisdiction, place: Jurisdiction, level: 'state' | 'district'): boolean {
  if (unit.country !== place.country || !unit.state || unit.state !== place.state) return false;
  return level === 'state' || (!!unit.district && unit.district === place.district);
}

/**
 * The filter a list query must apply so that it returns only cases `actor` may read: the same
 * rules as mayActOnCase, in a form the store turns into SQL.
 */
export type ReadFilter =
  | { all: true; excludeOthersInCare: boolean }
  | { state: string; country: string }
  | { district: string; state: string; country: string }
  | { unitId: string }
  | { none: true };

export function readFilter(actor: Actor): ReadFilter {
  const reach = reachOf(actor, 'case.read');
  switch (reach) {
    case 'node':
      return {
        all: true,
        excludeOthersInCare: actor.role === 'police_officer' || actor.role === 'ahtu_officer',
      };
    case 'state':
      return actor.unit.state ? { state: actor.unit.state, country: actor.unit.country } : { none: true };
    case 'district':
      return actor.unit.state && actor.unit.district
        ? { district: actor.unit.district, state: actor.unit.state, country: actor.unit.country }
        : { none: true };
    case 'unit':
      return { unitId: actor.unitId };
    default:
      return { none: true };
  }
}

/**
 * May `actor` read a case summary received from another node, whose child was last seen or found
 * at `place`? Police and AHTU read them node-wide, as they read this node's reports; district and
 * state bodies those placed in their district or state; a role whose reach is its unit none, as
 * no unit of this node owns a foreign case nor has its child in care.
 */
export function mayReadForeignSummary(actor: Actor, place: Jurisdiction): boolean {
  const reach = reachOf(actor, 'foreign.read');
  if (reach === 'node') return true;
  if (reach === 'state' || reach === 'district') return sameArea(actor.unit, place, reach);
  return false;
}

/** The filter a list of received summaries must apply: mayReadForeignSummary, for SQL. */
export type ForeignSummaryFilter =
  | { all: true }
  | { state: string; country: string }
  | { district: string; state: string; country: string }
  | { none: true };

export function foreignSummaryFilter(actor: Actor): ForeignSummaryFilter {
  const { country, state, district } = actor.unit;
  switch (reachOf(actor, 'foreign.read')) {
    case 'node':
      return { all: true };
    case 'state':
      return state ? { state, country } : { none: true };
    case 'district':
      return state && district ? { district, state, country } : { none: true };
    default:
      return { none: true };
  }
}
