// The permission matrix without I/O: how far each role reaches, that children in a CCI's care are
// not broadcast, that API token scopes only ever narrow a role, and that the list filter
// (readFilter) admits exactly the cases mayActOnCase lets the same actor read.
import { PERMISSIONS } from '@khoj/contracts';
import { describe, expect, it } from 'vitest';
import {
  type Action,
  type Actor,
  type CaseScope,
  type Jurisdiction,
  mayActOnCase,
  mayAttempt,
  permissionsOf,
  type ReadFilter,
  ROLES,
  type Role,
  readFilter,
} from './permissions.ts';

// Places of one node. Aurangabad is a district of both Bihar and Maharashtra; Punjab is a state of
// both India and Pakistan: a name alone must never decide jurisdiction.
const NADIA: Jurisdiction = { country: 'IN', state: 'WB', district: 'Nadia' };
const KOLKATA: Jurisdiction = { country: 'IN', state: 'WB', district: 'Kolkata' };
const AURANGABAD_BR: Jurisdiction = { country: 'IN', state: 'BR', district: 'Aurangabad' };
const AURANGABAD_MH: Jurisdiction = { country: 'IN', state: 'MH', district: 'Aurangabad' };
const PUNJAB_IN: Jurisdiction = { country: 'IN', state: 'Punjab', district: 'Amritsar' };
const PUNJAB_PK: Jurisdiction = { country: 'PK', state: 'Punjab', district: 'Lahore' };
const NEPAL: Jurisdiction = { country: 'NP' };
const PLACES = [NADIA, KOLKATA, AURANGABAD_BR, AURANGABAD_MH, PUNJAB_IN, PUNJAB_PK, NEPAL];

const RANAGHAT_PS = 'unit_ps_ranaghat';
const KRISHNANAGAR_PS = 'unit_ps_krishnanagar';
const CCI_NADIA = 'unit_cci_nadia';
const CCI_KOLKATA = 'unit_cci_kolkata';
const AHTU_WB = 'unit_ahtu_wb';

const CASE_ACTIONS = PERMISSIONS.filter((action) => action.startsWith('case.'));
/** What can be done to a case once it exists (creating one is a permission on no case). */
const ON_A_CASE = CASE_ACTIONS.filter((action) => action !== 'case.create');

function actor(role: Role, unitId: string, unit: Jurisdiction, tokenScopes?: Action[]): Actor {
  return {
    userId: `user_${role}_${unitId}`,
    username: `${role}.${unitId}`,
    displayName: role,
    role,
    unitId,
    unit,
    ...(tokenScopes ? { tokenScopes } : {}),
  };
}

function report(
  ownerUnitId: string,
  place: Jurisdiction,
  options: { kind?: 'missing' | 'found'; placementUnitId?: string | null } = {},
): CaseScope {
  return {
    kind: options.kind ?? (options.placementUnitId ? 'found' : 'missing'),
    ownerUnitId,
    placementUnitId: options.placementUnitId ?? null,
    place,
  };
}

/** Which of `actions` the actor may do to the case. */
const allowed = (who: Actor, target: CaseScope, actions: readonly Action[] = ON_A_CASE) =>
  actions.filter((action) => mayActOnCase(who, action, target));

const CHANGES: Action[] = ['case.update', 'case.transition', 'case.progress'];

describe('police officers', () => {
  const ranaghat = actor('police_officer', RANAGHAT_PS, NADIA);

  it('read every missing and found report of the node, wherever it was registered', () => {
    for (const place of PLACES) {
      for (const owner of [RANAGHAT_PS, KRISHNANAGAR_PS, AHTU_WB]) {
        for (const kind of ['missing', 'found'] as const) {
          expect(mayActOnCase(ranaghat, 'case.read', report(owner, place, { kind }))).toBe(true);
        }
      }
    }
    expect(readFilter(ranaghat)).toEqual({ all: true, excludeOthersInCare: true });
  });

  it("change only their own unit's reports", () => {
    expect(allowed(ranaghat, report(RANAGHAT_PS, KOLKATA), CHANGES)).toEqual(CHANGES);
    // Another station of the same district, and a report they can read but did not register.
    expect(allowed(ranaghat, report(KRISHNANAGAR_PS, NADIA), CHANGES)).toEqual([]);
    expect(allowed(ranaghat, report(AHTU_WB, NADIA, { kind: 'found' }), CHANGES)).toEqual([]);
  });
});

