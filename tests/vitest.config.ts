// Cross-package tests; PostgreSQL and Redis come from infra/global-setup.ts.
import { packageTestConfig } from '../vitest.shared.ts';

export default packageTestConfig('tests', {
  include: ['src/**/*.test.ts', 'infra/**/*.test.ts'],
  globalSetup: ['./infra/global-setup.ts'],
  testTimeout: 60_000,
});
