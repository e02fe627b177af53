// `khoj ca admin-cert` and `khoj ca rotate-issuing`: the certificate authority's operations,
// run on the hub machine over the hub home (never over HTTP). Administrator certificates come
// from the current issuing CA, whose key the hub holds; only when there is none valid, or to
// sign a new issuing CA, is the root key opened — with its passphrase, which the hub process
// never has (KHOJ_ROOT_PASSPHRASE, standard input, or typed at the terminal).
import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { ADMIN_ROLES, type AdminRole } from '@khoj/contracts';
import { type HubServices, issueAdminCert, rotateIssuingCa } from '@khoj/hub';
import { ADMIN_NAME_PATTERN, isPkiError, writePrivateFile, writePublicFile } from '@khoj/pki';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { federationLayout } from '../federation/layout.ts';
import { adminCertFiles, openHubHome } from './hub-admin.ts';
import { readRootPassphrase } from './passphrase.ts';

const cliActor = () => `cli:${userInfo().username}`;

/** The current issuing CA, or (asking for the root passphrase) a new one when none is valid. */
async function ensureIssuingCa(services: HubServices, print: (line: string) => void): Promise<void> {
  try {
    await services.ca.current(services.clock());
  } catch (error) {
    if ((error as { code?: string }).code !== 'CA_UNAVAILABLE') throw error;
    print('The hub has no valid issuing CA: the root CA signs a new one.');
    await rotate(services, await readRootPassphrase({ choosing: false }));
  }
}

async function rotate(services: HubServices, rootKeyPassphrase: string, validityDays?: number) {
  try {
    return await rotateIssuingCa(services, {
      rootKeyPassphrase,
      actor: cliActor(),
      ...(validityDays ? { validityDays } : {}),
    });
  } catch (error) {
    if (isPkiError(error, 'ERR_PASSPHRASE'))
      throw new Error('wrong root CA key passphrase; nothing was changed');
    throw error;
  }
}

/**
 * Issues an administrator certificate into `out`: admin.key.pem (made here, never leaves this
 * machine), admin.cert.pem (leaf + issuing CA) and federation-root.cert.pem (to check the hub).
 */
export async function issueAdminCertificateFiles(
  hubHome: string,
  options: {
    name: string;
    role: AdminRole;
    out: string;
    validityDays?: number;
    print?: (line: string) => void;
  },
) {
  if (!ADMIN_NAME_PATTERN.test(options.name)) {
    throw new Error(`administrator name ${options.name} must match ${ADMIN_NAME_PATTERN}`);
  }
  const services = await openHubHome(hubHome);
  try {
    await ensureIssuingCa(services, options.print ?? (() => undefined));
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const issued = await issueAdminCert(services, {
      subjectKey: publicKey,
      adminName: options.name,
      role: options.role,
      actor: cliActor(),
      ...(options.validityDays ? { validityDays: options.validityDays } : {}),
    });
    const files = adminCertFiles(options.out);
    await writePrivateFile(files.key, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    await writePublicFile(files.cert, issued.certificatePem);
    await writePublicFile(files.root, await readFile(services.paths.trustAnchor, 'utf8'));
    return { ...issued, files };
  } finally {
    await services.close();
  }
}

export function registerCaCommands(program: Command, home: () => string): void {
  const ca = program.command('ca').description("the federation's certificate authority (on the hub machine)");

  ca.command('admin-cert <name>')
    .description('issue an administrator client certificate (role inside) for the admin API')
    .addOption(new Option('--role <role>', 'what it may do').choices(ADMIN_ROLES).makeOptionMandatory())
    .requiredOption(
      '--out <dir>',
      'where to write admin.key.pem, admin.cert.pem and federation-root.cert.pem',
    )
    .option('--days <days>', 'validity in days', positive)
    .action(async (name: string, options: { role: AdminRole; out: string; days?: number }) => {
      const issued = await issueAdminCertificateFiles(federationLayout(home()).hub.home, {
        name,
        role: options.role,
        out: options.out,
        ...(options.days ? { validityDays: options.days } : {}),
        print: (line) => console.log(line),
      });
      console.log(
        `administrator certificate for ${name} (${options.role}), serial ${issued.serialHex}, valid until ${issued.notAfter.toISOString()}\n` +
          `  ${issued.files.cert}\n  ${issued.files.key} (private)\n` +
          `use it with: khoj hub <command> --admin-cert ${options.out} --hub-url <the hub's URL>`,
      );
    });

  ca.command('rotate-issuing')
    .description(
      'sign a new issuing CA with the root CA (asks for the root key passphrase); nodes need not re-enrol',
    )
    .option('--days <days>', 'validity of the new issuing CA in days', positive)
    .action(async (options: { days?: number }) => {
      const services = await openHubHome(federationLayout(home()).hub.home);
      try {
        const { current, live } = await rotate(
          services,
          await readRootPassphrase({ choosing: false }),
          options.days,
        );
        console.log(
          `new issuing CA ${current.serialHex}, valid until ${current.notAfter.toISOString()}; it issues from now on.\n` +
            `issuing CAs still valid: ${live.map((ca) => `${ca.serialHex} (until ${ca.notAfter.toISOString().slice(0, 10)})`).join(', ')}\n` +
            'Nodes move to the new CA at their next renewal (`khoj hub renew <node>` to hurry one).',
        );
      } finally {
        await services.close();
      }
    });
}

function positive(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('a positive whole number of days');
  return parsed;
}
