// The `khoj` command line.
import { Command, InvalidArgumentError } from 'commander';
import { registerAdminCommands } from './admin/commands.ts';
import { registerInterchangeCommands } from './admin/interchange-commands.ts';
import { runDemo } from './demo/demo.ts';
import { initFederationCommand } from './federation/init.ts';
import { federationLayout } from './federation/layout.ts';
import { createNode } from './federation/node-create.ts';
import { registerHubLogCommand } from './hub-log/command.ts';
import { registerMatchCommand } from './match/command.ts';
import { startHubProcess, startNodeProcess } from './run/services.ts';
import { registerSynthCommand } from './synth/command.ts';
import { registerCaCommands } from './trust/ca-commands.ts';
import { registerHubTrustCommands } from './trust/hub-commands.ts';
import { registerNodeTrustCommands } from './trust/node-commands.ts';

const program = new Command('khoj')
  .description('khoj: federated tracking of missing and found children')
  .option('--home <dir>', 'where the federation lives', '.khoj')
  .showHelpAfterError();

const port = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new InvalidArgumentError('not a TCP port');
  return parsed;
};
const home = () => program.opts<{ home: string }>().home;

const federation = program.command('federation').description('set up a federation');
federation
  .command('init')
  .description('create the root CA, the issuing CA, and the hub certificate and keys')
  .option('--name <name>', 'federation name', 'khoj federation')
  .option('--hub-host <names...>', 'DNS names of the hub', ['localhost'])
  .action(async (options: { name: string; hubHost: string[] }) => {
    const layout = await initFederationCommand(home(), { name: options.name, hubHostnames: options.hubHost });
    console.log(
      `federation created in ${layout.root}\ntrust anchor: ${layout.rootCaCert}\n` +
        `anchor file for node operators (root certificate + configuration key): ${layout.anchor}\n` +
        'the root CA key is stored encrypted under your passphrase; keep the passphrase offline',
    );
  });

const node = program.command('node').description('federation members');
node
  .command('create <nodeId>')
  .description('create a node: keys, CSR, certificate from the federation CA, hub registration')
  .option('--name <displayName>', 'display name')
  .option('--hub-url <url>', 'the hub this node talks to', 'https://localhost:7443')
  .action(async (nodeId: string, options: { name?: string; hubUrl: string }) => {
    const { paths } = await createNode(home(), nodeId, { displayName: options.name, hubUrl: options.hubUrl });
    console.log(`node ${nodeId} created in ${paths.home}`);
  });
node
  .command('start <nodeId>')
  .description('run a node (PostgreSQL with DATABASE_URL, BullMQ with REDIS_URL; embedded otherwise)')
  .option('--port <port>', 'API port (loopback)', port, 7081)
  .action(async (nodeId: string, options: { port: number }) => {
    const service = await startNodeProcess(nodeId, federationLayout(home()).node(nodeId).home, options.port, {
      env: {},
    });
    console.log(`${nodeId} ready at ${service.url}`);
    await untilSignal(service);
  });

const hub = program.command('hub').description('the federation hub');
registerHubLogCommand(hub);
hub
  .command('start')
  .description('run the hub (PostgreSQL with DATABASE_URL; embedded otherwise)')
  .option('--port <port>', 'HTTPS port', port, 7443)
  .action(async (options: { port: number }) => {
    const service = await startHubProcess(federationLayout(home()).hub.home, options.port, { env: {} });
    console.log(`hub ready at ${service.url}`);
    await untilSignal(service);
  });

program
  .command('demo')
  .description(
    'run a demo federation (hub + IN-WB, BD, NP) on the embedded default and publish a report across it',
  )
  .option('--hub-port <port>', 'hub HTTPS port', port, 7443)
  .option('--node-port <port>', 'first node API port', port, 7081)
  .option('--exit-when-ready', 'stop once the report has crossed (for scripts)')
  .action(async (options: { hubPort: number; nodePort: number; exitWhenReady?: boolean }) => {
    await runDemo({ home: home(), ...options });
  });

registerNodeTrustCommands(node, home);
registerHubTrustCommands(hub, home);
registerCaCommands(program, home);
registerAdminCommands(program, home);
registerInterchangeCommands(program, home);
registerSynthCommand(program);
registerMatchCommand(program, home);

async function untilSignal(service: { stop(): Promise<void>; exited: Promise<unknown> }) {
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    void service.exited.then(() => resolve());
  });
  await service.stop();
}

try {
  await program.parseAsync();
} catch (error) {
  console.error(`khoj: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
