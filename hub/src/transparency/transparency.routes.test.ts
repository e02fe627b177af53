// The transparency log over real mutual TLS, on PGlite and PostgreSQL: signed checkpoints that
// verify with the anchor key, inclusion proofs only for the envelope's sender and recipients,
// consistency between checkpoints, and the whole-log check naming the first tampered row.
import {
  type PublicJwk,
  transparencyLeafHash,
  verifyCheckpoint,
  verifyConsistencyProof,
  verifyInclusionProof,
} from '@khoj/contracts';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  envelopes,
  transparencyCheckpoints,
  transparencyHead,
  transparencyLeaves,
  transparencyNodes,
} from '../db/schema/index.ts';
import { sealedEnvelope } from '../testing/envelopes.ts';
import { startTrustHub, type TrustHub } from '../testing/trust-fixture.ts';
import { readTrustAnchor } from '../trust/anchor.ts';
import { leafOf } from './log.store.ts';
import { appendLeaves } from './merkle.ts';
import { CHECKPOINT_INTERVAL_MS } from './transparency.ts';
import { verifyTransparencyLog } from './verify.ts';

describe.each(['pglite', 'postgres'] as const)('hub transparency log on %s', (database) => {
  let hub: TrustHub;
  let np: ReturnType<TrustHub['mutual']>;
  let bd: ReturnType<TrustHub['mutual']>;
  let inwb: ReturnType<TrustHub['mutual']>;
  let hubKey: PublicJwk;
  const sent: string[] = [];

  beforeAll(async () => {
    hub = await startTrustHub(database, { nodeIds: ['NP', 'BD', 'IN-WB'] });
    np = hub.mutual(hub.fed.node('NP'));
    bd = hub.mutual(hub.fed.node('BD'));
    inwb = hub.mutual(hub.fed.node('IN-WB'));
    hubKey = (await readTrustAnchor(hub.services.paths.anchor)).configSigningKey;
    for (let i = 0; i < 11; i++) {
      const envelope = await sealedEnvelope(hub.fed.node('NP'), [hub.fed.node(i % 3 ? 'BD' : 'IN-WB')]);
      expect((await np.post('/v1/envelopes', envelope)).status).toBe(201);
      sent.push(envelope.id);
    }
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const sendOne = async () => {
    const envelope = await sealedEnvelope(hub.fed.node('NP'), [hub.fed.node('BD')]);
    expect((await np.post('/v1/envelopes', envelope)).status).toBe(201);
    sent.push(envelope.id);
    return envelope.id;
  };

  it('serves a checkpoint signed with the configuration key, signed anew once the log grows', async () => {
    const response = await bd.get('/v1/transparency/checkpoint');
    expect(response.status).toBe(200);
    const checkpoint = verifyCheckpoint(response.body as never, hubKey);
    expect(checkpoint.treeSize).toBe(sent.length);
    await sendOne();
    // Within the interval the same checkpoint answers; after it, a new one covers the new entry.
    expect((await bd.get('/v1/transparency/checkpoint')).body?.treeSize).toBe(sent.length - 1);
    hub.setNow(new Date(Date.now() + CHECKPOINT_INTERVAL_MS + 1_000));
    try {
      expect((await bd.get('/v1/transparency/checkpoint')).body?.treeSize).toBe(sent.length);
    } finally {
      hub.setNow(undefined);
    }
  });

  it('proves inclusion to the sender and to a recipient, against a signed checkpoint', async () => {
    const id = await sendOne();
    for (const caller of [np, bd]) {
      const response = await caller.get(`/v1/transparency/proofs/${id}`);
      expect(response.status).toBe(200);
      const { leaf, leafIndex, checkpoint, proof } = response.body as never as {
        leaf: Parameters<typeof transparencyLeafHash>[0];
        leafIndex: number;
        checkpoint: Parameters<typeof verifyCheckpoint>[0];
        proof: string[];
      };
      expect(leaf).toMatchObject({ envelopeId: id, origin: 'NP', recipients: ['BD'] });
      expect(leafIndex).toBe(sent.length - 1);
      const signed = verifyCheckpoint(checkpoint, hubKey);
      expect(signed.treeSize).toBeGreaterThan(leafIndex);
      expect(
        verifyInclusionProof({
          leafHash: transparencyLeafHash(leaf),
          leafIndex,
          treeSize: signed.treeSize,
          proof,
          rootHash: signed.rootHash,
        }),
      ).toBe(true);
    }
  });

  it('proves an early entry against a later checkpoint named by its size, and refuses unknown sizes', async () => {
    await sendOne();
    const latest = (await np.get(`/v1/transparency/proofs/${sent.at(-1)}`)).body?.checkpoint;
    const response = await np.get(`/v1/transparency/proofs/${sent[2]}?treeSize=${latest.treeSize}`);
    expect(response.status).toBe(200);
    expect(response.body?.checkpoint).toEqual(latest);
    expect(
      verifyInclusionProof({
        leafHash: transparencyLeafHash(response.body?.leaf),
        leafIndex: 2,
        treeSize: latest.treeSize,
        proof: response.body?.proof,
        rootHash: latest.rootHash,
      }),
    ).toBe(true);
    const missing = await np.get(`/v1/transparency/proofs/${sent[2]}?treeSize=${latest.treeSize + 50}`);
    expect(missing.status).toBe(404);
    expect(missing.body?.error.code).toBe('CHECKPOINT_NOT_FOUND');
    expect((await np.get(`/v1/transparency/proofs/${sent[2]}?treeSize=abc`)).body?.error.code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('answers 404 ENVELOPE_NOT_FOUND to a node that neither sent nor received the envelope', async () => {
    const toBd = sent[1] as string;
    const response = await inwb.get(`/v1/transparency/proofs/${toBd}`);
    expect(response.status).toBe(404);
    expect(response.body?.error.code).toBe('ENVELOPE_NOT_FOUND');
    const unknown = await np.get(`/v1/transparency/proofs/env_${'0'.repeat(31)}`);
    expect(unknown.body?.error.code).toBe('ENVELOPE_NOT_FOUND');
  });

  it('proves consistency between two checkpoints, and refuses sizes beyond the log', async () => {
    const first = (await np.get(`/v1/transparency/proofs/${sent[4]}?treeSize=${sent.length}`)).body
      ?.checkpoint;
    await sendOne();
    await sendOne();
    const second = (await np.get(`/v1/transparency/proofs/${sent.at(-1)}`)).body?.checkpoint;
    const response = await bd.get(
      `/v1/transparency/consistency?from=${first.treeSize}&to=${second.treeSize}`,
    );
    expect(response.status).toBe(200);
    expect(
      verifyConsistencyProof({
        firstSize: first.treeSize,
        secondSize: second.treeSize,
        firstRoot: first.rootHash,
        secondRoot: second.rootHash,
        proof: response.body?.proof,
      }),
    ).toBe(true);
    const backwards = await bd.get(
      `/v1/transparency/consistency?from=${second.treeSize}&to=${first.treeSize}`,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body?.error.code).toBe('TREE_SIZE_INVALID');
    const beyond = await bd.get(`/v1/transparency/consistency?from=1&to=${second.treeSize + 1000}`);
    expect(beyond.body?.error.code).toBe('TREE_SIZE_INVALID');
  });

  describe('the whole-log check', () => {
    const db = () => hub.services.db;
    const check = () => verifyTransparencyLog(db(), hubKey, { batchSize: 4 });

    it('recomputes the log and every checkpoint', async () => {
      const result = await check();
      expect(result).toMatchObject({ ok: true, entries: sent.length, treeSize: sent.length });
      if (result.ok) expect(result.checkpoints).toBeGreaterThan(2);
    });

    it('names an entry whose metadata was edited', async () => {
      const [row] = await db().select().from(transparencyLeaves).where(eq(transparencyLeaves.leafIndex, 5));
      await db()
        .update(transparencyLeaves)
        .set({ recipients: ['IN-WB'] })
        .where(eq(transparencyLeaves.leafIndex, 5));
      try {
        expect(await check()).toMatchObject({
          ok: false,
          leafIndex: 5,
          envelopeId: sent[5],
          entries: 5,
          problem: expect.stringContaining('entry 5 was altered'),
        });
      } finally {
        await db()
          .update(transparencyLeaves)
          .set({ recipients: row?.recipients ?? [] })
          .where(eq(transparencyLeaves.leafIndex, 5));
      }
      expect(await check()).toMatchObject({ ok: true });
    });

    it('names an entry that no longer matches its envelope', async () => {
      const id = sent[7] as string;
      const [row] = await db().select().from(envelopes).where(eq(envelopes.id, id));
      await db()
        .update(envelopes)
        .set({ digest: 'f'.repeat(64) })
        .where(eq(envelopes.id, id));
      try {
        expect(await check()).toMatchObject({ ok: false, leafIndex: 7, envelopeId: id });
      } finally {
        await db()
          .update(envelopes)
          .set({ digest: row?.digest as string })
          .where(eq(envelopes.id, id));
      }
    });

    it('catches an entry rewritten together with its leaf hash by the signed checkpoints', async () => {
      const [row] = await db().select().from(transparencyLeaves).where(eq(transparencyLeaves.leafIndex, 3));
      const [node] = await db()
        .select()
        .from(transparencyNodes)
        .where(sql`${transparencyNodes.size} = 4 and ${transparencyNodes.level} = 0`);
      const forged = { ...(row as NonNullable<typeof row>), recipients: ['BD', 'IN-WB'] };
      await db()
        .update(transparencyLeaves)
        .set({ recipients: forged.recipients })
        .where(eq(transparencyLeaves.leafIndex, 3));
      await db()
        .update(transparencyNodes)
        .set({ hash: transparencyLeafHash(leafOf(forged)) })
        .where(sql`${transparencyNodes.size} = 4 and ${transparencyNodes.level} = 0`);
      try {
        const result = await check();
        expect(result.ok).toBe(false);
        // The stored interior hashes above entry 3 no longer match it.
        if (!result.ok) expect(result.problem).toMatch(/subtree of level 1 ending at entry 3|checkpoint/);
      } finally {
        await db()
          .update(transparencyLeaves)
          .set({ recipients: row?.recipients ?? [] })
          .where(eq(transparencyLeaves.leafIndex, 3));
        await db()
          .update(transparencyNodes)
          .set({ hash: node?.hash as string })
          .where(sql`${transparencyNodes.size} = 4 and ${transparencyNodes.level} = 0`);
      }
    });

    it('catches a rewrite of an entry with every hash above it recomputed, by the signed checkpoints', async () => {
      const rows = await db().select().from(transparencyLeaves).orderBy(transparencyLeaves.leafIndex);
      const rewrite = async (leaves: typeof rows) => {
        const tree = appendLeaves(
          0,
          [],
          leaves.map((row) => transparencyLeafHash(leafOf(row))),
        );
        await db().delete(transparencyNodes);
        await db().insert(transparencyNodes).values(tree.created);
        await db().update(transparencyHead).set({ treeSize: tree.size, rootHash: tree.rootHash });
      };
      const forged = rows.map((row) =>
        row.leafIndex === 6 ? { ...row, purposes: ['anti_trafficking' as const] } : row,
      );
      await db()
        .update(transparencyLeaves)
        .set({ purposes: ['anti_trafficking'] })
        .where(eq(transparencyLeaves.leafIndex, 6));
      await rewrite(forged);
      try {
        const result = await check();
        expect(result).toMatchObject({
          ok: false,
          problem: expect.stringMatching(
            /the checkpoint of size \d+ does not match the log: an entry from \d+ to \d+/,
          ),
        });
        if (!result.ok) expect(result.entries).toBeGreaterThanOrEqual(7);
      } finally {
        await db()
          .update(transparencyLeaves)
          .set({ purposes: rows[6]?.purposes ?? [] })
          .where(eq(transparencyLeaves.leafIndex, 6));
        await rewrite(rows);
      }
      expect(await check()).toMatchObject({ ok: true });
    });

    it('names a checkpoint that is not the hub’s, and entries removed from the end', async () => {
      const [checkpoint] = await db().select().from(transparencyCheckpoints).limit(1);
      const original = checkpoint as NonNullable<typeof checkpoint>;
      await db()
        .update(transparencyCheckpoints)
        .set({ rootHash: 'a'.repeat(64) })
        .where(eq(transparencyCheckpoints.treeSize, original.treeSize));
      try {
        expect((await check()) as { problem: string }).toMatchObject({
          ok: false,
          problem: expect.stringContaining(
            `checkpoint of size ${original.treeSize} is not signed by the hub`,
          ),
        });
      } finally {
        await db()
          .update(transparencyCheckpoints)
          .set({ rootHash: original.rootHash })
          .where(eq(transparencyCheckpoints.treeSize, original.treeSize));
      }
      const lastIndex = sent.length - 1;
      await db().delete(transparencyLeaves).where(eq(transparencyLeaves.leafIndex, lastIndex));
      const result = await check();
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problem).toMatch(/beyond the log|not in the log|head says/);
    });
  });
});
