// `npm start` runs `khoj demo`: this runs the same command in a fresh directory and checks what a
// newcomer is promised — a hub and three node processes on the embedded default, the NP report
// visible at IN-WB's API, a ready line, and Ctrl-C stopping every process. A second run reuses
// the federation it made.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ForeignSummary } from '@khoj/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/ports.ts';

const KHOJ = fileURLToPath(new URL('../../tools/bin/khoj.js', import.meta.url));

function startDemo(home: string, hubPort: number, nodePort: number) {
  const child = spawn(
    process.execPath,
    [KHOJ, '--home', home, 'demo', '--hub-port', String(hubPort), '--node-port', String(nodePort)],
    {
      env: { ...process.env, DATABASE_URL: undefined, REDIS_URL: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('The federation is ready')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`demo exited with ${code} before it was ready:\n${output}`));
    });
  });
  return { child, ready, exited, output: () => output };
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => socket.destroy() || resolve(true));
    socket.once('error', () => resolve(false));
  });

async function consecutiveFreePorts(count: number): Promise<number> {
  for (;;) {
    const base = await freePort();
    if (base + count > 65535) continue;
    const taken = await Promise.all(Array.from({ length: count }, (_, i) => listening(base + i)));
    if (!taken.some(Boolean)) return base;
  }
}

describe('khoj demo (npm start)', () => {
  let home: string | undefined;
  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('runs hub, IN-WB, BD and NP, shows the NP report at IN-WB, and stops them all on Ctrl-C; a second run reuses the federation', async () => {
    home = await mkdtemp(join(tmpdir(), 'khoj-demo-'));
    const hubPort = await freePort();
    const nodePort = await consecutiveFreePorts(3);

    for (const run of ['first', 'second'] as const) {
      const demo = startDemo(home, hubPort, nodePort);
      await demo.ready;
      const output = demo.output();
      expect(output).toContain(run === 'first' ? 'Creating a federation' : 'Reusing the federation');
      expect(output).toMatch(new RegExp(`hub +https://127\\.0\\.0\\.1:${hubPort}`));
      for (const [index, nodeId] of ['IN-WB', 'BD', 'NP'].entries()) {
        expect(output).toContain(`${nodeId.padEnd(6)} http://127.0.0.1:${nodePort + index}`);
      }
      const caseId = output.match(/NP registered missing child (case_[0-9a-z]+)/)?.[1];
      const token = (await readFile(join(home, 'nodes', 'IN-WB', 'demo-token'), 'utf8')).trim();
      const atInwb = (await (
        await fetch(`http://127.0.0.1:${nodePort}/v1/foreign-summaries?origin=NP`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { summaries: ForeignSummary[] };
      expect(atInwb.summaries.map((s) => s.summary.caseId)).toContain(caseId);

      demo.child.kill('SIGINT');
      expect(await demo.exited).toBe(0);
      for (const port of [hubPort, nodePort, nodePort + 1, nodePort + 2])
        expect(await listening(port)).toBe(false);
    }
  }, 240_000);
});