describe('children in care', () => {
  const ranaghat = actor('police_officer', RANAGHAT_PS, NADIA);
  const krishnanagar = actor('police_officer', KRISHNANAGAR_PS, NADIA);
  const ahtu = actor('ahtu_officer', AHTU_WB, { country: 'IN', state: 'WB' });
  const cciNadia = actor('cci_staff', CCI_NADIA, NADIA);
  const cciKolkata = actor('cci_staff', CCI_KOLKATA, KOLKATA);

  it('are hidden from police and AHTU unless their own unit registered the child', () => {
    const registeredByCci = report(CCI_NADIA, NADIA, { placementUnitId: CCI_NADIA });
    const placedByKrishnanagar = report(KRISHNANAGAR_PS, NADIA, { placementUnitId: CCI_NADIA });
    const rescuedByAhtu = report(AHTU_WB, KOLKATA, { placementUnitId: CCI_KOLKATA });
    for (const target of [registeredByCci, placedByKrishnanagar, rescuedByAhtu]) {
      expect(mayActOnCase(ranaghat, 'case.read', target)).toBe(false);
    }
    expect(mayActOnCase(ahtu, 'case.read', registeredByCci)).toBe(false);
    expect(mayActOnCase(ahtu, 'case.read', placedByKrishnanagar)).toBe(false);
    // The unit that found the child keeps it.
    expect(mayActOnCase(krishnanagar, 'case.read', placedByKrishnanagar)).toBe(true);
    expect(mayActOnCase(ahtu, 'case.read', rescuedByAhtu)).toBe(true);
    expect(readFilter(ahtu)).toEqual({ all: true, excludeOthersInCare: true });
  });

  it('are seen by CCI staff only when owned by or placed in their own CCI', () => {
    const ownChild = report(CCI_NADIA, NADIA, { placementUnitId: CCI_NADIA });
    const placedHereByPolice = report(KRISHNANAGAR_PS, KOLKATA, { placementUnitId: CCI_NADIA });
    const otherCci = report(CCI_KOLKATA, NADIA, { placementUnitId: CCI_KOLKATA });
    const policeReportSameDistrict = report(RANAGHAT_PS, NADIA);
    const cciActions: Action[] = ['case.read', 'case.update', 'case.progress'];
    expect(allowed(cciNadia, ownChild)).toEqual(cciActions);
    expect(allowed(cciNadia, placedHereByPolice)).toEqual(cciActions);
    expect(allowed(cciNadia, otherCci)).toEqual([]);
    expect(allowed(cciNadia, policeReportSameDistrict)).toEqual([]);
    expect(allowed(cciKolkata, otherCci)).toEqual(cciActions);
    expect(allowed(cciKolkata, ownChild)).toEqual([]);
    expect(readFilter(cciNadia)).toEqual({ unitId: CCI_NADIA });
  });
});

