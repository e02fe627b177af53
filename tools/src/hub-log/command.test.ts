// `khoj hub log verify` over a real hub home and its embedded database: intact after envelopes
// were accepted and checkpointed; after a row of the log is edited in the database it exits 2
// naming that entry; and a clear message when there is no hub.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envelopeDigest } from '@khoj/contracts';
import { createHubServices, type HubServices } from '@khoj/hub';
import { signJws } from '@khoj/pki';
import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sealedEnvelope } from '../../../hub/src/testing/envelopes.ts';
import { createTestFederation, type TestFederation } from '../../../hub/src/testing/test-federation.ts';
import { issueCheckpoint } from '../../../hub/src/transparency/log.store.ts';
import { LOG_BROKEN_EXIT_CODE, registerHubLogCommand } from './command.ts';

async function khoj(...args: string[]) {
  const program = new Command('khoj')
    .option('--home <dir>', 'where the federation lives', '.khoj')
    .exitOverride();
  registerHubLogCommand(program.command('hub'));
  const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'khoj', ...args]);
    return {
      code: process.exitCode ?? 0,
      stdout: out.mock.calls.map((call) => call.join(' ')).join('\n'),
      stderr: err.mock.calls.map((call) => call.join(' ')).join('\n'),
    };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

describe('khoj hub log verify', () => {
  let fed: TestFederation;
  const ids: string[] = [];
  const openHub = () =>
    createHubServices(
      { home: fed.hubHome, host: '127.0.0.1', port: 0, databaseUrl: undefined, maxWaitSeconds: 0 },
      { log: () => undefined },
    );

  beforeAll(async () => {
    fed = await createTestFederation(['NP', 'BD']);
    const services: HubServices = await openHub();
    try {
      for (let i = 0; i < 6; i++) {
        const envelope = await sealedEnvelope(fed.node('NP'), [fed.node('BD')]);
        const fields = {
          envelopeId: envelope.id,
          envelopeDigest: envelopeDigest(envelope),
          receivedAt: new Date().toISOString(),
        };
        const receipt = {
          ...fields,
          hubSignature: await signJws(JSON.stringify(fields), services.signingKey),
        };
        const outcome = await services.ingest.store({
          envelope,
          digest: envelopeDigest(envelope),
          receipt,
          recipients: ['BD'],
          traceparent: undefined,
        });
        expect(outcome).toBe('stored');
        ids.push(envelope.id);
        if (i === 2 || i === 5) await issueCheckpoint(services.db, services.configSigningKey, new Date());
      }
    } finally {
      await services.close();
    }
  });
  afterAll(() => fed?.cleanup());
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('reports an intact log with its entries, checkpoints and root', async () => {
    const result = await khoj('--home', fed.dir, 'hub', 'log', 'verify');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^transparency log intact: 6 entries, 2 signed checkpoints; root [0-9a-f]{64}$/,
    );
    const json = await khoj('--home', fed.dir, 'hub', 'log', 'verify', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, entries: 6, checkpoints: 2, treeSize: 6 });
  });

  it('exits 2 and names the entry whose row was edited in the database', async () => {
    const services = await openHub();
    try {
      await services.db.execute(sql`update transparency_leaves set origin = 'BD' where leaf_index = 4`);
    } finally {
      await services.close();
    }
    const result = await khoj('--home', fed.dir, 'hub', 'log', 'verify');
    expect(result.code).toBe(LOG_BROKEN_EXIT_CODE);
    expect(result.stderr).toContain(`transparency log broken: entry 4 (${ids[4]}): entry 4 was altered`);
  });

  it('says what is wrong when the directory holds no hub', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'khoj-empty-'));
    try {
      await expect(khoj('--home', empty, 'hub', 'log', 'verify')).rejects.toThrow(
        /no hub in .*khoj federation init/,
      );
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
