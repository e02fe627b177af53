// `khoj import` and `khoj export`: a node's reports in the interchange format (CSV or JSONL,
// described in the README). Import is idempotent on each row's `id`; invalid rows are named
// (line, field, reason) and skipped; a progress bar shows on a terminal.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  appendAudit,
  CLI_ACTOR,
  createProgress,
  detectFormat,
  exportCases,
  findUnit,
  type InterchangeFormat,
  importFile,
  openNodeStore,
} from '@khoj/node';
import { type Command, Option } from 'commander';
import { federationLayout } from '../federation/layout.ts';

export function registerInterchangeCommands(program: Command, home: () => string): void {
  const open = (nodeId: string) =>
    openNodeStore(federationLayout(home()).node(nodeId).home, process.env.DATABASE_URL);

  program
    .command('import <nodeId> <file>')
    .description('import missing/found reports from a .csv or .jsonl file (re-importing changes nothing)')
    .requiredOption('--unit <unitId>', 'the unit that owns the imported reports')
    .addOption(
      new Option('--format <format>', 'file format (default: from the file name)').choices(['csv', 'jsonl']),
    )
    .action(async (nodeId: string, file: string, options: { unit: string; format?: InterchangeFormat }) => {
      const format = options.format ?? detectFormat(file);
      const { size } = await stat(file);
      const store = await open(nodeId);
      try {
        if (!(await findUnit(store.db, options.unit)))
          throw new Error(`no unit ${options.unit} at ${nodeId}`);
        const progress = createProgress({ label: `importing ${file}`, stream: process.stderr });
        const started = Date.now();
        let reported = 0;
        const summary = await importFile(store.db, file, {
          ownerUnitId: options.unit,
          importedBy: CLI_ACTOR,
          format,
          onProgress: (rows) => progress.tick(rows),
          onErrors: (errors) => {
            for (const error of errors) {
              if (reported++ < 1_000) console.error(`line ${error.row}: ${error.field}: ${error.reason}`);
            }
          },
        });
        const seconds = (Date.now() - started) / 1000;
        const total = summary.imported + summary.alreadyPresent + summary.invalid;
        progress.done(
          `${file} (${(size / 1e6).toFixed(1)} MB): ${summary.imported} imported, ${summary.alreadyPresent} already present, ` +
            `${summary.invalid} invalid — ${Math.round(total / Math.max(seconds, 0.001))} rows/s`,
        );
        if (summary.invalid > 0) process.exitCode = 3;
      } finally {
        await store.close();
      }
    });

  program
    .command('export <nodeId>')
    .description("write the node's reports in the interchange format")
    .requiredOption('--out <file>', 'where to write (.csv or .jsonl)')
    .addOption(
      new Option('--format <format>', 'file format (default: from the file name)').choices(['csv', 'jsonl']),
    )
    .action(async (nodeId: string, options: { out: string; format?: InterchangeFormat }) => {
      const format = options.format ?? detectFormat(options.out);
      const store = await open(nodeId);
      try {
        // Exporting reads every child's record: audited before a byte is written.
        await appendAudit(store.db, {
          actorId: CLI_ACTOR,
          action: 'case.export',
          recordType: 'case',
          recordId: '*',
          reason: options.out,
        });
        const out = createWriteStream(options.out, { mode: 0o600 });
        let chunks = 0;
        for await (const chunk of exportCases(store.db, format)) {
          chunks += 1;
          if (!out.write(chunk)) await once(out, 'drain');
        }
        out.end();
        await once(out, 'finish');
        // A CSV starts with its header line; every other chunk is one report.
        console.log(`wrote ${format === 'csv' ? chunks - 1 : chunks} reports to ${options.out}`);
      } finally {
        await store.close();
      }
    });
}
