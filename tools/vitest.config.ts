import { packageTestConfig } from '../vitest.shared.ts';

// Each test here starts the `khoj` CLI as a process, several times; on a busy 2-core machine one
// start takes 8–17 s, so the per-test limit is generous (tests assert behaviour, not timings).
export default packageTestConfig('tools', { testTimeout: 180_000 });
