// The hub's exchange routes over a real HTTPS server with real mutual TLS, on PGlite and on
// PostgreSQL: every status code of POST /v1/envelopes, the inbox long-poll and acknowledgement.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { canonicalJson, type Envelope, envelopeDigest, hubOpenApiDocument } from '@khoj/contracts';
import { readPrivateJwk, toPublicJwk, verifyJws } from '@khoj/pki';
import type { RunningServer } from '@khoj/platform';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { createHubApp, hubOpenApiFromApp } from '../app.ts';
import { deliveries, envelopes } from '../db/schema/index.ts';
import { startHubServer } from '../server.ts';
import { createHubServices, type HubServices } from '../services.ts';
import {
  createTestFederation,
  mtlsClient,
  resign,
  signedEnvelope,
  type TestFederation,
} from '../testing/test-federation.ts';

describe.each(['pglite', 'postgres'] as const)('hub exchange on %s', (database) => {
  let fed: TestFederation;
  let services: HubServices;
  let server: RunningServer;
  let databaseUrl: string | undefined;
  let np: ReturnType<typeof mtlsClient>;
  let bd: ReturnType<typeof mtlsClient>;
  let inwb: ReturnType<typeof mtlsClient>;

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
    const anchor = fed.root.certPem;
    np = mtlsClient(server.url, anchor, fed.node('NP'));
    bd = mtlsClient(server.url, anchor, fed.node('BD'));
    inwb = mtlsClient(server.url, anchor, fed.node('IN-WB'));
  });

  afterAll(async () => {
    await Promise.all([np?.close(), bd?.close(), inwb?.close()]);
    await server?.close();
    await services?.close();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
    await fed?.cleanup();
  });

  const stored = async (id: string) => services.db.select().from(envelopes).where(eq(envelopes.id, id));

  it('accepts a signed envelope with 201 and a receipt the hub signed over its digest', async () => {
    const envelope = await signedEnvelope(fed.node('NP'), [fed.node('BD'), fed.node('IN-WB')]);
    const response = await np.post('/v1/envelopes', envelope);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      envelopeId: envelope.id,
      envelopeDigest: envelopeDigest(envelope),
    });
    const hubKey = toPublicJwk(await readPrivateJwk(fed.paths.signingKey));
    const { payload } = await verifyJws(response.body?.hubSignature, () => hubKey);
    const { hubSignature: _, ...fields } = response.body as Record<string, string>;
    expect(new TextDecoder().decode(payload)).toBe(canonicalJson(fields));
    expect(await stored(envelope.id)).toHaveLength(1);
  });

  it('answers a retry of the same envelope with 200 and the same receipt', async () => {
    const envelope = await signedEnvelope(fed.node('NP'), [fed.node('BD')]);
    const first = await np.post('/v1/envelopes', envelope);
    const retry = await np.post('/v1/envelopes', envelope);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
  });

  it('refuses different content under a known id with 409 ENVELOPE_CONFLICT and keeps the first', async () => {
    const subject = `case_${randomUUID().replaceAll('-', '')}`;
    const first = await signedEnvelope(fed.node('NP'), [fed.node('BD')], { subject, plaintext: 'first' });
    const second = await signedEnvelope(fed.node('NP'), [fed.node('BD')], { subject, plaintext: 'second' });
    expect(second.id).toBe(first.id);
    expect((await np.post('/v1/envelopes', first)).status).toBe(201);
    const conflict = await np.post('/v1/envelopes', second);
    expect(conflict.status).toBe(409);
    expect(conflict.body?.error.code).toBe('ENVELOPE_CONFLICT');
    expect((await stored(first.id))[0]?.digest).toBe(envelopeDigest(first));
  });

  it('refuses a tampered envelope with 400 SIGNATURE_INVALID and stores nothing', async () => {
    const envelope = await signedEnvelope(fed.node('NP'), [fed.node('BD')]);
    const tampered: Envelope = { ...envelope, recipients: ['BD', 'IN-WB'] };
    const response = await np.post('/v1/envelopes', tampered);
    expect(response.status).toBe(400);
    expect(response.body?.error).toMatchObject({ code: 'SIGNATURE_INVALID' });
    expect(response.body?.error.requestId).toMatch(/^req_/);
    expect(await stored(envelope.id)).toHaveLength(0);
    const swapped: Envelope = {
      ...envelope,
      // A different first character (one in 64 ciphertexts starts with A already).
      payload: {
        ...envelope.payload,
        ciphertext: `${envelope.payload.ciphertext.startsWith('A') ? 'B' : 'A'}${envelope.payload.ciphertext.slice(1)}`,
      },
    };
    expect((await np.post('/v1/envelopes', swapped)).body?.error.code).toBe('SIGNATURE_INVALID');
  });

  it('refuses with 403 ORIGIN_MISMATCH when the origin is not the certificate node, even if validly signed', async () => {
    const asBd = await signedEnvelope(fed.node('BD'), [fed.node('IN-WB')]);
    const response = await np.post('/v1/envelopes', asBd);
    expect(response.status).toBe(403);
    expect(response.body?.error.code).toBe('ORIGIN_MISMATCH');
    expect(await stored(asBd.id)).toHaveLength(0);
  });

  it('refuses recipients that are not members with 400 RECIPIENT_UNKNOWN', async () => {
    const envelope = await resign(
      { ...(await signedEnvelope(fed.node('NP'), [fed.node('BD')])), recipients: ['BD', 'LK'] },
      fed.node('NP'),
    );
    const response = await np.post('/v1/envelopes', envelope);
    expect(response.status).toBe(400);
    expect(response.body?.error.code).toBe('RECIPIENT_UNKNOWN');
  });

  it('refuses malformed bodies with 400 VALIDATION_FAILED and oversized ones with 413', async () => {
    const invalid = await np.post('/v1/envelopes', { id: 'nope' });
    expect(invalid.status).toBe(400);
    expect(invalid.body?.error.code).toBe('VALIDATION_FAILED');
    const notJson = await np.post('/v1/envelopes', '{"id":');
    expect(notJson.status).toBe(400);
    const huge = await np.post('/v1/envelopes', { padding: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body?.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a certificate from the federation CA that belongs to no registered node with 403', async () => {
    const stranger = mtlsClient(server.url, fed.root.certPem, await fed.unregisteredNode('LK'));
    const response = await stranger.get('/v1/inbox');
    await stranger.close();
    expect(response.status).toBe(403);
    expect(response.body?.error.code).toBe('NODE_NOT_REGISTERED');
  });

  it('refuses the TLS handshake without a client certificate or with one from another CA', async () => {
    const anonymous = mtlsClient(server.url, fed.root.certPem);
    await expect(anonymous.get('/healthz')).rejects.toThrow();
    await anonymous.close();
    const foreign = mtlsClient(server.url, fed.root.certPem, await fed.foreignNode('NP'));
    await expect(foreign.get('/healthz')).rejects.toThrow();
    await foreign.close();
  });

  it("delivers to each recipient's inbox only, and acknowledged deliveries leave it", async () => {
    await drain(bd);
    await drain(inwb);
    const envelope = await signedEnvelope(fed.node('NP'), [fed.node('BD')]);
    await np.post('/v1/envelopes', envelope);
    const inbox = await bd.get('/v1/inbox');
    expect(inbox.body?.deliveries.map((d: { envelope: Envelope }) => d.envelope)).toEqual([envelope]);
    expect((await inwb.get('/v1/inbox')).body?.deliveries).toEqual([]);
    expect((await bd.post('/v1/inbox/ack', { envelopeIds: [envelope.id] })).body).toEqual({
      acknowledged: 1,
    });
    expect((await bd.get('/v1/inbox')).body?.deliveries).toEqual([]);
    const [row] = await services.db.select().from(deliveries).where(eq(deliveries.envelopeId, envelope.id));
    expect(row?.ackedAt).toBeInstanceOf(Date);
  });

  it('holds a long-poll open until an envelope arrives', async () => {
    await drain(inwb);
    const started = Date.now();
    const waiting = inwb.get('/v1/inbox?waitSeconds=5');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const envelope = await signedEnvelope(fed.node('NP'), [fed.node('IN-WB')]);
    await np.post('/v1/envelopes', envelope);
    const response = await waiting;
    expect(response.body?.deliveries.map((d: { envelope: Envelope }) => d.envelope.id)).toEqual([
      envelope.id,
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('answers unknown routes with 404 in the one error shape', async () => {
    const response = await np.get('/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body?.error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves exactly the routes of the committed OpenAPI document', async () => {
    const committed = JSON.parse(
      await readFile(new URL('../../../contracts/openapi/hub.json', import.meta.url), 'utf8'),
    );
    expect(hubOpenApiFromApp(createHubApp(services))).toEqual(committed);
    expect(committed).toEqual(hubOpenApiDocument());
  });
});

async function drain(client: ReturnType<typeof mtlsClient>) {
  const { body } = await client.get('/v1/inbox?limit=100');
  const envelopeIds = body?.deliveries.map((d: { envelope: Envelope }) => d.envelope.id) ?? [];
  if (envelopeIds.length) await client.post('/v1/inbox/ack', { envelopeIds });
}
