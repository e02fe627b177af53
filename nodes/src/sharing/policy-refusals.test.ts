// The origin's own hop of consent enforcement, on PGlite and PostgreSQL: a consent wider than the
// node's sharing policy is refused (422 CONSENT_EXCEEDS_POLICY) and the refusal audited — who,
// which case or (for a new report) which request, the code and the excess, never the report —
// whether it comes with a new report, a change or the consent route. And the federation policy:
// publishing leaves out, and audits, the recipients the signed federation configuration does not
// let this node address for the purpose, so the hub does not refuse the envelope for the others.
import { randomUUID } from 'node:crypto';
import type { FederationConfig, ReportInput } from '@khoj/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../tests/infra/services.ts';
import { auditLog, cases, outbox } from '../db/schema/index.ts';
import { createDirectory } from '../exchange/directory.ts';
import { createTestNode, type TestNode } from '../testing/test-node.ts';
import { adoptConfig } from '../trust/federation-config.store.ts';
import { configDocument, configMember, createConfigAuthority } from '../trust/test-support.ts';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

const missingChild = (consent: Partial<NonNullable<ReportInput['consent']>> = {}): ReportInput => ({
  kind: 'missing',
  child: { name: 'Rupa Biswas', sex: 'female', age: { years: 11 }, languages: ['bn'] },
  place: { country: 'IN', state: 'WB', district: 'Nadia' },
  eventDate: '2026-11-20',
  missing: { guardians: [] },
  consent: {
    purposes: ['reunification'],
    recipients: ['IN-*', 'BD', 'NP'],
    fields: 'standard',
    legalBasis: 'guardian_consent',
    expiresAt: inDays(300),
    grantedBy: 'SI, Ranaghat PS',
    ...consent,
  },
});

// biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
const body = async (response: Response | Promise<Response>): Promise<any> => (await response).json();

