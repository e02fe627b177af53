// Envelope verification through the inbox, with keys only from the signed federation
// configuration and a pinned clock: a key rotated out verifies what it signed during its overlap
// and nothing after; a revoked node's envelopes signed after the revocation are refused (logged
// with their code and acknowledged); without a valid configuration nothing is taken from the hub.
import { type CaseSummary, type ConfigMember, type Delivery, envelopeSigningInput } from '@khoj/contracts';
import { generateEncryptionKey, signDetached, toPublicJwk } from '@khoj/pki';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, federationConfig, inboxLog } from '../db/schema/index.ts';
import { createDirectory } from '../exchange/directory.ts';
import { pullOnce } from '../exchange/inbox.ts';
import { sealCaseSummary } from '../exchange/seal.ts';
import type { NodeServices } from '../services.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { createFederationTrust, FederationConfigUnavailable } from './federation-trust.ts';
import {
  configDocument,
  configMember,
  createConfigAuthority,
  publicOf,
  scriptedHub,
} from './test-support.ts';

const T0 = new Date('2026-06-01T00:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe('envelope verification at the node, by the federation configuration', () => {
  let node: TestNode;
  let services: NodeServices;
  let deliveries: Delivery[];
  let acked: string[][];
  let jws: string;
  let np: Awaited<ReturnType<typeof configMember>>;
  let npNext: Awaited<ReturnType<typeof configMember>>;
  let bd: Awaited<ReturnType<typeof configMember>>;
  let retired: Awaited<ReturnType<typeof generateEncryptionKey>>;
  const now = minutes(120);
  const logs: string[] = [];

  beforeAll(async () => {
    node = await createTestNode('IN-WB');
    const authority = await createConfigAuthority('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----');
    [np, npNext, bd] = await Promise.all([
      configMember('NP', minutes(-600)),
      configMember('NP', minutes(0)),
      configMember('BD', minutes(-600)),
    ]);
    retired = await generateEncryptionKey();
    const own = node.services.keys;
    const self: ConfigMember = {
      nodeId: 'IN-WB',
      displayName: 'IN-WB',
      country: 'IN',
      status: 'active',
      certificates: [],
      signingKeys: [
        {
          kid: own.signing.kid,
          jwk: { ...toPublicJwk(own.signing.privateJwk), kid: own.signing.kid },
          validFrom: minutes(-600).toISOString(),
        },
      ],
      encryptionKeys: [
        {
          kid: retired.kid,
          jwk: publicOf(retired),
          validFrom: minutes(-600).toISOString(),
          validUntil: minutes(60).toISOString(),
        },
        {
          kid: own.encryption.kid,
          jwk: { ...toPublicJwk(own.encryption.privateJwk), kid: own.encryption.kid },
          validFrom: minutes(0).toISOString(),
        },
      ],
    };
    // NP rotated at T0 with a 60-minute overlap; BD was revoked at T0 + 30 min.
    const [npOld] = np.member.signingKeys;
    const [npNew] = npNext.member.signingKeys;
    const [bdKey] = bd.member.signingKeys;
    if (!npOld || !npNew || !bdKey) throw new Error('keys missing');
    const config = configDocument(
      12,
      [
        {
          ...bd.member,
          status: 'revoked',
          signingKeys: [{ ...bdKey, validUntil: minutes(30).toISOString() }],
        },
        self,
        { ...np.member, signingKeys: [{ ...npOld, validUntil: minutes(60).toISOString() }, npNew] },
      ],
      {
        issuedAt: minutes(30),
        revocations: [
          { serialHex: '5eed', nodeId: 'BD', revokedAt: minutes(30).toISOString(), reason: 'keyCompromise' },
        ],
      },
    );
    jws = await authority.sign(config);
    const { hub } = scriptedHub({
      'GET /v1/federation-config': () => new Response(jws, { status: 200 }),
      'GET /v1/inbox': () => Response.json({ deliveries: deliveries.splice(0) }),
      'POST /v1/inbox/ack': async (request) => {
        const { envelopeIds } = (await request.json()) as { envelopeIds: string[] };
        acked.push(envelopeIds);
        return Response.json({ acknowledged: envelopeIds.length });
      },
    });
    const trust = createFederationTrust({
      db: node.services.db,
      hub,
      anchor: authority.anchor,
      nodeId: 'IN-WB',
      clock: () => now,
      log: (line) => logs.push(line),
    });
    services = {
      ...node.services,
      hub,
      trust,
      directory: createDirectory(node.services.db, trust),
      keys: { ...node.services.keys, retired: [{ kid: retired.kid, privateJwk: retired.privateJwk }] },
      clock: () => now,
      log: (line) => logs.push(line),
    };
  });
  afterAll(async () => {
    await node?.cleanup();
  });

  let counter = 0;
  const envelope = async (
    from: { signing: (typeof np)['signing'] },
    origin: string,
    signedAt: Date,
    encryptTo = { kid: services.keys.encryption.kid, jwk: toPublicJwk(services.keys.encryption.privateJwk) },
    version = 1,
  ) => {
    const summary: CaseSummary = {
      caseId: `case_00mwzlkfi23fut3d6bhks4j${String(++counter).padStart(3, '0')}`,
      origin,
      kind: 'missing',
      version,
      child: { sex: 'female', age: { years: 10 } },
      place: { country: origin.slice(0, 2) },
      eventDate: '2026-05-20',
    };
    return sealCaseSummary({
      summary,
      scope: {
        purposes: ['reunification'],
        recipients: ['IN-WB'],
        fields: 'standard',
        legalBasis: 'guardian_consent',
        expiresAt: '2027-06-01T00:00:00.000Z',
        grantedBy: 'officer',
        grantedAt: '2026-05-21T00:00:00.000Z',
      },
      recipients: [{ nodeId: 'IN-WB', encryptionKey: { ...encryptTo.jwk, kid: encryptTo.kid } }],
      signingKey: from.signing,
      now: signedAt,
    });
  };

  const outcome = async (envelopeId: string) => {
    const [row] = await services.db.select().from(inboxLog).where(eq(inboxLog.envelopeId, envelopeId));
    return row ? `${row.outcome}${row.reason ? ` ${row.reason.split(':')[0]}` : ''}` : 'not seen';
  };

  it('takes nothing from the hub while it holds no valid configuration', async () => {
    acked = [];
    const waiting = await envelope(np, 'NP', minutes(10));
    deliveries = [{ envelope: waiting }];
    const { hub } = scriptedHub({
      'GET /v1/federation-config': () => new Response(null, { status: 503 }),
      'GET /v1/inbox': () => Response.json({ deliveries: [{ envelope: waiting }] }),
    });
    const empty = createFederationTrust({
      db: services.db,
      hub,
      anchor: services.trust.anchor,
      nodeId: 'IN-WB',
      clock: () => now,
      log: () => undefined,
    });
    await services.db.delete(federationConfig);
    await expect(
      pullOnce({ ...services, hub, trust: empty, directory: createDirectory(services.db, empty) }, 0),
    ).rejects.toBeInstanceOf(FederationConfigUnavailable);
    expect(await outcome(waiting.id)).toBe('not seen');
    expect(acked).toEqual([]);
  });

  it('verifies each envelope with the keys valid when it was signed, refusing the rest with their codes', async () => {
    acked = [];
    await services.directory.refresh();
    const cases = {
      duringOverlap: await envelope(np, 'NP', minutes(59)),
      afterOverlap: await envelope(np, 'NP', minutes(61)),
      newKey: await envelope(npNext, 'NP', minutes(61)),
      beforeRevocation: await envelope(bd, 'BD', minutes(29)),
      afterRevocation: await envelope(bd, 'BD', minutes(31)),
      toRetiredKey: await envelope(npNext, 'NP', minutes(50), { kid: retired.kid, jwk: publicOf(retired) }),
    };
    deliveries = Object.values(cases).map((sealed) => ({ envelope: sealed }));
    expect(await pullOnce(services, 0)).toBe(6);

    expect(await outcome(cases.duringOverlap.id)).toBe('applied');
    expect(await outcome(cases.afterOverlap.id)).toBe('rejected ERR_KEY_NOT_VALID');
    expect(await outcome(cases.newKey.id)).toBe('applied');
    expect(await outcome(cases.beforeRevocation.id)).toBe('applied');
    expect(await outcome(cases.afterRevocation.id)).toBe('rejected ERR_ORIGIN_REVOKED');
    // Sealed to the encryption key this node rotated away from: it still opens.
    expect(await outcome(cases.toRetiredKey.id)).toBe('applied');
    // Refused envelopes are acknowledged too, so that they cannot block the inbox.
    expect(acked.flat().sort()).toEqual(
      Object.values(cases)
        .map((sealed) => sealed.id)
        .sort(),
    );
    expect(logs.join('\n')).toMatch(
      /rejected: ERR_ORIGIN_REVOKED BD was revoked at 2026-06-01T00:30:00.000Z/,
    );
  });

  it("refuses an envelope under another origin's id without taking that id from the rightful envelope", async () => {
    acked = [];
    await services.directory.refresh();
    const rightful = await envelope(np, 'NP', minutes(20));
    // BD (not yet revoked at minute 25) signs an envelope of its own under NP's id: the hub
    // refuses this, so only a hub that failed would deliver it — the node checks again.
    const own = await envelope(bd, 'BD', minutes(25));
    const { signature: _signature, ...unsigned } = { ...own, id: rightful.id };
    const squatted = {
      ...unsigned,
      signature: await signDetached(envelopeSigningInput(unsigned), bd.signing),
    };
    deliveries = [{ envelope: squatted }, { envelope: rightful }];
    expect(await pullOnce(services, 0)).toBe(2);

    expect(await outcome(rightful.id)).toBe('applied');
    const [logged] = await services.db.select().from(inboxLog).where(eq(inboxLog.envelopeId, rightful.id));
    expect(logged?.origin).toBe('NP');
    const refusals = await services.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'envelope.refused'), eq(auditLog.recordId, rightful.id)));
    expect(refusals.map((entry) => [entry.actorId, entry.reason?.split(':')[0]])).toEqual([
      ['node:BD', 'ERR_ENVELOPE_ID_MISMATCH'],
    ]);
    expect(logs.join('\n')).toMatch(/ERR_ENVELOPE_ID_MISMATCH/);
  });

  it('refuses a payload the store cannot take (a data exception) instead of retrying it forever', async () => {
    acked = [];
    await services.directory.refresh();
    const ownKey = {
      kid: services.keys.encryption.kid,
      jwk: toPublicJwk(services.keys.encryption.privateJwk),
    };
    // Valid to the schema, but past the 32-bit version column: PostgreSQL refuses it (22003).
    const unstorable = await envelope(np, 'NP', minutes(21), ownKey, 5_511_686_492);
    const next = await envelope(np, 'NP', minutes(22));
    deliveries = [{ envelope: unstorable }, { envelope: next }];
    expect(await pullOnce(services, 0)).toBe(2);
    expect(await outcome(unstorable.id)).toBe('rejected ERR_PAYLOAD_INVALID');
    expect(await outcome(next.id)).toBe('applied');
    expect(acked.flat()).toEqual([unstorable.id, next.id]);
  });
});
