// `khoj node enrol | rotate-keys | renew`: a node's side of trust administration, run on the
// node machine over its home.
import { type Command, InvalidArgumentError } from 'commander';
import { enrolNode } from './node-enrol.ts';
import { renewNodeCertificate, rotateNodeKeys } from './node-keys.ts';

/** `--wait` without a number waits this long, seconds. */
const DEFAULT_WAIT_SECONDS = 600;

export function registerNodeTrustCommands(node: Command, home: () => string): void {
  node
    .command('enrol <nodeId>')
    .description(
      'ask to join the federation with an invitation token; run again (or --wait) to fetch the certificate once approved',
    )
    .option('--hub <url>', "the hub's mutual-TLS URL", 'https://localhost:7443')
    .option('--enrol-url <url>', "the hub's public listener (default: the --hub port + 1)")
    .option('--token <token>', 'the enrolment token from the hub administrator')
    .option(
      '--anchor <file>',
      'the anchor file (root certificate + configuration key) from the hub administrator',
    )
    .option('--name <displayName>', 'display name')
    .option('--wait [seconds]', `wait for approval (default ${DEFAULT_WAIT_SECONDS} s)`, seconds)
    .action(
      async (
        nodeId: string,
        options: {
          hub: string;
          enrolUrl?: string;
          token?: string;
          anchor?: string;
          name?: string;
          wait?: number | true;
        },
      ) => {
        const outcome = await enrolNode(home(), nodeId, {
          hubUrl: options.hub,
          ...(options.enrolUrl ? { enrolUrl: options.enrolUrl } : {}),
          ...(options.token ? { token: options.token } : {}),
          ...(options.anchor ? { anchorFile: options.anchor } : {}),
          ...(options.name ? { displayName: options.name } : {}),
          waitSeconds: options.wait === true ? DEFAULT_WAIT_SECONDS : (options.wait ?? 0),
        });
        // Scripts can tell "submitted, not yet approved" from success and from failure (1).
        if (outcome.status === 'pending') process.exitCode = 3;
      },
    );

  node
    .command('rotate-keys <nodeId>')
    .description(
      'new signing and encryption keys, published at the hub; the old ones stay valid for the overlap',
    )
    .option('--signing-only', 'rotate only the signing key')
    .option('--encryption-only', 'rotate only the encryption key')
    .option('--overlap-hours <hours>', 'hours the replaced keys stay valid (default: a week)', hours)
    .action(
      async (
        nodeId: string,
        options: { signingOnly?: boolean; encryptionOnly?: boolean; overlapHours?: number },
      ) => {
        if (options.signingOnly && options.encryptionOnly) {
          throw new Error('--signing-only and --encryption-only exclude each other');
        }
        await rotateNodeKeys(home(), nodeId, {
          signing: !options.encryptionOnly,
          encryption: !options.signingOnly,
          ...(options.overlapHours !== undefined ? { overlapHours: options.overlapHours } : {}),
        });
      },
    );

  node
    .command('renew <nodeId>')
    .description(
      "renew the node's TLS certificate now (a running node does it by itself at 2/3 of its lifetime)",
    )
    .action(async (nodeId: string) => {
      await renewNodeCertificate(home(), nodeId);
    });
}

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('a whole number of seconds');
  return parsed;
}

function hours(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 720) {
    throw new InvalidArgumentError('a whole number of hours from 0 to 720');
  }
  return parsed;
}
