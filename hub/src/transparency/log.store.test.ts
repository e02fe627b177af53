// The first start with a transparency log enters every envelope the hub already held, oldest
// first, in one transaction; later starts add nothing (a missing entry is then for the check to
// report, not to paper over).
import { randomUUID } from 'node:crypto';
import { envelopeDigest } from '@khoj/contracts';
import { generateEncryptionKey, generateSigningKey } from '@khoj/pki';
import { openDatabase } from '@khoj/platform';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../db/schema/index.ts';
import { deliveries, envelopes, transparencyHead, transparencyLeaves } from '../db/schema/index.ts';
import { HUB_MIGRATIONS } from '../services.ts';
import { sealedEnvelope } from '../testing/envelopes.ts';
import type { TestNode } from '../testing/test-federation.ts';
import { ensureTransparencyLog } from './log.store.ts';
import { verifyTransparencyLog } from './verify.ts';

describe('ensureTransparencyLog', () => {
  let database: Awaited<ReturnType<typeof openDatabase<typeof schema>>>;
  const ids: string[] = [];

  beforeAll(async () => {
    database = await openDatabase({ dataDir: 'memory://', migrationsFolder: HUB_MIGRATIONS, schema });
    // Only the envelope keys matter here: no certificates.
    const node = async (nodeId: string): Promise<TestNode> => ({
      nodeId,
      certPem: '',
      keyPem: '',
      signing: await generateSigningKey(),
      encryption: await generateEncryptionKey(),
    });
    const np = await node('NP');
    const bd = await node('BD');
    for (let i = 0; i < 5; i++) {
      const envelope = await sealedEnvelope(np, [bd]);
      const receivedAt = new Date(Date.now() + i).toISOString();
      const digest = envelopeDigest(envelope);
      await database.db.insert(envelopes).values({
        id: envelope.id,
        origin: 'NP',
        type: envelope.type,
        expiresAt: new Date(envelope.expiresAt),
        digest,
        body: envelope,
        receipt: {
          envelopeId: envelope.id,
          envelopeDigest: digest,
          receivedAt,
          hubSignature: `x${randomUUID()}`,
        },
        receivedAt: new Date(receivedAt),
      });
      await database.db.insert(deliveries).values({ envelopeId: envelope.id, recipient: 'BD' });
      ids.push(envelope.id);
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it('enters the envelopes held before the log existed, in arrival order, once', async () => {
    await ensureTransparencyLog(database.db);
    const leaves = await database.db.select().from(transparencyLeaves).orderBy(transparencyLeaves.leafIndex);
    expect(leaves.map((leaf) => leaf.envelopeId)).toEqual(ids);
    expect(leaves[0]).toMatchObject({ origin: 'NP', recipients: ['BD'], purposes: ['reunification'] });
    const [head] = await database.db.select().from(transparencyHead).where(eq(transparencyHead.id, 1));
    expect(head?.treeSize).toBe(5);
    const check = await verifyTransparencyLog(database.db, {
      kty: 'OKP',
      crv: 'Ed25519',
      x: 'unused',
      kid: 'k',
    });
    expect(check).toMatchObject({ ok: true, entries: 5 });

    // A later start adds nothing, even for an entry that went missing: the check reports it.
    await database.db.delete(transparencyLeaves).where(eq(transparencyLeaves.leafIndex, 4));
    await ensureTransparencyLog(database.db);
    expect(await database.db.select().from(transparencyLeaves)).toHaveLength(4);
    const broken = await verifyTransparencyLog(database.db, {
      kty: 'OKP',
      crv: 'Ed25519',
      x: 'unused',
      kid: 'k',
    });
    expect(broken).toMatchObject({ ok: false });
  });
});