describe('district and state child protection', () => {
  it('CWC and DCPU reach their district, not a neighbouring one nor a same-named one in another state', () => {
    const cwcNadia = actor('cwc_member', 'unit_cwc_nadia', NADIA);
    const dcpuNadia = actor('dcpu_officer', 'unit_dcpu_nadia', NADIA);
    const dcpuAurangabadBr = actor('dcpu_officer', 'unit_dcpu_aurangabad_br', AURANGABAD_BR);
    const cwcAurangabadMh = actor('cwc_member', 'unit_cwc_aurangabad_mh', AURANGABAD_MH);
    const inNadia = [
      report(RANAGHAT_PS, NADIA),
      report(CCI_NADIA, NADIA, { placementUnitId: CCI_NADIA }),
      report(CCI_KOLKATA, NADIA, { placementUnitId: CCI_KOLKATA }),
    ];
    for (const target of inNadia) {
      expect(allowed(cwcNadia, target)).toEqual(['case.read', 'case.transition', 'case.progress']);
      expect(allowed(dcpuNadia, target)).toEqual(['case.read', 'case.progress']);
    }
    expect(allowed(cwcNadia, report(RANAGHAT_PS, KOLKATA))).toEqual([]);
    expect(allowed(dcpuNadia, report(RANAGHAT_PS, KOLKATA))).toEqual([]);

    const inAurangabadBr = report('unit_ps_aurangabad_br', AURANGABAD_BR);
    const inAurangabadMh = report('unit_ps_aurangabad_mh', AURANGABAD_MH);
    expect(mayActOnCase(dcpuAurangabadBr, 'case.read', inAurangabadBr)).toBe(true);
    expect(mayActOnCase(dcpuAurangabadBr, 'case.read', inAurangabadMh)).toBe(false);
    expect(mayActOnCase(cwcAurangabadMh, 'case.read', inAurangabadMh)).toBe(true);
    expect(mayActOnCase(cwcAurangabadMh, 'case.transition', inAurangabadBr)).toBe(false);
    expect(readFilter(dcpuAurangabadBr)).toEqual({ district: 'Aurangabad', state: 'BR', country: 'IN' });
  });

  it('SCPU reaches its state, not another state nor a same-named state in another country', () => {
    const scpuWb = actor('scpu_officer', 'unit_scpu_wb', { country: 'IN', state: 'WB' });
    const scpuPunjab = actor('scpu_officer', 'unit_scpu_punjab', { country: 'IN', state: 'Punjab' });
    for (const place of [NADIA, KOLKATA, { country: 'IN', state: 'WB' }]) {
      expect(allowed(scpuWb, report(RANAGHAT_PS, place))).toEqual(['case.read']);
    }
    expect(allowed(scpuWb, report(RANAGHAT_PS, AURANGABAD_BR))).toEqual([]);
    expect(mayActOnCase(scpuPunjab, 'case.read', report('unit_ps_amritsar', PUNJAB_IN))).toBe(true);
    expect(mayActOnCase(scpuPunjab, 'case.read', report('unit_ps_amritsar', PUNJAB_PK))).toBe(false);
    expect(readFilter(scpuPunjab)).toEqual({ state: 'Punjab', country: 'IN' });
  });

  it('a district or state body whose unit does not say where it is reaches nothing', () => {
    const dcpuWithoutDistrict = actor('dcpu_officer', 'unit_dcpu_x', { country: 'IN', state: 'WB' });
    const scpuWithoutState = actor('scpu_officer', 'unit_scpu_x', { country: 'IN' });
    for (const place of PLACES) {
      expect(mayActOnCase(dcpuWithoutDistrict, 'case.read', report(RANAGHAT_PS, place))).toBe(false);
      expect(mayActOnCase(scpuWithoutState, 'case.read', report(RANAGHAT_PS, place))).toBe(false);
    }
    // A case without a state must not match a unit without one (undefined === undefined).
    expect(mayActOnCase(scpuWithoutState, 'case.read', report(RANAGHAT_PS, NEPAL))).toBe(false);
    expect(mayActOnCase(scpuWithoutState, 'case.read', report(RANAGHAT_PS, { country: 'IN' }))).toBe(false);
    expect(readFilter(dcpuWithoutDistrict)).toEqual({ none: true });
    expect(readFilter(scpuWithoutState)).toEqual({ none: true });
  });
});

describe('roles that never read cases', () => {
  it('DM/SP viewers and node administrators cannot read, register or change any case', () => {
    for (const role of ['dm_sp_viewer', 'node_admin'] as const) {
      const viewer = actor(role, 'unit_dm_nadia', NADIA);
      for (const action of CASE_ACTIONS) expect(mayAttempt(viewer, action)).toBe(false);
      for (const place of PLACES) {
        expect(allowed(viewer, report('unit_dm_nadia', place))).toEqual([]);
        expect(allowed(viewer, report(CCI_NADIA, place, { placementUnitId: 'unit_dm_nadia' }))).toEqual([]);
      }
      expect(readFilter(viewer)).toEqual({ none: true });
      expect(mayAttempt(viewer, 'stats.read')).toBe(true);
    }
  });

  it('only node administrators manage units, users, tokens, imports, the audit log and the exchange', () => {
    for (const action of [
      'unit.manage',
      'user.manage',
      'token.manage',
      'audit.read',
      'data.import',
      'exchange.read',
    ] as const) {
      expect(ROLES.filter((role) => permissionsOf(role).includes(action))).toEqual(['node_admin']);
    }
  });

  it('denies by default: a role may attempt exactly the actions it is given', () => {
    for (const role of ROLES) {
      const given = permissionsOf(role);
      expect(given.length).toBeGreaterThan(0);
      for (const action of PERMISSIONS) {
        expect(mayAttempt(actor(role, 'unit_x', NADIA), action)).toBe(given.includes(action));
      }
    }
  });
});

