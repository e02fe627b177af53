// Cross-border exchange between test nodes that know each other (queries/test-link.ts: real keys,
// real inboxes, the hub replaced by a carrier), on PGlite and PostgreSQL: a summary from NP is
// matched at IN-WB against its found child, the candidate is stored with its explanation and a
// match.notice goes back to NP, which shows it on its case; the receiver refuses a purpose it does
// not accept and an expired scope, and drops (and audits) fields outside the tier; a retraction
// deletes the summary, leaves a tombstone that a late older summary cannot pass, and closes the
// candidates.
import { randomUUID } from 'node:crypto';
import type { Envelope, PublicJwk, ReportInput, SharedCase } from '@khoj/contracts';
import { toPublicJwk } from '@khoj/pki';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import {
  auditLog,
  crossBorderCandidates,
  foreignSummaries,
  foreignTombstones,
  inboxLog,
  outbox,
} from '../db/schema/index.ts';
import { sealEnvelope } from '../exchange/seal.ts';
import { createMatcher } from '../matching/matcher.ts';
import { matchThresholds } from '../matching/thresholds.ts';
import { deliver, linkNodes } from '../queries/test-link.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { crossBorderSettled } from './match-summary.ts';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

const missingAtNp = (overrides: Partial<ReportInput> = {}): ReportInput => ({
  kind: 'missing',
  child: {
    name: 'Sita Tamang',
    aliases: ['Kanchhi'],
    sex: 'female',
    age: { years: 12 },
    languages: ['ne'],
    identifyingMarks: ['mole on left cheek'],
  },
  place: { country: 'NP', state: 'Bagmati', district: 'Sindhupalchok' },
  eventDate: '2026-11-20',
  missing: { guardians: [{ name: 'Mina Tamang', relation: 'mother', phones: [] }] },
  consent: {
    purposes: ['reunification'],
    recipients: ['IN-*'],
    fields: 'standard',
    legalBasis: 'guardian_consent',
    expiresAt: inDays(300),
    grantedBy: 'Inspector, Sindhupalchok',
  },
  ...overrides,
});

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const body = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe.each(['pglite', 'postgres'] as const)(
  'cross-border summaries, retractions and matches on %s',
  (database) => {
    let np: TestNode;
    let wb: TestNode;
    let bd: TestNode;
    let link: Awaited<ReturnType<typeof linkNodes>>;
    let npPolice: string;
    let wbPolice: string;
    let foundId: string;
    const databases: string[] = [];

    beforeAll(async () => {
      const url = async () => {
        if (database !== 'postgres') return undefined;
        const created = await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`);
        databases.push(created);
        return created;
      };
      [np, wb, bd] = await Promise.all([
        url().then((at) => createTestNode('NP', at)),
        url().then((at) => createTestNode('IN-WB', at)),
        url().then((at) => createTestNode('BD', at)),
      ]);
      // BD answers anti-trafficking only.
      link = await linkNodes([np, wb, bd], { BD: ['anti_trafficking'] });
      npPolice = (
        await np.user('police_officer', (await np.unit({ type: 'police_station', country: 'NP' })).id)
      ).token;
      wbPolice = (await wb.user('police_officer', (await wb.unit({ type: 'police_station' })).id)).token;
      const found = await body(
        wb.request(wbPolice, 'POST', '/v1/reports', {
          kind: 'found',
          child: {
            name: 'Sita',
            sex: 'female',
            age: { estimateMin: 11, estimateMax: 13 },
            languages: ['ne'],
            identifyingMarks: ['mole on the left cheek'],
          },
          place: { country: 'IN', state: 'WB', district: 'Darjeeling' },
          eventDate: '2026-11-24',
          found: { foundBy: 'railway_police' },
        }),
      );
      foundId = found.report.caseId;
      await createMatcher({ db: wb.services.db, thresholds: matchThresholds(wb.services.config) }).matchDue();
      // Three nodes with their migrations, on a machine shared with other work.
    }, 360_000);
    afterAll(async () => {
      for (const node of [np, wb, bd]) await node?.cleanup();
      for (const url of databases) await dropDatabase(inject('postgresUrl'), new URL(url).pathname.slice(1));
    });

    const outboxOf = (node: TestNode, subject: string) =>
      node.services.db.select().from(outbox).where(eq(outbox.subject, subject)).orderBy(asc(outbox.seq));
    const heldAt = (node: TestNode, caseId: string) =>
      node.services.db.select().from(foreignSummaries).where(eq(foreignSummaries.caseId, caseId));
    const inboxOutcome = async (node: TestNode, envelopeId: string) =>
      (await node.services.db.select().from(inboxLog).where(eq(inboxLog.envelopeId, envelopeId)))[0];
    const audited = (node: TestNode, action: string, recordId: string) =>
      node.services.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.recordId, recordId)));
    const sealFromNp = (shared: SharedCase, version = shared.summary.version) =>
      sealEnvelope({
        type: 'case.summary',
        origin: 'NP',
        subject: shared.summary.caseId,
        version,
        body: shared,
        recipients: [{ nodeId: 'IN-WB', encryptionKey: wbEncryptionKey() }],
        purposes: shared.scope.purposes,
        expiresAt: new Date(Date.now() + DAY),
        signingKey: np.services.keys.signing,
        now: new Date(),
      });
    const publicOf = (node: TestNode): PublicJwk => ({
      ...toPublicJwk(node.services.keys.encryption.privateJwk),
      kid: node.services.keys.encryption.kid,
    });
    const wbEncryptionKey = () => publicOf(wb);
    const scope = (overrides: Partial<SharedCase['scope']> = {}): SharedCase['scope'] => ({
      purposes: ['reunification'],
      recipients: ['IN-*'],
      fields: 'standard',
      legalBasis: 'guardian_consent',
      expiresAt: inDays(30),
      grantedBy: 'Inspector',
      grantedAt: new Date().toISOString(),
      ...overrides,
    });
    const fakeCaseId = () => `case_${randomUUID().replaceAll('-', '').slice(0, 26)}`;

    it('matches a received summary locally and tells the origin, both showing the explanation', async () => {
      const created = await body(np.request(npPolice, 'POST', '/v1/reports', missingAtNp()));
      const caseId = created.report.caseId;
      expect(created.publication.recipients).toEqual(['IN-WB']);
      await link.exchange();
      expect(await heldAt(wb, caseId)).toHaveLength(1);
      await crossBorderSettled(wb.services);

      const atWb = await body(wb.request(wbPolice, 'GET', `/v1/reports/${foundId}/cross-border-candidates`));
      expect(atWb.candidates).toHaveLength(1);
      const found = atWb.candidates[0];
      expect(found).toMatchObject({
        role: 'found_here',
        localCaseId: foundId,
        foreign: { origin: 'NP', reference: caseId, version: 1 },
        status: 'proposed',
      });
      expect(found.probability).toBeGreaterThanOrEqual(matchThresholds(wb.services.config).review);
      expect(found.explanation.map((step: { field: string }) => step.field)).toContain('name');

      const notices = await outboxOf(wb, found.candidateId);
      expect(notices.map((row) => row.envelope.type)).toEqual(['match.notice']);
      expect(notices[0]?.envelope.recipients).toEqual(['NP']);
      await link.exchange();
      expect((await inboxOutcome(np, notices[0]?.envelopeId ?? ''))?.outcome).toBe('applied');

      const atNp = await body(np.request(npPolice, 'GET', `/v1/reports/${caseId}/cross-border-candidates`));
      expect(atNp.candidates).toHaveLength(1);
      expect(atNp.candidates[0]).toMatchObject({
        role: 'notified',
        localCaseId: caseId,
        foreign: { origin: 'IN-WB', reference: found.candidateId, version: 1 },
        band: found.band,
      });
      expect(atNp.candidates[0].probability).toBeCloseTo(found.probability, 10);
      expect(atNp.candidates[0].explanation.map((step: { field: string }) => step.field)).toEqual(
        found.explanation.map((step: { field: string }) => step.field),
      );
      // Nothing about IN-WB's child reaches NP: not its case id, not its name or marks.
      expect(JSON.stringify(atNp)).not.toContain(foundId);
      expect(JSON.stringify(atNp.candidates[0].explanation)).not.toMatch(/Sita|mole/i);
      expect(await audited(np, 'match.notice.received', caseId)).toHaveLength(1);
      expect(await audited(wb, 'match.cross_border.proposed', foundId)).not.toHaveLength(0);
    });

    it('refuses a match notice about a case the sender was never sent', async () => {
      const local = await body(
        np.request(npPolice, 'POST', '/v1/reports', missingAtNp({ consent: undefined })),
      );
      const notice = await sealEnvelope({
        type: 'match.notice',
        origin: 'IN-WB',
        subject: 'xmatch_probe',
        version: 1,
        body: {
          event: 'proposed',
          caseId: local.report.caseId,
          caseVersion: 1,
          reference: `xmatch_${'a'.repeat(26)}`,
          probability: 0.99,
          band: 'alert',
          explanation: [],
        },
        recipients: [
          {
            nodeId: 'NP',
            encryptionKey: npKey(),
          },
        ],
        purposes: ['reunification'],
        expiresAt: new Date(Date.now() + DAY),
        signingKey: wb.services.keys.signing,
        now: new Date(),
      });
      await deliver(np, notice);
      expect((await inboxOutcome(np, notice.id))?.reason).toMatch(/^ERR_NOT_AUTHORISED/);
      expect(await audited(np, 'envelope.refused', notice.id)).toHaveLength(1);
    });

    const npKey = () => publicOf(np);

    it('refuses a purpose it does not accept and an expired scope, with their codes, audited', async () => {
      const created = await body(
        np.request(
          npPolice,
          'POST',
          '/v1/reports',
          missingAtNp({
            consent: {
              ...(missingAtNp().consent as NonNullable<ReportInput['consent']>),
              recipients: ['BD'],
            },
          }),
        ),
      );
      // Carried even though the hub would have refused it: the receiver checks again.
      await link.exchange({ asHub: false });
      const [summary] = await outboxOf(np, created.report.caseId);
      const refused = await inboxOutcome(bd, summary?.envelopeId ?? '');
      expect(refused?.outcome).toBe('rejected');
      expect(refused?.reason).toMatch(/^ERR_PURPOSE_NOT_ACCEPTED/);
      expect(await audited(bd, 'envelope.refused', summary?.envelopeId ?? '')).toHaveLength(1);
      expect(await heldAt(bd, created.report.caseId)).toHaveLength(0);

      const caseId = fakeCaseId();
      const expired = await sealFromNp({
        summary: {
          caseId,
          origin: 'NP',
          kind: 'missing',
          version: 1,
          child: { sex: 'female', age: { years: 9 } },
          place: { country: 'NP' },
          eventDate: '2026-11-01',
        },
        scope: scope({ expiresAt: new Date(Date.now() - 1000).toISOString() }),
      });
      await deliver(wb, expired);
      expect((await inboxOutcome(wb, expired.id))?.reason).toMatch(/^ERR_SCOPE_EXPIRED/);
      expect(await audited(wb, 'envelope.refused', expired.id)).toHaveLength(1);
      expect(await heldAt(wb, caseId)).toHaveLength(0);
    });

    it('drops fields outside the tier before storing, and audits what it dropped', async () => {
      const caseId = fakeCaseId();
      const envelope = await sealFromNp({
        summary: {
          caseId,
          origin: 'NP',
          kind: 'missing',
          version: 1,
          child: {
            name: 'Gita Rai',
            aliases: ['Kanchhi'],
            sex: 'female',
            age: { years: 10 },
            phoneticNames: ['gita'],
          },
          place: { country: 'NP', district: 'Ilam', description: 'tea garden' },
          eventDate: '2026-11-01',
          guardians: [{ name: 'Hari Rai', relation: 'father', phones: ['+977 98000000'] }],
        },
        scope: scope({ fields: 'minimal' }),
      });
      await deliver(wb, envelope);
      expect((await inboxOutcome(wb, envelope.id))?.outcome).toBe('applied');
      const [held] = await heldAt(wb, caseId);
      expect(held?.summary.child).toEqual({
        sex: 'female',
        age: { estimateMin: 9, estimateMax: 11 },
        phoneticNames: ['gita'],
      });
      expect(held?.summary.place).toEqual({ country: 'NP', district: 'Ilam' });
      expect(JSON.stringify(held)).not.toMatch(/Gita|Hari|tea garden|Kanchhi/);
      const [entry] = await audited(wb, 'envelope.fields_dropped', envelope.id);
      expect(entry?.reason).toContain('child.name');
      expect(entry?.reason).toContain('guardians');
      expect(entry?.reason).toContain('place.description');
    });

    it('retracts: summary deleted, tombstone kept, a late older summary ignored, candidates closed', async () => {
      const created = await body(np.request(npPolice, 'POST', '/v1/reports', missingAtNp()));
      const caseId = created.report.caseId;
      await link.exchange();
      await crossBorderSettled(wb.services);
      await link.exchange();
      // Version 2 is written, and held back by the carrier until after the retraction.
      const changed = await body(
        np.request(
          npPolice,
          'PATCH',
          `/v1/reports/${caseId}`,
          { eventDate: '2026-11-21' },
          { 'if-match': '"1"' },
        ),
      );
      const lateV2 = (await outboxOf(np, caseId)).find(
        (row) => row.envelopeId === changed.publication.envelopeId,
      );
      const move = (to: string, version: number) =>
        np.request(
          npPolice,
          'POST',
          `/v1/reports/${caseId}/transitions`,
          { to },
          { 'if-match': `"${version}"` },
        );
      expect((await move('matched', 2)).status).toBe(200);
      expect((await move('reunited', 3)).status).toBe(200);
      const history = await outboxOf(np, caseId);
      expect(history.map((row) => row.envelope.type)).toEqual([
        'case.summary',
        'case.summary',
        'case.retraction',
      ]);
      const retraction = history[2]?.envelope as Envelope;
      expect(retraction.recipients).toEqual(['IN-WB']);
      await deliver(wb, retraction);
      expect((await inboxOutcome(wb, retraction.id))?.outcome).toBe('applied');
      expect(await heldAt(wb, caseId)).toHaveLength(0);
      const [tombstone] = await wb.services.db
        .select()
        .from(foreignTombstones)
        .where(eq(foreignTombstones.caseId, caseId));
      expect(tombstone).toMatchObject({ origin: 'NP', version: 4, reason: 'reunited' });
      const candidates = await wb.services.db
        .select()
        .from(crossBorderCandidates)
        .where(eq(crossBorderCandidates.foreignReference, caseId));
      expect(candidates.length).toBeGreaterThan(0);
      expect(
        candidates.every((row) => row.status === 'closed' && row.closedReason === 'retracted: reunited'),
      ).toBe(true);
      const [applied] = await audited(wb, 'case.retraction.applied', retraction.id);
      expect(applied?.reason).toContain('summary deleted');

      await deliver(wb, lateV2?.envelope as Envelope);
      expect((await inboxOutcome(wb, lateV2?.envelopeId ?? ''))?.outcome).toBe('applied');
      expect(await heldAt(wb, caseId)).toHaveLength(0);
      await crossBorderSettled(wb.services);
      const after = await wb.services.db
        .select()
        .from(crossBorderCandidates)
        .where(eq(crossBorderCandidates.foreignReference, caseId));
      expect(after.every((row) => row.status === 'closed')).toBe(true);
    });

    it('keeps a tombstone for a retraction of a case it never held, so the summary cannot arrive after', async () => {
      const caseId = fakeCaseId();
      const retraction = await sealEnvelope({
        type: 'case.retraction',
        origin: 'NP',
        subject: caseId,
        version: 1,
        body: {
          caseId,
          origin: 'NP',
          version: 2,
          reason: 'consent_withdrawn',
          retractedAt: new Date().toISOString(),
        },
        recipients: [{ nodeId: 'IN-WB', encryptionKey: wbEncryptionKey() }],
        purposes: ['reunification'],
        expiresAt: new Date(Date.now() + DAY),
        signingKey: np.services.keys.signing,
        now: new Date(),
      });
      await deliver(wb, retraction);
      const [tombstone] = await wb.services.db
        .select()
        .from(foreignTombstones)
        .where(eq(foreignTombstones.caseId, caseId));
      expect(tombstone).toMatchObject({ version: 2, reason: 'consent_withdrawn' });
      expect((await audited(wb, 'case.retraction.applied', retraction.id))[0]?.reason).toContain(
        'no summary held',
      );
      const summary = await sealFromNp({
        summary: {
          caseId,
          origin: 'NP',
          kind: 'missing',
          version: 2,
          child: { sex: 'male', age: { years: 8 } },
          place: { country: 'NP' },
          eventDate: '2026-11-01',
        },
        scope: scope(),
      });
      await deliver(wb, summary);
      expect(await heldAt(wb, caseId)).toHaveLength(0);
      // A later version (the case shared again) is held.
      const newer = await sealFromNp({
        summary: {
          caseId,
          origin: 'NP',
          kind: 'missing',
          version: 3,
          child: { sex: 'male', age: { years: 8 } },
          place: { country: 'NP' },
          eventDate: '2026-11-01',
        },
        scope: scope(),
      });
      await deliver(wb, newer);
      expect((await heldAt(wb, caseId))[0]?.version).toBe(3);
    });
  },
);