describe.each(['pglite', 'postgres'] as const)('refusals at the origin on %s', (database) => {
  let node: TestNode;
  let databaseUrl: string | undefined;
  let police: string;
  let policeId: string;

  beforeAll(async () => {
    databaseUrl =
      database === 'postgres'
        ? await createDatabase(inject('postgresUrl'), `node_${randomUUID().slice(0, 8)}`)
        : undefined;
    node = await createTestNode('IN-WB', databaseUrl);
    const station = await node.unit({ type: 'police_station', name: 'Ranaghat PS' });
    const officer = await node.user('police_officer', station.id);
    police = officer.token;
    policeId = officer.user.id;
  });
  afterAll(async () => {
    await node?.cleanup();
    if (databaseUrl) await dropDatabase(inject('postgresUrl'), new URL(databaseUrl).pathname.slice(1));
  });

  const audited = (action: string, recordId: string) =>
    node.services.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.recordId, recordId)));

  describe('a consent beyond the sharing policy', () => {
    it('is audited for a new report under the request id, without the report', async () => {
      const before = await node.services.db.select({ id: cases.id }).from(cases);
      const response = await node.request(police, 'POST', '/v1/reports', missingChild({ fields: 'full' }));
      expect(response.status).toBe(422);
      const { error } = await body(response);
      expect(error.code).toBe('CONSENT_EXCEEDS_POLICY');
      expect(await node.services.db.select({ id: cases.id }).from(cases)).toEqual(before);

      const [audit] = await audited('case.consent.refused', error.requestId);
      expect(audit).toMatchObject({
        actorId: policeId,
        recordType: 'report_input',
        requestId: error.requestId,
      });
      expect(audit?.reason).toBe(`CONSENT_EXCEEDS_POLICY: ${error.message}`);
      expect(audit?.reason).toContain('fields full');
      expect(audit?.reason).not.toMatch(/Rupa|Biswas/);
    });

    it('is audited under the case for a change and for the consent route', async () => {
      await node.addMembers('NP');
      const created = await body(
        node.request(police, 'POST', '/v1/reports', missingChild({ recipients: ['NP'] })),
      );
      const caseId = created.report.caseId;
      const wider = { ...missingChild().consent, purposes: ['anti_trafficking'] };

      const changed = await node.request(
        police,
        'PATCH',
        `/v1/reports/${caseId}`,
        { consent: wider, reason: 'asked by the mother' },
        { 'if-match': '"1"' },
      );
      expect(changed.status).toBe(422);
      const viaConsent = await node.request(
        police,
        'PUT',
        `/v1/reports/${caseId}/consent`,
        { consent: wider, reason: 'asked by the mother' },
        { 'if-match': '"1"' },
      );
      expect(viaConsent.status).toBe(422);

      const audits = await audited('case.consent.refused', caseId);
      expect(audits.map((audit) => audit.requestId)).toEqual([
        (await body(changed)).error.requestId,
        (await body(viaConsent)).error.requestId,
      ]);
      for (const audit of audits) {
        expect(audit).toMatchObject({ actorId: policeId, recordType: 'case' });
        expect(audit.reason).toMatch(/^CONSENT_EXCEEDS_POLICY: .*purpose anti_trafficking/);
      }
    });
  });

  describe('the federation policy at the origin', () => {
    beforeAll(async () => {
      // A signed configuration held as the trust worker would hold it: IN-WB may not send to BD,
      // and NP accepts anti-trafficking work only.
      const authority = await createConfigAuthority('root certificate: not read by these tests');
      const issuedAt = new Date(Date.now() - 60_000);
      const members = await Promise.all(
        ['IN-WB', 'IN-BR', 'BD', 'NP'].map(async (nodeId) => (await configMember(nodeId, issuedAt)).member),
      );
      const config: FederationConfig = {
        ...configDocument(5, members, { issuedAt }),
        policy: {
          nodes: {
            'IN-WB': {
              acceptsPurposes: ['reunification', 'anti_trafficking'],
              allowsRecipients: ['IN-*', 'NP'],
            },
            'IN-BR': { acceptsPurposes: ['reunification', 'anti_trafficking'], allowsRecipients: ['IN-*'] },
            BD: { acceptsPurposes: ['reunification', 'anti_trafficking'], allowsRecipients: ['IN-*'] },
            NP: { acceptsPurposes: ['anti_trafficking'], allowsRecipients: ['IN-*'] },
          },
        },
      };
      await adoptConfig(node.services.db, { jws: await authority.sign(config), config }, new Date());
      node.services.directory = createDirectory(node.services.db, {
        ...node.services.trust,
        anchor: authority.anchor,
      });
    });

    it('addresses only the recipients the policy allows and audits each one left out, with its code', async () => {
      const created = await body(node.request(police, 'POST', '/v1/reports', missingChild()));
      const caseId = created.report.caseId;
      expect(created.publication.recipients).toEqual(['IN-BR']);
      const [row] = await node.services.db.select().from(outbox).where(eq(outbox.subject, caseId));
      expect(row?.envelope.recipients).toEqual(['IN-BR']);

      const reasons = (await audited('envelope.recipient_excluded', caseId)).map((audit) => audit.reason);
      expect(reasons).toEqual([
        expect.stringMatching(
          /^RECIPIENT_NOT_ALLOWED: the federation policy of IN-WB does not allow sending to BD/,
        ),
        expect.stringMatching(/^PURPOSE_NOT_ACCEPTED: NP does not accept reunification/),
      ]);
    });

    it('publishes nothing when the policy leaves no recipient, and says why in the audit', async () => {
      const created = await body(
        node.request(police, 'POST', '/v1/reports', missingChild({ recipients: ['BD'] })),
      );
      expect(created.publication).toBeNull();
      const caseId = created.report.caseId;
      expect(await node.services.db.select().from(outbox).where(eq(outbox.subject, caseId))).toEqual([]);
      const [audit] = await audited('envelope.recipient_excluded', caseId);
      expect(audit?.reason).toMatch(/^RECIPIENT_NOT_ALLOWED: /);
    });
  });
});
