// The vitest settings every package shares. Each package also writes a JSON report into
// .test-results/, from which `npm test` prints one total line at the end.
import { defineConfig } from 'vitest/config';

type TestOptions = { include?: string[]; globalSetup?: string[]; testTimeout?: number; hookTimeout?: number };

export function packageTestConfig(name: string, options: TestOptions = {}) {
  return defineConfig({
    test: {
      include: options.include ?? ['src/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 30_000,
      hookTimeout: options.hookTimeout ?? 120_000,
      ...(options.globalSetup ? { globalSetup: options.globalSetup } : {}),
      reporters: ['default', ['json', { outputFile: `../.test-results/${name}.json` }]],
    },
  });
}
