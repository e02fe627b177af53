// The node's federation configuration client against a hub whose answers the test writes, on
// PGlite and PostgreSQL, with a pinned clock: verification against the anchor, conditional
// requests, each refusal with its own code, persistence, and working on the held version while
// the hub is unreachable until it expires.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ConfigMember, FederationConfig } from '@khoj/contracts';
import { generateSigningKey } from '@khoj/pki';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { federationConfig } from '../db/schema/index.ts';
import { createDirectory } from '../exchange/directory.ts';
import { sealCaseSummary } from '../exchange/seal.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { createFederationTrust, FederationConfigUnavailable } from './federation-trust.ts';
import {
  type ConfigAuthority,
  configDocument,
  configMember,
  createConfigAuthority,
  publicOf,
  scriptedHub,
} from './test-support.ts';

const T0 = new Date('2026-05-01T08:00:00.000Z');
const hours = (n: number) => new Date(T0.getTime() + n * 3_600_000);

describe.each(['pglite', 'postgres'] as const)('the federation configuration client on %s', (database) => {
  let node: TestNode;
  let databaseUrl: string | undefined;
  let authority: ConfigAuthority;
  let members: Array<Awaited<ReturnType<typeof configMember>>>;
  let now: Date;
  /** `conditional: false`: a hub that ignores If-None-Match (a fault, or a fork). */
  let served: { status: number; body?: string; conditional?: boolean } | 'down';
  let logs: string[];

  const hubAnswers = () =>
    scriptedHub({
      'GET /v1/federation-config': (request) => {
        if (served === 'down') throw new TypeError('fetch failed: connect ECONNREFUSED');
        const { status, body } = served;
        const version = body
          ? JSON.parse(Buffer.from(body.split('.')[1] ?? '', 'base64url').toString()).version
          : 0;
        if (served.conditional !== false && request.headers.get('if-none-match') === `"${version}"`) {
          return new Response(null, { status: 304 });
        }
        return new Response(body ?? null, { status, headers: { 'content-type': 'application/jose' } });
      },
    });

  const newTrust = (hub = hubAnswers()) =>
    createFederationTrust({
      db: node.services.db,
      hub: hub.hub,
      anchor: authority.anchor,
      nodeId: 'IN-WB',
      clock: () => now,
      log: (line) => logs.push(line),
    });

  const serve = async (
    document: FederationConfig,
    signer?: Awaited<ReturnType<typeof generateSigningKey>>,
  ) => {
    served = { status: 200, body: await authority.sign(document, signer) };
  };

  const lastLog = () => logs.at(-1) ?? '';

  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
    authority = await createConfigAuthority(await readFile(node.services.paths.trustAnchor, 'utf8'));
    members = await Promise.all(['BD', 'IN-WB', 'NP'].map((id) => configMember(id, hours(-48))));
  });
  afterAll(async () => {
    await node?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });
  beforeEach(async () => {
    await node.services.db.delete(federationConfig);
    now = T0;
    logs = [];
  });

  const memberList = (): ConfigMember[] => members.map((entry) => entry.member);

  it('adopts a verified configuration, keeps it, rebuilds the directory, then asks with If-None-Match', async () => {
    const hub = hubAnswers();
    const trust = newTrust(hub);
    const suspended = { ...memberList()[0], status: 'suspended' } as ConfigMember;
    await serve(configDocument(3, [suspended, ...memberList().slice(1)], { issuedAt: T0 }));
    expect(await trust.refresh()).toEqual({ outcome: 'adopted', version: 3, previous: undefined });
    expect(lastLog()).toBe('federation configuration version 3 adopted');
    const directory = createDirectory(node.services.db, trust);
    // Only active members are recipients; their current keys are those of the configuration.
    expect((await directory.members()).map((member) => member.nodeId)).toEqual(['IN-WB', 'NP']);
    const np = (await directory.members()).find((member) => member.nodeId === 'NP');
    expect(np?.encryptionKeys.map((key) => key.kid)).toEqual([members[2]?.encryption.kid]);

    expect(await trust.refresh()).toEqual({ outcome: 'unchanged', version: 3 });
    expect(hub.calls.at(-1)?.headers.get('if-none-match')).toBe('"3"');
    const [row] = await node.services.db.select().from(federationConfig);
    expect(row).toMatchObject({ version: 3, expiresAt: hours(24) });
  });

  it('refuses a tampered, wrongly signed, expired or older document, each with its own code, and keeps what it holds', async () => {
    const trust = newTrust();
    await serve(configDocument(5, memberList(), { issuedAt: T0 }));
    await trust.refresh();

    const genuine = await authority.sign(configDocument(6, memberList(), { issuedAt: T0 }));
    const [header, , signature] = genuine.split('.');
    const altered = Buffer.from(
      JSON.stringify({ ...configDocument(6, memberList().slice(0, 1), { issuedAt: T0 }) }),
    ).toString('base64url');
    served = { status: 200, body: `${header}.${altered}.${signature}` };
    expect(await trust.refresh()).toMatchObject({ outcome: 'refused', code: 'ERR_CONFIG_SIGNATURE_INVALID' });
    expect(lastLog()).toContain('ERR_CONFIG_SIGNATURE_INVALID');
    expect(lastLog()).toContain('keeping version 5');

    const intruder = await generateSigningKey();
    await serve(configDocument(6, memberList(), { issuedAt: T0 }), intruder);
    expect(await trust.refresh()).toMatchObject({ outcome: 'refused', code: 'ERR_CONFIG_WRONG_KEY' });
    // The intruder's key under the anchor's kid: the signature check refuses it.
    served = {
      status: 200,
      body: await authority.sign(configDocument(6, memberList(), { issuedAt: T0 }), {
        ...intruder,
        kid: authority.key.kid,
      }),
    };
    expect(await trust.refresh()).toMatchObject({ outcome: 'refused', code: 'ERR_CONFIG_SIGNATURE_INVALID' });

    await serve(configDocument(6, memberList(), { issuedAt: hours(-30), hours: 24 }));
    expect(await trust.refresh()).toMatchObject({ outcome: 'refused', code: 'ERR_CONFIG_EXPIRED' });

    await serve(configDocument(4, memberList(), { issuedAt: T0 }));
    expect(await trust.refresh()).toMatchObject({ outcome: 'refused', code: 'ERR_CONFIG_ROLLBACK' });
    expect(lastLog()).toContain('ERR_CONFIG_ROLLBACK version 4 is older than version 5');

    await serve(configDocument(5, memberList().slice(1), { issuedAt: T0 }));
    served = { ...served, conditional: false };
    expect(await trust.refresh()).toMatchObject({ outcome: 'refused', code: 'ERR_CONFIG_VERSION_CONFLICT' });

    expect(await trust.heldVersion()).toBe(5);
    expect((await trust.current())?.members).toHaveLength(3);
  });

  it('holds the version across restarts, so a restarted node refuses a rollback too', async () => {
    await serve(configDocument(9, memberList(), { issuedAt: T0 }));
    await newTrust().refresh();
    const restarted = newTrust();
    expect(await restarted.heldVersion()).toBe(9);
    await serve(configDocument(8, memberList(), { issuedAt: T0 }));
    expect(await restarted.refresh()).toMatchObject({ code: 'ERR_CONFIG_ROLLBACK' });
  });

  it('does not trust a stored document altered at rest', async () => {
    await serve(configDocument(2, memberList(), { issuedAt: T0 }));
    await newTrust().refresh();
    const [row] = await node.services.db.select().from(federationConfig);
    const [header, , signature] = (row?.jws ?? '').split('.');
    const forged = Buffer.from(JSON.stringify(configDocument(2, [], { issuedAt: T0 }))).toString('base64url');
    await node.services.db.update(federationConfig).set({ jws: `${header}.${forged}.${signature}` });
    const restarted = newTrust();
    expect(await restarted.current()).toBeUndefined();
    expect(logs.join('\n')).toContain('the stored version 2 is not trusted: ERR_CONFIG_SIGNATURE_INVALID');
  });

  it('keeps verifying envelopes on the held version while the hub is down, until it expires', async () => {
    const trust = newTrust();
    await serve(configDocument(4, memberList(), { issuedAt: T0, hours: 24 }));
    await trust.refresh();
    const np = members[2];
    if (!np) throw new Error('no NP');
    const seal = (at: Date) =>
      sealCaseSummary({
        summary: {
          caseId: 'case_00mwzlkfi23fut3d6bhks4jtsl',
          origin: 'NP',
          kind: 'missing',
          version: 1,
          child: { sex: 'female', age: { years: 9 } },
          place: { country: 'NP' },
          eventDate: '2026-04-20',
        },
        scope: {
          purposes: ['reunification'],
          recipients: ['IN-WB'],
          fields: 'standard',
          legalBasis: 'guardian_consent',
          expiresAt: '2027-05-01T00:00:00.000Z',
          grantedBy: 'officer',
          grantedAt: '2026-04-21T00:00:00.000Z',
        },
        recipients: [{ nodeId: 'IN-WB', encryptionKey: publicOf(np.encryption) }],
        signingKey: np.signing,
        now: at,
      });

    served = 'down';
    now = hours(20);
    expect(await trust.refresh()).toMatchObject({ outcome: 'unreachable', code: 'ERR_CONFIG_UNREACHABLE' });
    expect(lastLog()).toContain('keeping version 4 until');
    expect((await trust.originSigningKeys(await seal(hours(19)))).map((key) => key.kid)).toEqual([
      np.signing.kid,
    ]);

    now = hours(24);
    await expect(trust.originSigningKeys(await seal(hours(23)))).rejects.toBeInstanceOf(
      FederationConfigUnavailable,
    );
    expect(logs.join('\n')).toContain('ERR_CONFIG_EXPIRED version 4 expired');

    // The hub is back with a newer version: the node takes it and verifies again.
    await serve(configDocument(5, memberList(), { issuedAt: hours(24) }));
    await trust.refresh();
    expect((await trust.originSigningKeys(await seal(hours(23)))).map((key) => key.kid)).toEqual([
      np.signing.kid,
    ]);
  });

  it('refreshes once for an origin it does not know yet (a member that has just joined)', async () => {
    const hub = hubAnswers();
    const trust = newTrust(hub);
    await serve(configDocument(1, memberList().slice(0, 2), { issuedAt: T0 }));
    await trust.refresh();
    const joined = await configMember('IN-BR', hours(-1));
    const envelope = await sealCaseSummary({
      summary: {
        caseId: 'case_00mwzlkfi23fut3d6bhks4jtsm',
        origin: 'IN-BR',
        kind: 'found',
        version: 1,
        child: { sex: 'male', age: { years: 7 } },
        place: { country: 'IN' },
        eventDate: '2026-04-29',
      },
      scope: {
        purposes: ['reunification'],
        recipients: ['IN-WB'],
        fields: 'standard',
        legalBasis: 'guardian_consent',
        expiresAt: '2027-05-01T00:00:00.000Z',
        grantedBy: 'officer',
        grantedAt: '2026-04-29T00:00:00.000Z',
      },
      recipients: [{ nodeId: 'IN-WB', encryptionKey: publicOf(joined.encryption) }],
      signingKey: joined.signing,
      now: T0,
    });
    await serve(configDocument(2, [...memberList().slice(0, 2), joined.member], { issuedAt: T0 }));
    const before = hub.calls.length;
    expect((await trust.originSigningKeys(envelope)).map((key) => key.kid)).toEqual([joined.signing.kid]);
    expect(hub.calls.length).toBe(before + 1);
  });

  it('says plainly when the node has no trust anchor', async () => {
    const trust = createFederationTrust({
      db: node.services.db,
      hub: hubAnswers().hub,
      anchor: undefined,
      nodeId: 'IN-WB',
      clock: () => now,
      log: (line) => logs.push(line),
    });
    expect(await trust.refresh()).toMatchObject({ outcome: 'refused', code: 'ERR_CONFIG_NO_ANCHOR' });
    expect(lastLog()).toContain('khoj node enrol --anchor');
  });
});
