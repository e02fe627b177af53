// Prints one total line over every package's vitest JSON report (.test-results/*.json), in the
// plain form CI logs are read for: `khoj: N passed, N failed, N skipped`. `--reset` clears the
// reports first, so a total never counts an earlier run.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../../.test-results/', import.meta.url).pathname;

if (process.argv.includes('--reset')) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
} else {
  type Report = {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  const totals = { passed: 0, failed: 0, skipped: 0, packages: 0 };
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Report;
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    totals.packages += 1;
  }
  console.log(`\n${totals.packages} packages tested`);
  console.log(`khoj: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  if (totals.failed > 0 || totals.passed === 0) process.exitCode = 1;
}
