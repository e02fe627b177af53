// Whose cases each role's statistics cover, and which narrowings are refused.
import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../access/permissions.ts';
import { statsScope } from './scope.ts';

const actor = (role: Role, unit: Actor['unit']): Actor => ({
  userId: 'user_1',
  username: 'u',
  displayName: 'u',
  role,
  unitId: 'unit_1',
  unit,
});
const nadia = { country: 'IN', state: 'WB', district: 'Nadia' };

describe('statsScope', () => {
  it('gives district roles their district, whatever district they ask for', () => {
    for (const role of ['dm_sp_viewer', 'dcpu_officer', 'cwc_member'] as const) {
      expect(statsScope(actor(role, nadia))).toEqual({
        ok: true,
        filter: { level: 'district', country: 'IN', state: 'WB', district: 'Nadia' },
      });
      expect(statsScope(actor(role, nadia), 'Nadia').ok).toBe(true);
      expect(statsScope(actor(role, nadia), 'Kolkata')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
  });

  it('lets the state and the node narrow to a district', () => {
    const scpu = actor('scpu_officer', { country: 'IN', state: 'WB' });
    expect(statsScope(scpu)).toEqual({ ok: true, filter: { level: 'state', country: 'IN', state: 'WB' } });
    expect(statsScope(scpu, 'Kolkata')).toEqual({
      ok: true,
      filter: { level: 'district', country: 'IN', state: 'WB', district: 'Kolkata' },
    });
    expect(statsScope(actor('node_admin', nadia))).toEqual({ ok: true, filter: { level: 'node' } });
    expect(statsScope(actor('node_admin', nadia), 'Patna')).toEqual({
      ok: true,
      filter: { level: 'district', district: 'Patna' },
    });
  });

  it('refuses roles without stats.read, tokens scoped without it, and units with no area', () => {
    expect(statsScope(actor('police_officer', nadia)).ok).toBe(false);
    expect(statsScope(actor('cci_staff', nadia)).ok).toBe(false);
    expect(statsScope({ ...actor('node_admin', nadia), tokenScopes: ['unit.read'] }).ok).toBe(false);
    expect(statsScope(actor('dm_sp_viewer', { country: 'IN', state: 'WB' }))).toMatchObject({
      ok: false,
      message: expect.stringContaining('no district'),
    });
    expect(statsScope(actor('scpu_officer', { country: 'IN' })).ok).toBe(false);
  });
});
