// Starts the hub and nodes as separate processes (the demo and the federation tests use this):
// each is `node <service>/src/main.ts` with its configuration in the environment. A service
// is up when it prints its `ready` line; its other output is passed on with a prefix.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HUB_MAIN = fileURLToPath(new URL('../../../hub/src/main.ts', import.meta.url));
const NODE_MAIN = fileURLToPath(new URL('../../../nodes/src/main.ts', import.meta.url));

export type ServiceProcess = {
  name: string;
  url: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
};

export type ServiceOptions = {
  env: Record<string, string | undefined>;
  /** Receives each line the service prints (default: stderr with a `[name]` prefix). */
  output?: (name: string, line: string) => void;
  readyTimeoutMs?: number;
};

export function startHubProcess(home: string, port: number, options: ServiceOptions) {
  return startService('hub', HUB_MAIN, {
    ...options,
    env: { KHOJ_HUB_HOME: home, KHOJ_HUB_PORT: String(port), ...options.env },
  });
}

export function startNodeProcess(nodeId: string, home: string, port: number, options: ServiceOptions) {
  return startService(nodeId, NODE_MAIN, {
    ...options,
    env: { KHOJ_NODE_HOME: home, KHOJ_NODE_PORT: String(port), KHOJ_NODE_ID: nodeId, ...options.env },
  });
}

export async function startService(
  name: string,
  main: string,
  options: ServiceOptions,
): Promise<ServiceProcess> {
  const output = options.output ?? ((service, line) => process.stderr.write(`[${service}] ${line}\n`));
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not report ready within ${options.readyTimeoutMs ?? 60_000} ms`)),
      options.readyTimeoutMs ?? 60_000,
    );
    const onLine = (line: string) => {
      const ready = parseReady(line);
      if (ready) {
        clearTimeout(timer);
        resolve(ready);
      } else output(name, line);
    };
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', onLine);
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) =>
      output(name, line),
    );
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready`));
    });
  });
  return {
    name,
    url,
    child,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}

function parseReady(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(line) as { status?: string; url?: string };
    return parsed.status === 'ready' && parsed.url ? parsed.url : undefined;
  } catch {
    return undefined;
  }
}
