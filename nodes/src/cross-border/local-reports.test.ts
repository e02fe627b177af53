// Cross-border matching of reports registered after a summary is held, between test nodes that
// know each other (queries/test-link.ts), on PGlite and PostgreSQL: NP shares a missing child,
// IN-WB holds the summary, and only later registers a found report of her — the node's matcher
// (workers.ts createNodeMatcher) proposes the pair at IN-WB and NP is notified. A found report of
// another child gives nothing; a minimal-tier summary (phonetic keys, no names) is still found; a
// retracted or expired summary is not matched; editing the found report so it no longer matches
// closes the candidate at IN-WB and withdraws it at NP.
import { randomUUID } from 'node:crypto';
import type { ReportInput } from '@khoj/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import {
  auditLog,
  crossBorderCandidates,
  foreignSummaries,
  foreignSummaryKeys,
  outbox,
} from '../db/schema/index.ts';
import type { Matcher } from '../matching/matcher.ts';
import { linkNodes } from '../queries/test-link.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { createNodeMatcher } from '../workers.ts';
import { crossBorderSettled } from './match-summary.ts';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

type Child = ReportInput['child'];

const missingAtNp = (child: Child, fields: 'minimal' | 'standard' = 'standard'): ReportInput => ({
  kind: 'missing',
  child,
  place: { country: 'NP', state: 'Bagmati', district: 'Sindhupalchok' },
  eventDate: '2026-11-10',
  missing: { guardians: [{ name: 'Mina Tamang', relation: 'mother', phones: [] }] },
  consent: {
    purposes: ['reunification'],
    recipients: ['IN-*'],
    fields,
    legalBasis: 'guardian_consent',
    expiresAt: inDays(30),
    grantedBy: 'Inspector, Sindhupalchok',
  },
});

