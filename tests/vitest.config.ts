// Vitest config for the cross-package tests workspace; PostgreSQL/Redis come from infra/global-setup.ts.

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    globalSetup: ['./infra/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
