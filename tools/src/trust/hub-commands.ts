// `khoj hub invite | enrolments | approve | deny | nodes | revoke | renew | config-history |
// audit verify`: trust administration of the hub. On the hub machine they act on the hub home
// directly; with --admin-cert <dir> (from `khoj ca admin-cert`) through the admin API.
import { RevocationReason } from '@khoj/contracts';
import { assertNodeId } from '@khoj/pki';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { federationLayout } from '../federation/layout.ts';
import { directHubAdmin, type EnrolmentFilter, type HubAdmin, remoteHubAdmin } from './hub-admin.ts';

type AccessOptions = { adminCert?: string; hubUrl: string; admin?: string; json?: boolean };

const DEFAULT_HUB_URL = 'https://localhost:7443';

export function registerHubTrustCommands(hub: Command, home: () => string): void {
  const withAccess = (command: Command) =>
    command
      .option('--admin-cert <dir>', 'act through the admin API with this administrator certificate')
      .option('--hub-url <url>', "the hub's mutual-TLS URL (with --admin-cert)", DEFAULT_HUB_URL)
      .option('--json', 'print the result as JSON');

  const act = async <T>(options: AccessOptions, work: (admin: HubAdmin) => Promise<T>): Promise<T> => {
    const admin = options.adminCert
      ? await remoteHubAdmin(options.hubUrl, options.adminCert)
      : await directHubAdmin(federationLayout(home()).hub.home, options.admin);
    try {
      return await work(admin);
    } finally {
      await admin.close();
    }
  };
  const print = (options: AccessOptions, result: unknown, lines: () => string[]) => {
    console.log(options.json ? JSON.stringify(result, null, 2) : lines().join('\n'));
  };

  withAccess(
    hub
      .command('invite <nodeId>')
      .description('invite a node to enrol: prints a one-time token to hand to its operator out of band')
      .option('--name <displayName>', "the node's display name (default: its id)")
      .option('--days <days>', 'days the token stays usable (at most 30)', days, 3),
  ).action(async (nodeId: string, options: AccessOptions & { name?: string; days: number }) => {
    assertNodeId(nodeId);
    const created = await act(options, (admin) =>
      admin.invite({ nodeId, displayName: options.name ?? nodeId, expiresInHours: options.days * 24 }),
    );
    print(options, created, () => [
      `invitation ${created.invitation.id} for ${nodeId}, usable until ${created.invitation.expiresAt}`,
      "enrolment token (shown once; hand it to the node's operator out of band, with the anchor file):",
      created.token,
    ]);
  });

  withAccess(
    hub
      .command('enrolments')
      .description('enrolment requests with their key fingerprints (compare them with the node operator)')
      .addOption(
        new Option('--status <status>', 'which requests')
          .choices(['pending', 'approved', 'denied', 'all'])
          .default('pending'),
      ),
  ).action(async (options: AccessOptions & { status: EnrolmentFilter }) => {
    const enrolments = await act(options, (admin) => admin.enrolments(options.status));
    print(options, enrolments, () =>
      enrolments.length === 0
        ? [`no ${options.status === 'all' ? '' : `${options.status} `}enrolments`]
        : enrolments.flatMap((enrolment) => [
            `${enrolment.id}  ${enrolment.nodeId} (${enrolment.displayName})  ${enrolment.status}  submitted ${enrolment.submittedAt}  approvals ${enrolment.approvals.length}/${enrolment.approvalsRequired}${enrolment.approvals.length ? ` (${enrolment.approvals.map((a) => a.admin).join(', ')})` : ''}`,
            `    TLS key SHA-256     ${enrolment.tlsKeySha256}`,
            `    signing key         ${enrolment.signingKid}  thumbprint ${enrolment.signingKeyThumbprint}`,
            `    encryption key      ${enrolment.encryptionKid}  thumbprint ${enrolment.encryptionKeyThumbprint}`,
            ...(enrolment.reason ? [`    reason              ${enrolment.reason}`] : []),
          ]),
    );
  });

  withAccess(
    hub
      .command('approve <enrolmentId>')
      .description('approve an enrolment; under dual control a second administrator must approve too')
      .option(
        '--admin <name>',
        'the approving administrator (on the hub home; the certificate names it otherwise)',
      ),
  ).action(async (enrolmentId: string, options: AccessOptions) => {
    const enrolment = await act(options, (admin) => admin.approve(enrolmentId));
    print(options, enrolment, () => [
      enrolment.status === 'approved'
        ? `${enrolment.nodeId} approved (${enrolment.approvals.map((a) => a.admin).join(', ')}): certificate ${enrolment.certificateSerial} issued; the node fetches it when it polls`
        : `approval recorded (${enrolment.approvals.length} of ${enrolment.approvalsRequired}): another administrator must approve ${enrolment.id}`,
    ]);
  });

  withAccess(
    hub
      .command('deny <enrolmentId>')
      .description('deny an enrolment')
      .requiredOption('--reason <text>', 'why (the node operator sees it)')
      .option('--admin <name>', 'the denying administrator (on the hub home)'),
  ).action(async (enrolmentId: string, options: AccessOptions & { reason: string }) => {
    const enrolment = await act(options, (admin) => admin.deny(enrolmentId, options.reason));
    print(options, enrolment, () => [`${enrolment.id} for ${enrolment.nodeId} denied: ${options.reason}`]);
  });

  withAccess(hub.command('nodes').description('members with their status and certificates')).action(
    async (options: AccessOptions) => {
      const nodes = await act(options, (admin) => admin.nodes());
      print(options, nodes, () =>
        nodes.length === 0
          ? ['no members']
          : nodes.flatMap((node) => [
              `${node.nodeId.padEnd(8)} ${node.status.padEnd(9)} ${node.displayName}${node.certificateExpiresAt ? `  certificate until ${node.certificateExpiresAt}` : ''}`,
              ...node.certificates.map(
                (certificate) =>
                  `    ${certificate.serialHex}  ${certificate.notBefore} → ${certificate.notAfter}${certificate.revokedAt ? `  revoked ${certificate.revokedAt} (${certificate.revocationReason})` : ''}`,
              ),
            ]),
      );
    },
  );

  withAccess(
    hub
      .command('revoke <nodeId>')
      .description('revoke a node: the hub refuses it at once, every node within one configuration refresh')
      .addOption(
        new Option('--reason <reason>', 'RFC 5280 reason')
          .choices(RevocationReason.options)
          .makeOptionMandatory(),
      ),
  ).action(async (nodeId: string, options: AccessOptions & { reason: RevocationReason }) => {
    assertNodeId(nodeId);
    const result = await act(options, (admin) => admin.revoke(nodeId, options.reason));
    print(options, result, () => [
      `${nodeId} revoked (${options.reason}): ${result.revoked.length ? `certificates ${result.revoked.join(', ')}` : 'it held no unrevoked certificate'}; federation configuration version ${result.configVersion}`,
    ]);
  });

  withAccess(
    hub
      .command('renew <nodeId>')
      .description(
        "re-issue a node's certificate for its current key (the node fetches it at its next check)",
      ),
  ).action(async (nodeId: string, options: AccessOptions) => {
    assertNodeId(nodeId);
    const issued = await act(options, (admin) => admin.renew(nodeId));
    print(options, issued, () => [
      `${nodeId}: certificate ${issued.serialHex} issued, valid ${issued.notBefore} → ${issued.notAfter}`,
    ]);
  });

  withAccess(hub.command('config-history').description('every published federation configuration')).action(
    async (options: AccessOptions) => {
      const versions = await act(options, (admin) => admin.configHistory());
      print(options, versions, () =>
        versions.map(
          (row) =>
            `v${String(row.version).padEnd(5)} issued ${row.issuedAt}  expires ${row.expiresAt}  ${row.reason}`,
        ),
      );
    },
  );

  withAccess(
    hub
      .command('audit')
      .description("the hub's hash-chained audit log")
      .command('verify')
      .description('check the chain; names the first altered, re-linked or missing entry'),
  ).action(async (options: AccessOptions) => {
    const check = await act(options, (admin) => admin.verifyAudit());
    if (check.ok) {
      print(options, check, () => [`hub audit chain intact: ${check.entries} entries`]);
      return;
    }
    if (options.json) console.log(JSON.stringify(check, null, 2));
    else console.error(`hub audit chain broken at entry ${check.seq}: ${check.problem}`);
    process.exitCode = 2;
  });
}

function days(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 30) {
    throw new InvalidArgumentError('a whole number of days from 1 to 30');
  }
  return parsed;
}
