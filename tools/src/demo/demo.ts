// `khoj demo` (what `npm start` runs): a federation of a hub and three nodes — West Bengal
// (IN-WB), Bangladesh (BD) and Nepal (NP) — each its own process on the embedded database. A
// missing-child report is published at NP for reunification with IN-* and BD, and seen to arrive
// at IN-WB and BD. Runs until Ctrl-C, which stops every process. A second run reuses `.khoj/`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CreatedReport, ForeignSummary, ReportInput } from '@khoj/contracts';
import { writePrivateFile } from '@khoj/pki';
import { initFederation } from '../federation/init.ts';
import { federationLayout } from '../federation/layout.ts';
import { createNode } from '../federation/node-create.ts';
import { type ServiceProcess, startHubProcess, startNodeProcess } from '../run/services.ts';
import { demoTokenPath, ensureDemoAccount } from './demo-accounts.ts';

export const DEMO_NODES = [
  { nodeId: 'IN-WB', displayName: 'West Bengal, India' },
  { nodeId: 'BD', displayName: 'Bangladesh' },
  { nodeId: 'NP', displayName: 'Nepal' },
] as const;

export type DemoOptions = {
  home: string;
  hubPort: number;
  /** Nodes listen on nodePort, nodePort + 1, … in DEMO_NODES order. */
  nodePort: number;
  print?: (line: string) => void;
  /** Stop everything once the report has crossed (for tests); otherwise wait for Ctrl-C. */
  exitWhenReady?: boolean;
};

export async function runDemo(options: DemoOptions): Promise<void> {
  const print = options.print ?? ((line: string) => console.log(line));
  const started = Date.now();
  const layout = federationLayout(options.home);
  const hubUrl = `https://localhost:${options.hubPort}`;
  if (!existsSync(layout.rootCaCert)) {
    print(
      `Creating a federation in ${layout.root} (root CA, issuing CA, hub, ${DEMO_NODES.map((n) => n.nodeId).join(', ')}) …`,
    );
    const { rootKeyPassphrase } = await initFederation(options.home, { name: 'khoj demo federation' });
    // A demo only: the passphrase beside the key it protects, so `khoj ca …` can be tried.
    await writePrivateFile(demoPassphrasePath(options.home), `${rootKeyPassphrase}\n`);
  } else if (!existsSync(layout.anchor)) {
    throw new Error(
      `${layout.root} was made by an older khoj (no trust anchor for the signed federation configuration); remove it and run the demo again`,
    );
  } else print(`Reusing the federation in ${layout.root}`);
  const tokens: Record<string, string> = {};
  for (const node of DEMO_NODES) {
    if (!existsSync(layout.node(node.nodeId).identity))
      await createNode(options.home, node.nodeId, { ...node, hubUrl });
    tokens[node.nodeId] = await ensureDemoAccount(options.home, node.nodeId);
  }
  const tokenOf = (nodeId: string) => tokens[nodeId] ?? '';

  const services: ServiceProcess[] = [];
  // Nodes first, so that none of them sees its hub vanish.
  const stopAll = async () => {
    const [hub, ...nodes] = services;
    await Promise.all(nodes.map((service) => service.stop()));
    await hub?.stop();
  };
  try {
    const env = { DATABASE_URL: undefined, REDIS_URL: undefined, KHOJ_HUB_URL: hubUrl };
    services.push(await startHubProcess(layout.hub.home, options.hubPort, { env }));
    const nodes = await Promise.all(
      DEMO_NODES.map((node, index) =>
        startNodeProcess(node.nodeId, layout.node(node.nodeId).home, options.nodePort + index, { env }),
      ),
    );
    services.push(...nodes);
    const nodeUrl = (nodeId: string) =>
      nodes[DEMO_NODES.findIndex((node) => node.nodeId === nodeId)]?.url ?? '';

    const created = await publishMissingChild(nodeUrl('NP'), tokenOf('NP'));
    print(
      `NP registered missing child ${created.report.caseId} and published it to ${created.publication?.recipients.join(', ')}`,
    );
    for (const receiver of ['IN-WB', 'BD']) {
      const arrived = await waitForSummary(
        nodeUrl(receiver),
        created.report.caseId,
        60_000,
        tokenOf(receiver),
      );
      print(
        `  arrived at ${receiver}: ${arrived.summary.child.name} (${arrived.fields} tier, for ${arrived.purposes.join(', ')}), verified and decrypted`,
      );
    }
    print(`hub    ${services[0]?.url}  (mutual TLS)`);
    for (const node of DEMO_NODES) {
      print(`${node.nodeId.padEnd(6)} ${nodeUrl(node.nodeId)}  ${node.displayName}`);
    }
    const tokenFile = demoTokenPath(options.home, 'IN-WB');
    print(
      `Try: curl -H "Authorization: Bearer $(cat ${tokenFile})" ${nodeUrl('IN-WB')}/v1/foreign-summaries`,
    );
    print(
      `Root CA passphrase (demo only): KHOJ_ROOT_PASSPHRASE=$(cat ${demoPassphrasePath(options.home)}) khoj --home ${options.home} ca rotate-issuing`,
    );
    print(`The federation is ready (${((Date.now() - started) / 1000).toFixed(1)} s). Press Ctrl-C to stop.`);
    if (options.exitWhenReady) return;
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
      for (const service of services) void service.exited.then(() => resolve());
    });
    print('Stopping …');
  } finally {
    await stopAll();
  }
}

/** Where the demo keeps its root CA passphrase (a real federation keeps it offline). */
export function demoPassphrasePath(home: string): string {
  return join(federationLayout(home).root, 'DEMO-ROOT-PASSPHRASE');
}

async function publishMissingChild(nodeUrl: string, token: string): Promise<CreatedReport> {
  const now = new Date();
  const report: ReportInput = {
    kind: 'missing',
    child: {
      name: 'सीता तामाङ',
      aliases: ['Sita Tamang', 'Kanchhi'],
      sex: 'female',
      age: { years: 12 },
      languages: ['ne', 'hi'],
    },
    place: {
      country: 'NP',
      state: 'Bagmati',
      district: 'Sindhupalchok',
      description: 'Last seen at the Melamchi bus park',
    },
    missing: {
      firNumber: 'SPC-2026-0412',
      circumstances: 'Left for school and did not return; seen with a stranger at the bus park.',
      guardians: [{ name: 'मीना तामाङ', relation: 'mother', phones: ['+977 980 000 0000'] }],
    },
    eventDate: new Date(now.getTime() - 3 * 86_400_000).toISOString().slice(0, 10),
    consent: {
      purposes: ['reunification'],
      recipients: ['IN-*', 'BD'],
      fields: 'standard',
      legalBasis: 'guardian_consent',
      expiresAt: new Date(now.getTime() + 365 * 86_400_000).toISOString(),
      grantedBy: 'Inspector, Sindhupalchok District Police Office',
    },
  };
  const response = await fetch(`${nodeUrl}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(report),
  });
  if (response.status !== 201)
    throw new Error(`NP refused the demo report: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreatedReport;
}

export async function waitForSummary(
  nodeUrl: string,
  caseId: string,
  timeoutMs: number,
  token: string,
): Promise<ForeignSummary> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${nodeUrl}/v1/foreign-summaries`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`${nodeUrl} answered ${response.status}: ${await response.text()}`);
    const { summaries } = (await response.json()) as { summaries: ForeignSummary[] };
    const found = summaries.find((summary) => summary.summary.caseId === caseId);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`case ${caseId} did not arrive at ${nodeUrl} within ${timeoutMs} ms`);
}