const foundAtWb = (child: Child): ReportInput => ({
  kind: 'found',
  child,
  place: { country: 'IN', state: 'WB', district: 'Darjeeling' },
  eventDate: '2026-11-17',
  found: { foundBy: 'railway_police' },
});

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const body = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe.each(['pglite', 'postgres'] as const)(
  'cross-border matching of reports registered after the summary, on %s',
  (database) => {
    let np: TestNode;
    let wb: TestNode;
    let bd: TestNode;
    let link: Awaited<ReturnType<typeof linkNodes>>;
    let npPolice: string;
    let wbPolice: string;
    let matcher: Matcher;
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
      link = await linkNodes([np, wb, bd]);
      npPolice = (
        await np.user('police_officer', (await np.unit({ type: 'police_station', country: 'NP' })).id)
      ).token;
      wbPolice = (await wb.user('police_officer', (await wb.unit({ type: 'police_station' })).id)).token;
      matcher = createNodeMatcher(wb.services);
    }, 360_000);
    afterAll(async () => {
      for (const node of [np, wb, bd]) await node?.cleanup();
      for (const at of databases) await dropDatabase(inject('postgresUrl'), new URL(at).pathname.slice(1));
    });

    /** NP registers and shares the child; IN-WB receives and holds it (matched, nothing found). */
    const shareFromNp = async (child: Child, fields: 'minimal' | 'standard' = 'standard') => {
      const created = await body(np.request(npPolice, 'POST', '/v1/reports', missingAtNp(child, fields)));
      expect(created.publication.recipients).toContain('IN-WB');
      await link.exchange();
      await crossBorderSettled(wb.services);
      const [held] = await wb.services.db
        .select()
        .from(foreignSummaries)
        .where(eq(foreignSummaries.caseId, created.report.caseId));
      expect(held?.version).toBe(1);
      return created.report.caseId as string;
    };
    /** IN-WB registers a found report, and its matcher takes it (as the worker would). */
    const registerAtWb = async (child: Child) => {
      const created = await body(wb.request(wbPolice, 'POST', '/v1/reports', foundAtWb(child)));
      expect(created.report.verification).toBe('verified');
      await matcher.matchDue();
      return created.report.caseId as string;
    };
    /** IN-WB's candidates for its report and NP's case (other held summaries may match it too). */
    const foundHere = (localCaseId: string, caseId: string) =>
      wb.services.db
        .select()
        .from(crossBorderCandidates)
        .where(
          and(
            eq(crossBorderCandidates.role, 'found_here'),
            eq(crossBorderCandidates.localCaseId, localCaseId),
            eq(crossBorderCandidates.foreignReference, caseId),
          ),
        );
    const notifiedAtNp = (caseId: string) =>
      np.services.db
        .select()
        .from(crossBorderCandidates)
        .where(
          and(eq(crossBorderCandidates.role, 'notified'), eq(crossBorderCandidates.localCaseId, caseId)),
        );
    const audited = (node: TestNode, action: string, recordId: string) =>
      node.services.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, action), eq(auditLog.recordId, recordId)));

    const sita: Child = {
      name: 'Sita Tamang',
      aliases: ['Kanchhi'],
      sex: 'female',
      age: { years: 12 },
      languages: ['ne'],
      identifyingMarks: ['mole on left cheek'],
    };
    const sitaFound: Child = {
      name: 'Sita',
      sex: 'female',
      age: { estimateMin: 11, estimateMax: 13 },
      languages: ['ne'],
      identifyingMarks: ['mole on the left cheek'],
    };

    it('proposes a report registered after the summary was held, and notifies the origin', async () => {
      const caseId = await shareFromNp(sita);
      const keys = await wb.services.db
        .select()
        .from(foreignSummaryKeys)
        .where(eq(foreignSummaryKeys.caseId, caseId));
      expect(keys.map((key) => key.rule)).toContain('name');

      const foundId = await registerAtWb(sitaFound);
      const [candidate] = await foundHere(foundId, caseId);
      expect(candidate).toMatchObject({
        foreignOrigin: 'NP',
        foreignReference: caseId,
        foreignVersion: 1,
        status: 'proposed',
      });
      expect(candidate?.explanation.map((step) => (step as { field: string }).field)).toContain('name');
      expect(await audited(wb, 'match.cross_border.proposed', foundId)).toHaveLength(1);
      const notices = await wb.services.db
        .select()
        .from(outbox)
        .where(eq(outbox.subject, candidate?.id ?? ''));
      expect(notices.map((row) => [row.envelope.type, row.envelope.recipients])).toEqual([
        ['match.notice', ['NP']],
      ]);

      await link.exchange();
      const [notified] = await notifiedAtNp(caseId);
      expect(notified).toMatchObject({
        foreignOrigin: 'IN-WB',
        foreignReference: candidate?.id,
        status: 'proposed',
      });
      expect(notified?.probability).toBeCloseTo(candidate?.probability ?? 0, 10);
      expect(await audited(np, 'match.notice.received', caseId)).toHaveLength(1);
    });

    it('proposes nothing for a found report of another child', async () => {
      const caseId = await shareFromNp({
        name: 'Anjali Gurung',
        sex: 'female',
        age: { years: 9 },
        languages: ['ne'],
      });
      const foundId = await registerAtWb({
        name: 'Rahul Das',
        sex: 'male',
        age: { estimateMin: 4, estimateMax: 5 },
        languages: ['bn'],
      });
      expect(await foundHere(foundId, caseId)).toEqual([]);
      expect(await audited(wb, 'match.cross_border.proposed', foundId)).toEqual([]);
    });

    it('blocks a summary received at the minimal tier by its phonetic keys, scored without names', async () => {
      const caseId = await shareFromNp(
        {
          name: 'Gyanu Lama',
          sex: 'female',
          age: { years: 7 },
          languages: ['ne'],
          identifyingMarks: ['burn scar on right hand'],
        },
        'minimal',
      );
      const [held] = await wb.services.db
        .select()
        .from(foreignSummaries)
        .where(eq(foreignSummaries.caseId, caseId));
      expect(held?.summary.child.name).toBeUndefined();
      expect(held?.summary.child.phoneticNames?.length).toBeGreaterThan(0);
      // Sex, age, date and a place across the border alone stay below the default review
      // threshold (as when such a summary arrives): a node that wants these sees them with a lower
      // one (KHOJ_MATCH_REVIEW), as here.
      const config = wb.services.config;
      wb.services.config = { ...config, matchReviewThreshold: 0.001 };
      try {
        const foundId = await registerAtWb({
          name: 'Gyanu Lama',
          sex: 'female',
          age: { estimateMin: 6, estimateMax: 8 },
        });
        const otherName = await registerAtWb({
          name: 'Bimala Rai',
          sex: 'female',
          age: { estimateMin: 6, estimateMax: 8 },
        });
        const [candidate] = await foundHere(foundId, caseId);
        expect(candidate?.status).toBe('proposed');
        // Scored without names (they were not received): only the phonetic keys brought the pair.
        expect(candidate?.explanation).toContainEqual(
          expect.objectContaining({ field: 'name', level: 'unknown' }),
        );
        expect(await foundHere(otherName, caseId)).toEqual([]);
      } finally {
        wb.services.config = config;
      }
    });

    it('does not match a retracted summary, nor an expired one', async () => {
      const retracted = await shareFromNp({ ...sita, name: 'Puja Magar', aliases: [] });
      const move = (to: string, version: number) =>
        np.request(
          npPolice,
          'POST',
          `/v1/reports/${retracted}/transitions`,
          { to },
          { 'if-match': `"${version}"` },
        );
      expect((await move('matched', 1)).status).toBe(200);
      expect((await move('reunited', 2)).status).toBe(200);
      await link.exchange();
      expect(
        await wb.services.db.select().from(foreignSummaries).where(eq(foreignSummaries.caseId, retracted)),
      ).toEqual([]);
      expect(
        await wb.services.db
          .select()
          .from(foreignSummaryKeys)
          .where(eq(foreignSummaryKeys.caseId, retracted)),
      ).toEqual([]);
      const pujaId = await registerAtWb({ ...sitaFound, name: 'Puja Magar' });
      expect(await foundHere(pujaId, retracted)).toEqual([]);

      const expired = await shareFromNp({ ...sita, name: 'Laxmi Shrestha', aliases: [] });
      const created = await body(
        wb.request(wbPolice, 'POST', '/v1/reports', foundAtWb({ ...sitaFound, name: 'Laxmi Shrestha' })),
      );
      // Matched after the consent scope (30 days) has run out, before NP's retraction arrives.
      const clock = wb.services.clock;
      wb.services.clock = () => new Date(Date.now() + 31 * DAY);
      try {
        await matcher.matchDue();
      } finally {
        wb.services.clock = clock;
      }
      expect(await foundHere(created.report.caseId, expired)).toEqual([]);
      // The same report, matched in time, finds it: what stopped it was the expiry.
      const edited = await wb.request(
        wbPolice,
        'PATCH',
        `/v1/reports/${created.report.caseId}`,
        { eventDate: '2026-11-18' },
        { 'if-match': '"1"' },
      );
      expect(edited.status).toBe(200);
      await matcher.matchDue();
      expect((await foundHere(created.report.caseId, expired))[0]?.status).toBe('proposed');
    });

    it('closes the candidate when the report is edited so it no longer matches, and withdraws it at NP', async () => {
      const caseId = await shareFromNp({ ...sita, name: 'Kamala Thapa', aliases: [] });
      const foundId = await registerAtWb({ ...sitaFound, name: 'Kamala Thapa' });
      const [candidate] = await foundHere(foundId, caseId);
      expect(candidate?.status).toBe('proposed');
      await link.exchange();
      expect((await notifiedAtNp(caseId))[0]?.status).toBe('proposed');

      const edited = await wb.request(
        wbPolice,
        'PATCH',
        `/v1/reports/${foundId}`,
        {
          child: {
            name: 'Rakesh Barman',
            sex: 'male',
            age: { estimateMin: 4, estimateMax: 5 },
            languages: ['bn'],
          },
        },
        { 'if-match': '"1"' },
      );
      expect(edited.status).toBe(200);
      await matcher.matchDue();
      const [closed] = await foundHere(foundId, caseId);
      expect(closed).toMatchObject({
        id: candidate?.id,
        status: 'closed',
        closedReason: 'no longer reaches the review threshold',
      });
      expect((await audited(wb, 'match.cross_border.closed', foundId))[0]?.reason).toContain(caseId);

      await link.exchange();
      const [withdrawn] = await notifiedAtNp(caseId);
      expect(withdrawn?.status).toBe('closed');
      expect(withdrawn?.closedReason).toContain('withdrawn by IN-WB');
    });
  },
);
