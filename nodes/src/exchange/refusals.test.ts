// What the origin learns of its envelopes that did not get through, on PGlite and PostgreSQL,
// against a scripted hub (the real openapi-fetch client, real signatures): a hub refusal — of an
// envelope sent alone or in a batch — parks the outbox row with the hub's code and is audited
// (`envelope.refused_by_hub`) and listed by GET /v1/exchange/refusals; the hub's dead-letter
// notices are fetched, checked against the trust anchor (a forged or foreign one is not stored),
// stored once however often fetched, mark the outbox row and are audited
// (`envelope.dead_lettered`) and listed by GET /v1/exchange/dead-letters.
import { randomUUID } from 'node:crypto';
import {
  canonicalJson,
  DEAD_LETTER_KIND,
  type DeadLetter,
  type DeadLetterStatement,
  type ReportInput,
} from '@khoj/contracts';
import { generateSigningKey, signJws } from '@khoj/pki';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { auditLog, deadLetters, outbox } from '../db/schema/index.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { type ConfigAuthority, createConfigAuthority, scriptedHub } from '../trust/test-support.ts';
import { fetchDeadLetters } from './dead-letters.ts';
import { relayDue } from './relay.ts';

const DAY = 86_400_000;

const report = (name: string): ReportInput => ({
  kind: 'missing',
  child: { name, sex: 'female', age: { years: 12 }, languages: ['ne'] },
  place: { country: 'NP', state: 'Bagmati' },
  eventDate: '2026-11-20',
  missing: { guardians: [] },
  consent: {
    purposes: ['reunification'],
    recipients: ['BD', 'IN-*'],
    fields: 'standard',
    legalBasis: 'guardian_consent',
    expiresAt: new Date(Date.now() + 200 * DAY).toISOString(),
    grantedBy: 'Inspector',
  },
});

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const body = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe.each(['pglite', 'postgres'] as const)(
  'refusals and dead letters at the origin on %s',
  (database) => {
    let node: TestNode;
    let databaseUrl: string | undefined;
    let police: string;
    let admin: string;
    let viewer: string;
    let authority: ConfigAuthority;

    beforeAll(async () => {
      databaseUrl =
        database === 'postgres'
          ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
          : undefined;
      node = await createTestNode('NP', databaseUrl);
      await node.addMembers('BD', 'IN-WB');
      const station = await node.unit({ type: 'police_station', country: 'NP' });
      police = (await node.user('police_officer', station.id)).token;
      const office = await node.unit({ type: 'scpu', country: 'NP' });
      admin = (await node.user('node_admin', office.id)).token;
      viewer = (await node.user('dm_sp_viewer', office.id)).token;
      authority = await createConfigAuthority('root certificate: not read by these tests');
      node.services.trust = { ...node.services.trust, anchor: authority.anchor };
    });
    afterAll(async () => {
      await node?.cleanup();
      if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
    });

    /** Reports a child shared with BD and IN-WB; the envelope's id and the case's. */
    async function published(name: string): Promise<{ envelopeId: string; caseId: string }> {
      const created = await body(node.request(police, 'POST', '/v1/reports', report(name)));
      expect(created.publication?.recipients.sort()).toEqual(['BD', 'IN-WB']);
      return { envelopeId: created.publication.envelopeId, caseId: created.report.caseId };
    }
    const rowOf = async (envelopeId: string) =>
      (await node.services.db.select().from(outbox).where(eq(outbox.envelopeId, envelopeId)))[0];
    const audited = (action: string, recordId: string) =>
      node.services.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.recordId, recordId)));
    const refusal = {
      code: 'RECIPIENT_NOT_ALLOWED',
      message: 'the federation policy of NP does not allow sending to BD',
    };

    it('audits a refusal of an envelope sent alone, and lists it with its code', async () => {
      const { envelopeId, caseId } = await published('Asha Gurung');
      node.services.hub = scriptedHub({
        'POST /v1/envelopes': () =>
          Response.json({ error: { ...refusal, requestId: 'req_1' } }, { status: 403 }),
      }).hub;
      expect(await relayDue(node.services)).toBe(0);

      expect(await rowOf(envelopeId)).toMatchObject({
        status: 'rejected',
        refusalCode: 'RECIPIENT_NOT_ALLOWED',
      });
      const [audit] = await audited('envelope.refused_by_hub', caseId);
      expect(audit).toMatchObject({ actorId: 'system:relay', recordType: 'case' });
      expect(audit?.reason).toMatch(/^RECIPIENT_NOT_ALLOWED: /);
      expect(audit?.reason).toContain(envelopeId);
      expect(audit?.reason).not.toContain('Asha');

      const listed = await body(node.request(admin, 'GET', '/v1/exchange/refusals'));
      expect(listed.refusals[0]).toMatchObject({
        envelopeId,
        type: 'case.summary',
        subject: caseId,
        recipients: expect.arrayContaining(['BD', 'IN-WB']),
        purposes: ['reunification'],
        code: 'RECIPIENT_NOT_ALLOWED',
        message: expect.stringContaining('does not allow sending to BD'),
      });
    });

    it('audits each refusal in a batch, lists them newest first a page at a time, to administrators only', async () => {
      const first = await published('Bina Rai');
      const second = await published('Chandra Rai');
      node.services.hub = scriptedHub({
        'POST /v1/envelopes/batch': async (request) => {
          const { envelopes } = (await request.json()) as { envelopes: Array<{ id: string }> };
          return Response.json({
            requestId: 'req_2',
            results: envelopes.map((envelope) => ({
              envelopeId: envelope.id,
              status: 403,
              error: { code: 'PURPOSE_NOT_ACCEPTED', message: 'BD does not accept reunification' },
            })),
          });
        },
      }).hub;
      node.services.clock = () => new Date(Date.now() + 60_000);
      try {
        expect(await relayDue(node.services)).toBe(0);
      } finally {
        node.services.clock = () => new Date();
      }
      for (const { caseId } of [first, second]) {
        const [audit] = await audited('envelope.refused_by_hub', caseId);
        expect(audit?.reason).toMatch(/^PURPOSE_NOT_ACCEPTED: /);
      }

      const page1 = await body(node.request(admin, 'GET', '/v1/exchange/refusals?limit=2'));
      expect(page1.refusals.map((entry: { code: string }) => entry.code)).toEqual([
        'PURPOSE_NOT_ACCEPTED',
        'PURPOSE_NOT_ACCEPTED',
      ]);
      expect(page1.refusals.map((entry: { subject: string }) => entry.subject).sort()).toEqual(
        [first.caseId, second.caseId].sort(),
      );
      expect(page1.next).toEqual(expect.any(String));
      const page2 = await body(
        node.request(admin, 'GET', `/v1/exchange/refusals?limit=2&cursor=${page1.next}`),
      );
      expect(page2.refusals.map((entry: { code: string }) => entry.code)).toEqual(['RECIPIENT_NOT_ALLOWED']);
      expect(page2.next).toBeNull();

      // Exchange diagnostics: not for officers, whose own cases the subjects are.
      for (const officer of [viewer, police])
        expect((await node.request(officer, 'GET', '/v1/exchange/refusals')).status).toBe(403);
      const bad = await node.request(admin, 'GET', '/v1/exchange/refusals?cursor=bm9wZQ');
      expect(bad.status).toBe(400);
      expect((await body(bad)).error.code).toBe('VALIDATION_FAILED');
    });

    describe('dead letters', () => {
      /** What the hub lists for `envelopeId`, its notice signed by `signer` (default: the anchor's key). */
      async function deadLetter(
        seq: number,
        envelopeId: string,
        options: { signer?: Parameters<typeof signJws>[1]; origin?: string } = {},
      ): Promise<DeadLetter> {
        const statement: DeadLetterStatement = {
          kind: DEAD_LETTER_KIND,
          envelopeId,
          envelopeDigest: 'a'.repeat(64),
          origin: options.origin ?? 'NP',
          undeliveredTo: ['BD'],
          expiresAt: new Date(Date.now() - 60_000).toISOString(),
          droppedAt: new Date().toISOString(),
        };
        const { kind: _kind, envelopeDigest: _digest, ...listed } = statement;
        return {
          seq,
          type: 'case.summary',
          purposes: ['reunification'],
          ...listed,
          notice: await signJws(canonicalJson(statement), options.signer ?? authority.key),
        };
      }

      it('stores a verified notice once, marks the outbox row, audits it and lists it; refuses a forged or foreign one', async () => {
        const sent = await published('Dolma Sherpa');
        const forgedFor = await published('Ema Sherpa');
        await node.services.db
          .update(outbox)
          .set({ status: 'sent' })
          .where(inArray(outbox.envelopeId, [sent.envelopeId, forgedFor.envelopeId]));
        const intruder = await generateSigningKey();
        const listing = [
          await deadLetter(7, sent.envelopeId),
          // Signed by another key under the anchor's kid, and one about another origin.
          await deadLetter(8, forgedFor.envelopeId, { signer: { ...intruder, kid: authority.key.kid } }),
          await deadLetter(9, `env_${'b'.repeat(26)}`, { origin: 'BD' }),
        ];
        const asked: string[] = [];
        node.services.hub = scriptedHub({
          'GET /v1/dead-letters': (request) => {
            const after = Number(new URL(request.url).searchParams.get('after'));
            asked.push(String(after));
            return Response.json({ deadLetters: listing.filter((letter) => letter.seq > after) });
          },
        }).hub;

        const first = await fetchDeadLetters(node.services);
        expect(first).toMatchObject({ stored: 1, invalid: 2, lastSeq: 9 });
        // Fetched again from the start (as after a restart): the same notice is not stored twice.
        const again = await fetchDeadLetters(node.services, 0);
        expect(again).toMatchObject({ stored: 0, invalid: 2 });
        expect(asked).toEqual(['0', '7']);

        const stored = await node.services.db.select().from(deadLetters);
        expect(stored).toHaveLength(1);
        expect(stored[0]).toMatchObject({
          envelopeId: sent.envelopeId,
          hubSeq: 7,
          subject: sent.caseId,
          undeliveredTo: ['BD'],
          envelopeDigest: 'a'.repeat(64),
        });
        expect((await rowOf(sent.envelopeId))?.status).toBe('dead_lettered');
        expect((await rowOf(forgedFor.envelopeId))?.status).toBe('sent');
        const audits = await audited('envelope.dead_lettered', sent.caseId);
        expect(audits).toHaveLength(1);
        expect(audits[0]?.reason).toContain('undelivered to BD');
        expect(await audited('envelope.dead_lettered', forgedFor.caseId)).toEqual([]);

        const listed = await body(node.request(admin, 'GET', '/v1/exchange/dead-letters'));
        expect(listed.deadLetters).toEqual([
          expect.objectContaining({
            envelopeId: sent.envelopeId,
            type: 'case.summary',
            subject: sent.caseId,
            undeliveredTo: ['BD'],
            notice: listing[0]?.notice,
          }),
        ]);
        expect(listed.next).toBeNull();
        for (const officer of [viewer, police])
          expect((await node.request(officer, 'GET', '/v1/exchange/dead-letters')).status).toBe(403);
      });

      it('keeps a notice about an envelope no longer in the outbox, audited under the envelope id', async () => {
        const envelopeId = `env_${randomUUID().replaceAll('-', '')}`;
        const letter = await deadLetter(20, envelopeId);
        // A hub answering the same notice whatever the cursor (as two node processes fetching at
        // once would see it): stored and audited once.
        node.services.hub = scriptedHub({
          'GET /v1/dead-letters': () => Response.json({ deadLetters: [letter] }),
        }).hub;
        expect(await fetchDeadLetters(node.services)).toMatchObject({ stored: 1 });
        expect(await fetchDeadLetters(node.services)).toMatchObject({ stored: 0, invalid: 0 });
        const audits = await audited('envelope.dead_lettered', envelopeId);
        expect(audits.map((audit) => audit.recordType)).toEqual(['envelope']);
        expect(
          await node.services.db.select().from(deadLetters).where(eq(deadLetters.envelopeId, envelopeId)),
        ).toHaveLength(1);
        const listed = await body(node.request(admin, 'GET', '/v1/exchange/dead-letters?limit=1'));
        expect(listed.deadLetters[0]).toMatchObject({ envelopeId, subject: null });
        expect(listed.next).toBe('20');
        const older = await body(
          node.request(admin, 'GET', `/v1/exchange/dead-letters?cursor=${listed.next}`),
        );
        expect(older.deadLetters.map((entry: { envelopeId: string }) => entry.envelopeId)).not.toContain(
          envelopeId,
        );
        expect(older.deadLetters).toHaveLength(1);
      });
    });
  },
);
