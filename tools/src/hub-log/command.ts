// `khoj hub log verify`: recomputes the hub's transparency log from its database and checks every
// signed checkpoint against the configuration key in the anchor file; names the first bad entry.
// Runs on the hub machine over the hub home (`--home`, the federation directory) and its
// database (DATABASE_URL, else the embedded one, which the hub must not have open).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hubPaths, type LogCheck, verifyHubHomeLog } from '@khoj/hub';
import type { Command } from 'commander';
import { federationLayout } from '../federation/layout.ts';

/** Exit code when the log does not verify (1 is left for usage and other errors). */
export const LOG_BROKEN_EXIT_CODE = 2;

export function registerHubLogCommand(hub: Command): void {
  hub
    .command('log')
    .description("the hub's transparency log of accepted envelopes")
    .command('verify')
    .description(
      'recompute the whole log from the hub database, check every signed checkpoint; names the first bad entry',
    )
    .option('--json', 'print the result as JSON')
    .action(async function (this: Command) {
      const options = this.optsWithGlobals<{ home?: string; json?: boolean }>();
      const check = await verifyLog(federationLayout(options.home ?? '.khoj').hub.home);
      if (options.json) console.log(JSON.stringify(check, null, 2));
      if (check.ok) {
        if (!options.json) {
          console.log(
            `transparency log intact: ${check.entries} entries, ${check.checkpoints} signed checkpoints; root ${check.rootHash}`,
          );
        }
        return;
      }
      if (!options.json) console.error(`transparency log broken: ${describeProblem(check)}`);
      process.exitCode = LOG_BROKEN_EXIT_CODE;
    });
}

async function verifyLog(hubHome: string): Promise<LogCheck> {
  const paths = hubPaths(hubHome);
  if (!existsSync(paths.anchor)) {
    throw new Error(`no hub in ${hubHome}: run \`khoj federation init\` first, or give --home`);
  }
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (!databaseUrl) {
    if (!existsSync(paths.dataDir))
      throw new Error(`the hub in ${hubHome} has no database yet (${paths.dataDir})`);
    const lock = join(paths.dataDir, 'postmaster.pid');
    if (existsSync(lock)) {
      throw new Error(
        `the hub's embedded database is in use (${lock}): stop the hub first. (If no hub is running, a hub process ended without closing it: remove that file.)`,
      );
    }
  }
  return verifyHubHomeLog(hubHome, databaseUrl);
}

function describeProblem(check: Extract<LogCheck, { ok: false }>): string {
  const where =
    check.leafIndex === undefined
      ? ''
      : `entry ${check.leafIndex}${check.envelopeId ? ` (${check.envelopeId})` : ''}: `;
  return `${where}${check.problem} (${check.entries} entries and ${check.checkpoints} checkpoints checked before it)`;
}
