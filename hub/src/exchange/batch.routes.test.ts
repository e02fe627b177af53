// POST /v1/envelopes/batch over a real HTTPS server with mutual TLS, on PGlite and PostgreSQL:
// each envelope of a batch answered with its own status, code and receipt, nothing stored (or
// delivered, or logged) for a refused one, and the order of a batch kept through to the inbox.
import { randomUUID } from 'node:crypto';
import { canonicalJson, type Envelope, envelopeDigest, MAX_ENVELOPE_BATCH } from '@khoj/contracts';
import { readPrivateJwk, toPublicJwk, verifyJws } from '@khoj/pki';
import type { RunningServer } from '@khoj/platform';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { deliveries, envelopeRefusals, envelopes, transparencyLeaves } from '../db/schema/index.ts';
import { startHubServer } from '../server.ts';
import { createHubServices, type HubServices } from '../services.ts';
import {
  createTestFederation,
  mtlsClient,
  resign,
  signedEnvelope,
  type TestFederation,
} from '../testing/test-federation.ts';

describe.each(['pglite', 'postgres'] as const)('hub envelope batches on %s', (database) => {
  let fed: TestFederation;
  let services: HubServices;
  let server: RunningServer;
  let databaseUrl: string | undefined;
  let np: ReturnType<typeof mtlsClient>;
  let bd: ReturnType<typeof mtlsClient>;

  beforeAll(async () => {
    fed = await createTestFederation(['NP', 'BD', 'IN-WB']);
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `hub_${randomUUID().slice(0, 8)}`)
        : undefined;
    services = await createHubServices(
      { home: fed.hubHome, host: '127.0.0.1', port: 0, databaseUrl, maxWaitSeconds: 5 },
      { log: () => undefined },
    );
    server = await startHubServer(services);
    np = mtlsClient(server.url, fed.root.certPem, fed.node('NP'));
    bd = mtlsClient(server.url, fed.root.certPem, fed.node('BD'));
  });

  afterAll(async () => {
    await Promise.all([np?.close(), bd?.close()]);
    await server?.close();
    await services?.close();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
    await fed?.cleanup();
  });

  const storedIds = async (ids: string[]) =>
    (await services.db.select({ id: envelopes.id }).from(envelopes).where(inArray(envelopes.id, ids))).map(
      (row) => row.id,
    );

  async function drainInbox(): Promise<string[]> {
    const ids: string[] = [];
    for (;;) {
      const { body } = await bd.get('/v1/inbox?limit=100');
      const batch: string[] = body?.deliveries.map((d: { envelope: Envelope }) => d.envelope.id) ?? [];
      if (batch.length === 0) return ids;
      ids.push(...batch);
      await bd.post('/v1/inbox/ack', { envelopeIds: batch });
    }
  }

  it('answers each envelope of a mixed batch with its own status and stores only the accepted', async () => {
    const [NP, BD, INWB] = [fed.node('NP'), fed.node('BD'), fed.node('IN-WB')];
    const accepted = await signedEnvelope(NP, [BD]);
    const earlier = await signedEnvelope(NP, [BD]);
    const earlierReceipt = (await np.post('/v1/envelopes', earlier)).body;
    const tampered = { ...(await signedEnvelope(NP, [BD])), recipients: ['BD', 'IN-WB'] };
    const notMine = await signedEnvelope(BD, [INWB]);
    const expired = await resign(
      {
        ...(await signedEnvelope(NP, [BD])),
        createdAt: '2020-01-01T00:00:00.000Z',
        expiresAt: '2020-01-02T00:00:00.000Z',
      },
      NP,
    );
    const subject = `case_${randomUUID().replaceAll('-', '')}`;
    const first = await signedEnvelope(NP, [BD], { subject, plaintext: 'first' });
    const second = await signedEnvelope(NP, [BD], { subject, plaintext: 'second' });
    const malformed = { ...(await signedEnvelope(NP, [BD])), signature: 'not a jws' };

    const response = await np.post('/v1/envelopes/batch', {
      envelopes: [accepted, earlier, tampered, notMine, expired, first, second, malformed, 42],
    });
    expect(response.status).toBe(200);
    expect(response.body?.requestId).toMatch(/^req_/);
    const results = response.body?.results as Array<{
      envelopeId?: string;
      status: number;
      error?: { code: string; message: string };
      receipt?: Record<string, string>;
    }>;
    expect(results.map((result) => [result.envelopeId, result.status, result.error?.code])).toEqual([
      [accepted.id, 201, undefined],
      [earlier.id, 200, undefined],
      [tampered.id, 400, 'SIGNATURE_INVALID'],
      [notMine.id, 403, 'ORIGIN_MISMATCH'],
      [expired.id, 400, 'ENVELOPE_EXPIRED'],
      [first.id, 201, undefined],
      [second.id, 409, 'ENVELOPE_CONFLICT'],
      [malformed.id, 400, 'VALIDATION_FAILED'],
      [undefined, 400, 'VALIDATION_FAILED'],
    ]);
    expect(results[7]?.error?.message).toMatch(/^signature: /);

    // The receipt of an accepted envelope is the hub's signature over its digest, as for one alone.
    const receipt = results[0]?.receipt;
    expect(receipt).toMatchObject({ envelopeId: accepted.id, envelopeDigest: envelopeDigest(accepted) });
    const hubKey = toPublicJwk(await readPrivateJwk(fed.paths.signingKey));
    const { payload } = await verifyJws(receipt?.hubSignature as string, () => hubKey);
    const { hubSignature: _, ...fields } = receipt as Record<string, string>;
    expect(new TextDecoder().decode(payload)).toBe(canonicalJson(fields));
    expect(results[1]?.receipt).toEqual(earlierReceipt);
    expect(results[2]?.receipt).toBeUndefined();

    const refusedIds = [tampered.id, notMine.id, expired.id, malformed.id];
    expect((await storedIds([accepted.id, first.id, ...refusedIds])).sort()).toEqual(
      [accepted.id, first.id].sort(),
    );
    const [kept] = await services.db.select().from(envelopes).where(eq(envelopes.id, first.id));
    expect(kept?.digest).toBe(envelopeDigest(first));
    expect(
      await services.db.select().from(deliveries).where(inArray(deliveries.envelopeId, refusedIds)),
    ).toEqual([]);
    expect(
      await services.db
        .select()
        .from(transparencyLeaves)
        .where(inArray(transparencyLeaves.envelopeId, refusedIds)),
    ).toEqual([]);
    // Each refusal the hub checked is recorded, as for a single submission.
    const refusals = await services.db
      .select({ envelopeId: envelopeRefusals.envelopeId, code: envelopeRefusals.code })
      .from(envelopeRefusals)
      .where(inArray(envelopeRefusals.envelopeId, refusedIds));
    expect(refusals.map((row) => `${row.envelopeId} ${row.code}`).sort()).toEqual(
      [
        `${tampered.id} SIGNATURE_INVALID`,
        `${notMine.id} ORIGIN_MISMATCH`,
        `${expired.id} ENVELOPE_EXPIRED`,
      ].sort(),
    );
    expect((await drainInbox()).filter((id) => [accepted.id, first.id].includes(id))).toEqual([
      accepted.id,
      first.id,
    ]);
  });

  it('stores, logs and delivers a batch in the order submitted, not in id order', async () => {
    await drainInbox();
    const batch = await Promise.all(
      Array.from({ length: 12 }, () => signedEnvelope(fed.node('NP'), [fed.node('BD')])),
    );
    // Descending ids: an ingest that stored in id order would deliver them reversed.
    batch.sort((a, b) => (a.id < b.id ? 1 : -1));
    const response = await np.post('/v1/envelopes/batch', { envelopes: batch });
    expect(response.body?.results.map((result: { status: number }) => result.status)).toEqual(
      batch.map(() => 201),
    );
    expect(await drainInbox()).toEqual(batch.map((envelope) => envelope.id));
    const leaves = await services.db
      .select({ envelopeId: transparencyLeaves.envelopeId, index: transparencyLeaves.leafIndex })
      .from(transparencyLeaves)
      .where(
        inArray(
          transparencyLeaves.envelopeId,
          batch.map((envelope) => envelope.id),
        ),
      );
    expect(leaves.sort((a, b) => a.index - b.index).map((leaf) => leaf.envelopeId)).toEqual(
      batch.map((envelope) => envelope.id),
    );
  });

  it("stores each envelope's own trace context, so its recipient continues the origin's trace", async () => {
    await drainInbox();
    const batch = await Promise.all(
      Array.from({ length: 3 }, () => signedEnvelope(fed.node('NP'), [fed.node('BD')])),
    );
    const traceparents = [
      `00-${'a'.repeat(32)}-${'1'.repeat(16)}-01`,
      null,
      `00-${'b'.repeat(32)}-${'2'.repeat(16)}-01`,
    ];
    const response = await np.post('/v1/envelopes/batch', { envelopes: batch, traceparents });
    expect(response.body?.results.map((result: { status: number }) => result.status)).toEqual([
      201, 201, 201,
    ]);
    const { body } = await bd.get('/v1/inbox?limit=10');
    const delivered = body?.deliveries as Array<{ envelope: Envelope; traceparent?: string }>;
    expect(delivered.map((delivery) => delivery.envelope.id)).toEqual(batch.map((envelope) => envelope.id));
    expect(delivered[0]?.traceparent).toBe(traceparents[0]);
    expect(delivered[2]?.traceparent).toBe(traceparents[2]);
    // None given for the second: the batch request's own context (none here), never another's.
    expect(delivered[1]?.traceparent).not.toBe(traceparents[0]);
    await drainInbox();

    const mismatched = await np.post('/v1/envelopes/batch', { envelopes: batch, traceparents: [null] });
    expect(mismatched.status).toBe(400);
    expect(mismatched.body?.error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses an empty batch or one over the limit as a whole with 400 VALIDATION_FAILED', async () => {
    const empty = await np.post('/v1/envelopes/batch', { envelopes: [] });
    expect(empty.status).toBe(400);
    expect(empty.body?.error.code).toBe('VALIDATION_FAILED');
    const envelope = await signedEnvelope(fed.node('NP'), [fed.node('BD')]);
    const tooMany = await np.post('/v1/envelopes/batch', {
      envelopes: Array.from({ length: MAX_ENVELOPE_BATCH + 1 }, () => envelope),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body?.error.code).toBe('VALIDATION_FAILED');
    expect(await storedIds([envelope.id])).toEqual([]);
  });

  it('refuses a caller without a client certificate', async () => {
    const anonymous = mtlsClient(server.url, fed.root.certPem);
    const envelope = await signedEnvelope(fed.node('NP'), [fed.node('BD')]);
    const outcome = await anonymous
      .post('/v1/envelopes/batch', { envelopes: [envelope] })
      .then((response) => response.status)
      .catch(() => 'handshake refused');
    await anonymous.close();
    // The mutual-TLS listener refuses at the handshake; nothing is stored either way.
    expect(outcome).toBe('handshake refused');
    expect(await storedIds([envelope.id])).toEqual([]);
  });
});
