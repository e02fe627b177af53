// Runs after `npm ci` / `npm install` (root postinstall). postgres.js 3.4.9 defers small writes
// to a setImmediate; when PostgreSQL restarts while a connection is busy, the connection's socket
// is set to null before that callback runs, and the callback throws a TypeError that no caller
// can catch, so the whole node or hub process dies (porsager/postgres#1154, #1208; fixes not
// released). The fault test (tests/src/faults.int.test.ts) restarts PostgreSQL under load and
// hit it every time. This script makes three small, exact edits to the driver's files:
//   - nextWrite with no socket settles the pending queries with CONNECTION_CLOSED (a normal,
//     catchable error the pool retries on a new connection) instead of throwing;
//   - terminate() and closed() forget the cancelled timer and the buffered bytes, so the next
//     connection does not inherit a timer that will never fire.
// It is idempotent, checks the driver's version, and fails loudly if the code it expects has
// changed, so an upgrade cannot silently drop the fix. Plain JavaScript: it may run on any Node.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';

const MARK = '/* khoj: guarded */';
const require = createRequire(import.meta.url);

// The package exports no package.json; its CommonJS entry lies in <root>/cjs/src/index.js.
let entry;
try {
  entry = require.resolve('postgres');
} catch {
  process.exit(0); // not installed (e.g. a partial install): nothing to patch
}
const root = entry.slice(0, entry.lastIndexOf(`${sep}cjs${sep}`));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (version !== '3.4.9') {
  console.error(
    `tools/scripts/patch-postgres-driver.mjs: postgres ${version} is installed, the patch was written for 3.4.9; ` +
      'check whether the release fixes nextWrite on a closed socket, then update or remove this script',
  );
  process.exit(1);
}

const edits = [
  [
    '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    `  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  [
    "      error(Errors.connection('CONNECTION_DESTROYED', options))\n\n    clearImmediate(nextWriteTimer)\n",
    "      error(Errors.connection('CONNECTION_DESTROYED', options))\n\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n",
  ],
  [
    '    incomings = null\n    clearImmediate(nextWriteTimer)\n',
    '    incomings = null\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n',
  ],
];

for (const file of ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js']) {
  const path = join(root, file);
  let text = readFileSync(path, 'utf8');
  if (text.includes(MARK)) continue;
  for (const [before, after] of edits) {
    if (text.split(before).length !== 2) {
      console.error(
        `tools/scripts/patch-postgres-driver.mjs: ${file} does not contain the expected code; not patched`,
      );
      process.exit(1);
    }
    text = text.replace(before, after);
  }
  writeFileSync(path, text);
}
