// Deny by default: every hub route names what its caller needs, and nothing under /v1/admin is
// reachable without an administrator permission (a route added without one would be a 404).
import { HUB_ACCESS_KEY, HUB_ADMIN_PERMISSIONS, hubRoutes } from '@khoj/contracts';
import { describe, expect, it } from 'vitest';
import { accessTable } from './client-certificate.ts';

describe('hub route access', () => {
  it('is declared by every route contract', () => {
    const table = accessTable(hubRoutes);
    expect(table.size).toBe(hubRoutes.length);
    for (const route of hubRoutes) expect(route[HUB_ACCESS_KEY], route.path).toBeDefined();
  });

  it('requires an administrator permission under /v1/admin and a certificate for every write', () => {
    for (const route of hubRoutes) {
      const access = route[HUB_ACCESS_KEY];
      if (route.path.startsWith('/v1/admin/')) {
        expect(HUB_ADMIN_PERMISSIONS as readonly string[], route.path).toContain(access);
      } else if (access === 'public') {
        // Public: health, what the hub publishes, and the enrolment steps (token-authorised).
        expect(route.method === 'get' || route.path.startsWith('/v1/enrolments'), route.path).toBe(true);
      }
    }
  });

  it('leaves a route without a declaration out of the table', () => {
    const table = accessTable([{ method: 'get', path: '/v1/undeclared' }]);
    expect(table.size).toBe(0);
  });
});
