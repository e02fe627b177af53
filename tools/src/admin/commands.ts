// `khoj unit|user|token|audit …`: administration of a node's own store (directory units, users,
// API tokens, the audit chain). Runs against the node's database — PostgreSQL when DATABASE_URL
// is set, otherwise its embedded store, which needs the node stopped.
import { createReadStream } from 'node:fs';
import { PERMISSIONS, type Permission, ROLES, UNIT_TYPES } from '@khoj/contracts';
import {
  CLI_ACTOR,
  createToken,
  createUser,
  disableUser,
  importUnits,
  insertUnit,
  type NodeStore,
  openNodeStore,
  type Role,
  revokeToken,
  UNIT_COLUMNS,
  verifyAuditChain,
} from '@khoj/node';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { federationLayout } from '../federation/layout.ts';
import { readSecret } from './prompt.ts';

export function registerAdminCommands(program: Command, home: () => string): void {
  const withStore = async <T>(nodeId: string, work: (store: NodeStore) => Promise<T>): Promise<T> => {
    const store = await openNodeStore(federationLayout(home()).node(nodeId).home, process.env.DATABASE_URL);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };

  const unit = program.command('unit').description("a node's directory of units");
  unit
    .command('add <nodeId>')
    .description('add a unit (police station, CCI, CWC, DCPU, SCPU, AHTU …); prints its id')
    .requiredOption('--name <name>', 'the unit name')
    .addOption(new Option('--type <type>', 'unit type').choices(UNIT_TYPES).makeOptionMandatory())
    .requiredOption('--country <code>', 'ISO 3166-1 alpha-2 country')
    .option('--state <state>')
    .option('--district <district>')
    .action(
      async (
        nodeId: string,
        options: {
          name: string;
          type: (typeof UNIT_TYPES)[number];
          country: string;
          state?: string;
          district?: string;
        },
      ) => {
        const row = await withStore(nodeId, (store) =>
          insertUnit(store.db, {
            ...options,
            country: options.country.toUpperCase(),
            phones: [],
            emails: [],
            active: true,
          }),
        );
        console.log(row.id);
      },
    );

  unit
    .command('import <nodeId> <file>')
    .description(
      `load units from a CSV file (columns: ${UNIT_COLUMNS.join(', ')}); loading again updates them`,
    )
    .action(async (nodeId: string, file: string) => {
      const summary = await withStore(nodeId, (store) =>
        importUnits(store.db, createReadStream(file), CLI_ACTOR),
      );
      for (const error of summary.errors)
        console.error(`line ${error.line}: ${error.field}: ${error.reason}`);
      console.log(
        `${file}: ${summary.added} units added, ${summary.updated} updated, ${summary.invalid} invalid`,
      );
      if (summary.invalid > 0) process.exitCode = 3;
    });

  const user = program.command('user').description("a node's users");
  user
    .command('add <nodeId> <username>')
    .description('add a user; the password is read from standard input (or asked for at a terminal)')
    .addOption(new Option('--role <role>', 'the role').choices(ROLES).makeOptionMandatory())
    .requiredOption('--unit <unitId>', 'the unit the user belongs to')
    .option('--name <displayName>', 'full name')
    .action(
      async (nodeId: string, username: string, options: { role: Role; unit: string; name?: string }) => {
        const password = await readSecret(`password for ${username}: `);
        const row = await withStore(nodeId, (store) =>
          createUser(
            store.db,
            {
              username,
              displayName: options.name ?? username,
              role: options.role,
              unitId: options.unit,
              password,
            },
            CLI_ACTOR,
          ),
        );
        console.log(`user ${row.username} (${row.role}) added as ${row.id}`);
      },
    );
  user
    .command('disable <nodeId> <username>')
    .description('disable a user and end their sessions')
    .requiredOption('--reason <reason>', 'why (recorded in the audit log)')
    .action(async (nodeId: string, username: string, options: { reason: string }) => {
      await withStore(nodeId, (store) => disableUser(store.db, username, CLI_ACTOR, options.reason));
      console.log(`user ${username} disabled`);
    });

  const token = program.command('token').description('API tokens for system integrations');
  token
    .command('create <nodeId>')
    .description('create an API token acting as a user, limited to some permissions; prints it once')
    .requiredOption('--user <username>', 'the user the token acts as')
    .requiredOption('--name <name>', 'what the token is for')
    .requiredOption('--scopes <permissions>', `comma-separated: ${PERMISSIONS.join(', ')}`, parseScopes)
    .option('--days <days>', 'days until it expires', parseDays, 90)
    .action(
      async (nodeId: string, options: { user: string; name: string; scopes: Permission[]; days: number }) => {
        const expiresAt = new Date(Date.now() + options.days * 86_400_000);
        const created = await withStore(nodeId, (store) =>
          createToken(
            store.db,
            { username: options.user, name: options.name, scopes: options.scopes, expiresAt },
            CLI_ACTOR,
          ),
        );
        console.log(
          `token ${created.id} (expires ${expiresAt.toISOString().slice(0, 10)}):\n${created.token}`,
        );
      },
    );
  token
    .command('revoke <nodeId> <tokenId>')
    .description('revoke an API token at once')
    .action(async (nodeId: string, tokenId: string) => {
      await withStore(nodeId, (store) => revokeToken(store.db, tokenId, CLI_ACTOR));
      console.log(`token ${tokenId} revoked`);
    });

  program
    .command('audit')
    .description("a node's audit log")
    .command('verify <nodeId>')
    .description('walk the hash chain and name the first broken entry')
    .action(async (nodeId: string) => {
      const result = await withStore(nodeId, (store) => verifyAuditChain(store.db));
      if (result.ok) {
        console.log(`audit chain intact: ${result.entries} entries`);
      } else {
        console.error(
          `audit chain broken at entry ${result.seq}: ${result.problem} (${result.entries} entries checked)`,
        );
        process.exitCode = 2;
      }
    });
}

function parseScopes(value: string): Permission[] {
  const scopes = value.split(',').map((scope) => scope.trim());
  const unknown = scopes.filter((scope) => !(PERMISSIONS as readonly string[]).includes(scope));
  if (unknown.length) throw new InvalidArgumentError(`unknown permission ${unknown.join(', ')}`);
  return scopes as Permission[];
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 730)
    throw new InvalidArgumentError('a whole number of days, 1 to 730');
  return days;
}
