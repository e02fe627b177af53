#!/usr/bin/env node
// The `khoj` command. khoj runs on Node.js 24 (the `node` dev dependency puts it first on the
// PATH of npm scripts and npx); on an older Node the TypeScript sources cannot load, so say so.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `khoj needs Node.js 24 or newer; this is ${process.version}.\n` +
      'Run it through npm, which uses the Node.js 24 installed by `npm ci`: `npm run khoj -- <command>` or `npx khoj <command>`.',
  );
  process.exit(1);
}
await import('../src/cli.ts');