describe('API token scopes', () => {
  const own = report(RANAGHAT_PS, NADIA);

  it('narrow a role: a read-only police token reads but cannot change its own unit’s report', () => {
    const readOnly = actor('police_officer', RANAGHAT_PS, NADIA, ['case.read']);
    expect(allowed(readOnly, own)).toEqual(['case.read']);
    expect(mayAttempt(readOnly, 'case.create')).toBe(false);
    expect(mayAttempt(readOnly, 'unit.read')).toBe(false);
    expect(readFilter(readOnly)).toEqual({ all: true, excludeOthersInCare: true });
    const writeOnly = actor('police_officer', RANAGHAT_PS, NADIA, ['case.update']);
    expect(readFilter(writeOnly)).toEqual({ none: true });
    expect(readFilter(actor('police_officer', RANAGHAT_PS, NADIA, []))).toEqual({ none: true });
  });

  it('never widen a role, for any role, action or case', () => {
    const police = actor('police_officer', RANAGHAT_PS, NADIA, [...PERMISSIONS]);
    expect(mayAttempt(police, 'unit.manage')).toBe(false);
    expect(mayAttempt(police, 'audit.read')).toBe(false);
    const cci = actor('cci_staff', CCI_NADIA, NADIA, ['case.transition', 'case.read']);
    expect(allowed(cci, report(CCI_NADIA, NADIA, { placementUnitId: CCI_NADIA }))).toEqual(['case.read']);
    for (const role of ROLES) {
      for (const unit of [NADIA, AURANGABAD_MH]) {
        const plain = actor(role, CCI_NADIA, unit);
        const everything = actor(role, CCI_NADIA, unit, [...PERMISSIONS]);
        for (const action of PERMISSIONS)
          expect(mayAttempt(everything, action)).toBe(mayAttempt(plain, action));
        for (const target of sampleCases())
          expect(allowed(everything, target)).toEqual(allowed(plain, target));
        expect(readFilter(everything)).toEqual(readFilter(plain));
      }
    }
  });
});

/**
 * Whether a case passes `filter`, evaluated the way listCases turns it into SQL
 * (reports.store.ts, `jurisdiction`): NULL columns never equal a name. The security suite
 * checks the SQL itself against GET on stored rows.
 */
function admits(filter: ReadFilter, target: CaseScope, actorUnitId: string): boolean {
  if ('none' in filter) return false;
  if ('all' in filter) {
    return !filter.excludeOthersInCare || !target.placementUnitId || target.ownerUnitId === actorUnitId;
  }
  if ('unitId' in filter) {
    return target.ownerUnitId === filter.unitId || target.placementUnitId === filter.unitId;
  }
  const { country, state, district } = target.place;
  if ('district' in filter) {
    return country === filter.country && state === filter.state && district === filter.district;
  }
  return country === filter.country && state === filter.state;
}

/** Every combination of owner, placement, place and kind the tables below use. */
function sampleCases(): CaseScope[] {
  const owners = [RANAGHAT_PS, KRISHNANAGAR_PS, CCI_NADIA, CCI_KOLKATA, AHTU_WB];
  const placements = [null, CCI_NADIA, CCI_KOLKATA];
  const places = [...PLACES, { country: 'IN' }, { country: 'IN', state: 'WB' }];
  return owners.flatMap((owner) =>
    placements.flatMap((placementUnitId) =>
      places.flatMap((place) =>
        (['missing', 'found'] as const).map((kind) => report(owner, place, { kind, placementUnitId })),
      ),
    ),
  );
}

describe('readFilter and mayActOnCase', () => {
  it('agree on every sample case, for every role, unit and token scope', () => {
    const unitsOf: [string, Jurisdiction][] = [
      [RANAGHAT_PS, NADIA],
      [CCI_NADIA, NADIA],
      [CCI_KOLKATA, KOLKATA],
      [AHTU_WB, { country: 'IN', state: 'WB' }],
      ['unit_aurangabad_mh', AURANGABAD_MH],
      ['unit_punjab_pk', PUNJAB_PK],
      ['unit_india', { country: 'IN' }],
    ];
    const cases = sampleCases();
    const seen = new Map<Role, { readable: number; hidden: number }>();
    const disagreements: string[] = [];
    for (const role of ROLES) {
      const counts = { readable: 0, hidden: 0 };
      seen.set(role, counts);
      for (const [unitId, unit] of unitsOf) {
        const scopeVariants = [
          undefined,
          permissionsOf(role),
          permissionsOf(role).filter((a) => a !== 'case.read'),
        ];
        for (const scopes of scopeVariants) {
          const who = actor(role, unitId, unit, scopes);
          const filter = readFilter(who);
          for (const target of cases) {
            const mayRead = mayActOnCase(who, 'case.read', target);
            if (admits(filter, target, unitId) !== mayRead) {
              disagreements.push(
                `${role} of ${unitId} (scopes: ${scopes?.join(',') ?? 'the role'}) may read: ${mayRead}, filter: ${JSON.stringify(filter)}, case: ${JSON.stringify(target)}`,
              );
            }
            counts[mayRead ? 'readable' : 'hidden'] += 1;
          }
        }
      }
    }
    expect(disagreements).toEqual([]);
    // The table is not vacuous: every role that reads cases both sees and misses some.
    for (const role of ROLES) {
      const counts = seen.get(role);
      if (permissionsOf(role).includes('case.read')) {
        expect(counts?.readable, role).toBeGreaterThan(0);
        expect(counts?.hidden, role).toBeGreaterThan(0);
      } else {
        expect(counts?.readable, role).toBe(0);
      }
    }
  });
});
