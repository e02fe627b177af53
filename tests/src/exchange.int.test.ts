// Consent-scoped exchange end to end, through a real hub over real mutual TLS: the hub, IN-WB, NP
// and BD as separate processes (support/federation.ts), each with its own PostgreSQL database,
// relaying through BullMQ on Redis. Each envelope type that carries a case — `case.summary`
// (versioned, minimised to the tier), `case.retraction` (to every recipient) and `match.notice` —
// and each refusal on the way: the origin's (a consent beyond its sharing policy; minimisation),
// the hub's (a recipient or a purpose the federation policy does not allow, set through the admin
// API: the origin leaves such recipients out itself, so the hub refuses only an envelope sealed
// before the policy changed; each hop's refusal audited at the origin and listed by its API) and
// the receiver's (a purpose it stopped accepting, a scope that does not name it or has
// expired, fields outside the tier), each with its code where the design puts it. Then the
// hub's handling of an envelope id submitted twice, an older version arriving after a newer one,
// and an envelope expiring undelivered (a dead letter for the origin).
import { randomUUID } from 'node:crypto';
import {
  type CaseSummary,
  type CreatedReport,
  type Envelope,
  type EnvelopeType,
  envelopeIdFor,
  envelopeSigningInput,
  type ForeignSummary,
  type PublicJwk,
  type Purpose,
  type Report,
  type ReportInput,
  type SharedCase,
} from '@khoj/contracts';
import { signDetached } from '@khoj/pki';
import { federationLayout } from '@khoj/tools';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, envelopes } from '../../hub/src/db/schema/index.ts';
import {
  auditLog,
  cases,
  federationMembers,
  foreignSummaries,
  foreignTombstones,
  inboxLog,
  outbox,
} from '../../nodes/src/db/schema/index.ts';
import { enqueueEnvelope } from '../../nodes/src/exchange/outbox.store.ts';
import { minimiseSummary, sealEnvelope } from '../../nodes/src/exchange/seal.ts';
import { nodePaths } from '../../nodes/src/home.ts';
import { readOwnKeys } from '../../nodes/src/trust/own-keys.ts';
import { createFederation, eventually } from './support/federation.ts';

const NODES = ['IN-WB', 'NP', 'BD'] as const;
type NodeId = (typeof NODES)[number];
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
/** Every purpose there is: a node's federation policy by default accepts them all. */
const ALL_PURPOSES: Purpose[] = ['reunification', 'anti_trafficking'];

/** A child reported missing at NP, shared for reunification under `consent` (overrides). */
const missingAtNp = (
  name: string,
  consent: Partial<NonNullable<ReportInput['consent']>> = {},
): ReportInput => ({
  kind: 'missing',
  child: {
    name,
    aliases: [`${name.split(' ')[0]}i`],
    sex: 'female',
    age: { years: 12 },
    languages: ['ne'],
    identifyingMarks: ['scar on the right wrist'],
  },
  place: { country: 'NP', state: 'Bagmati', district: 'Sindhupalchok' },
  eventDate: '2026-11-20',
  missing: {
    firNumber: `SPC-${randomUUID().slice(0, 6)}`,
    circumstances: 'left for the bus park with a neighbour',
    guardians: [{ name: 'Mina Tamang', relation: 'mother', phones: ['+977 980 000 1111'] }],
  },
  consent: {
    purposes: ['reunification'],
    recipients: ['IN-*', 'BD'],
    fields: 'standard',
    legalBasis: 'guardian_consent',
    expiresAt: inDays(300),
    grantedBy: 'Inspector, Sindhupalchok',
    ...consent,
  },
});

// Per test: a policy change waits for three nodes to adopt it, and stopping and starting BD
// takes tens of seconds on this shared machine.
describe('consent-scoped exchange between separate processes over mutual TLS', { timeout: 240_000 }, () => {
  // Dead-letter notices fetched every second, as the hub sweeps every second here.
  const federation = createFederation({
    name: 'exchange',
    nodes: NODES,
    nodeEnv: { KHOJ_DEAD_LETTER_POLL_SECONDS: '1' },
  });
  const officerAt: Record<NodeId, string> = { 'IN-WB': 'wb.police', NP: 'np.police', BD: 'bd.police' };
  const db = (nodeId: NodeId) => federation.node(nodeId).store.db;
  const hubDb = () => federation.hub.store.db;

  const report = async (input: ReportInput) => {
    const { status, body } = await federation.call<CreatedReport>('np.police', 'POST', '/v1/reports', input);
    expect(status, JSON.stringify(body)).toBe(201);
    return body;
  };
  /** What `nodeId`'s API lists as received for `caseId` (undefined: nothing). */
  const heldAt = async (nodeId: NodeId, caseId: string) => {
    const { status, body } = await federation.call<{ summaries: ForeignSummary[] }>(
      officerAt[nodeId],
      'GET',
      '/v1/foreign-summaries?origin=NP',
    );
    expect(status).toBe(200);
    return body.summaries.filter((summary) => summary.summary.caseId === caseId);
  };
  const arrived = (nodeId: NodeId, caseId: string, version = 1) =>
    eventually(`${caseId} v${version} at ${nodeId}`, async () => {
      const held = await heldAt(nodeId, caseId);
      return held[0] && held[0].summary.version >= version ? held : undefined;
    });
  /** NP's outbox row for an envelope once the relay is done with it (sent or refused). */
  const relayed = (envelopeId: string) =>
    eventually(`NP to relay ${envelopeId}`, async () => {
      const [row] = await db('NP').select().from(outbox).where(eq(outbox.envelopeId, envelopeId));
      return row && row.status !== 'pending' ? row : undefined;
    });
  /** NP's retraction envelope for `caseId` (read from the outbox's JSON). */
  const retractionOf = (caseId: string) =>
    eventually(`NP's retraction of ${caseId}`, async () => {
      const rows = await db('NP').select().from(outbox).where(eq(outbox.subject, caseId));
      return rows.find((row) => row.envelope.type === 'case.retraction');
    });
  const inboxEntry = (nodeId: NodeId, envelopeId: string) =>
    eventually(`${envelopeId} in ${nodeId}'s inbox log`, async () => {
      const [row] = await db(nodeId).select().from(inboxLog).where(eq(inboxLog.envelopeId, envelopeId));
      return row;
    });
  const audited = async (nodeId: NodeId, action: string, recordId: string) =>
    db(nodeId)
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.recordId, recordId)));
  const hubRefusals = async () => {
    const { status, body } = await (await federation.hubAdmin()).request<{
      refusals: Array<{ envelopeId: string; sender: string; code: string; message: string }>;
    }>('GET', '/v1/admin/envelope-refusals?sender=NP&limit=500');
    expect(status).toBe(200);
    return body.refusals;
  };
  const deliveriesOf = (envelopeId: string) =>
    hubDb().select().from(deliveries).where(eq(deliveries.envelopeId, envelopeId));
  /** What NP's own API lists of its envelopes the hub refused. */
  const refusedAtNp = async () => {
    const { status, body } = await federation.call<{
      refusals: Array<{ envelopeId: string; subject: string; code: string; recipients: string[] }>;
    }>('np.admin', 'GET', '/v1/exchange/refusals?limit=500');
    expect(status).toBe(200);
    return body.refusals;
  };
  /**
   * Writes into NP's outbox a summary of a new case for `to`, as NP's publishing sealed it before
   * the federation policy changed (an honest origin addresses only what the policy it holds
   * allows); NP's relay then submits it (its sweep runs every few seconds).
   */
  const queuedAtNp = async (to: NodeId[]) => {
    const caseId = `case_${randomUUID().replaceAll('-', '').slice(0, 26)}`;
    const keys = await readOwnKeys(nodePaths(federationLayout(federation.home).node('NP').home));
    const members = await db('NP')
      .select()
      .from(federationMembers)
      .where(inArray(federationMembers.nodeId, to));
    const envelope = await sealEnvelope({
      type: 'case.summary',
      origin: 'NP',
      subject: caseId,
      version: 1,
      body: {
        summary: {
          caseId,
          origin: 'NP',
          kind: 'missing',
          version: 1,
          child: { name: 'Mina Rai', sex: 'female', age: { years: 12 } },
          place: { country: 'NP', state: 'Bagmati' },
          eventDate: '2026-11-20',
        },
        scope: {
          purposes: ['reunification'],
          recipients: to,
          fields: 'standard',
          legalBasis: 'guardian_consent',
          expiresAt: inDays(30),
          grantedBy: 'Inspector',
          grantedAt: new Date().toISOString(),
        },
      } satisfies SharedCase,
      recipients: members.map((member) => ({
        nodeId: member.nodeId,
        encryptionKey: member.encryptionKeys[0] as PublicJwk,
      })),
      purposes: ['reunification'],
      expiresAt: new Date(Date.now() + DAY),
      signingKey: keys.signing,
      now: new Date(),
    });
    expect(envelope.recipients.slice().sort()).toEqual(to.slice().sort());
    await enqueueEnvelope(db('NP'), envelope, caseId, undefined);
    return { envelopeId: envelope.id, caseId };
  };

  beforeAll(async () => {
    await federation.start();
    await federation.officer('NP', 'np.police', 'police_officer', {
      type: 'police_station',
      state: 'Bagmati',
    });
    // Refusals and dead letters are the administrators' diagnostics (exchange.read).
    await federation.officer('NP', 'np.admin', 'node_admin', {
      type: 'district_administration',
      state: 'Bagmati',
    });
    await federation.officer('IN-WB', 'wb.police', 'police_officer', { type: 'police_station', state: 'WB' });
    await federation.officer('BD', 'bd.police', 'police_officer', {
      type: 'police_station',
      state: 'Khulna',
    });
  }, 300_000);

  afterAll(() => federation.stop(), 60_000);

  describe('envelope types', () => {
    let shared: CreatedReport;

    it('case.summary: arrives decrypted at IN-WB and BD at the standard tier; a newer version replaces it', async () => {
      const input = missingAtNp('Asha Gurung');
      shared = await report(input);
      const caseId = shared.report.caseId;
      expect(shared.publication?.recipients.slice().sort()).toEqual(['BD', 'IN-WB']);

      for (const nodeId of ['IN-WB', 'BD'] as const) {
        const [held] = await arrived(nodeId, caseId);
        expect(held).toMatchObject({ origin: 'NP', fields: 'standard', purposes: ['reunification'] });
        expect(held?.summary).toMatchObject({
          caseId,
          origin: 'NP',
          kind: 'missing',
          version: 1,
          child: {
            name: 'Asha Gurung',
            aliases: ['Ashai'],
            languages: ['ne'],
            identifyingMarks: ['scar on the right wrist'],
          },
          place: input.place,
        });
        // The guardians and their phones are `full`; the FIR and circumstances never travel.
        const text = JSON.stringify(held);
        for (const withheld of ['Mina Tamang', '+977', input.missing?.firNumber ?? '-', 'bus park'])
          expect(text).not.toContain(withheld);
      }
      // The hub carried ciphertext only.
      const [stored] = await hubDb()
        .select()
        .from(envelopes)
        .where(eq(envelopes.id, shared.publication?.envelopeId ?? ''));
      expect(stored).toBeDefined();
      expect(JSON.stringify(stored)).not.toMatch(/Asha|Gurung|scar/);

      const changed = await federation.call<CreatedReport>(
        'np.police',
        'PATCH',
        `/v1/reports/${caseId}`,
        { child: { ...input.child, identifyingMarks: ['scar on the right wrist', 'pierced nose'] } },
        { 'if-match': '"1"' },
      );
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      for (const nodeId of ['IN-WB', 'BD'] as const) {
        const held = await arrived(nodeId, caseId, 2);
        // Replaced, not added beside the first.
        expect(held).toHaveLength(1);
        expect(held[0]?.summary).toMatchObject({
          version: 2,
          child: { identifyingMarks: ['scar on the right wrist', 'pierced nose'] },
        });
      }
    });

    it('case.retraction: reunited at NP, the summary is deleted at both recipients, tombstoned and acknowledged', async () => {
      const caseId = shared.report.caseId;
      const move = async (to: string, version: number) => {
        const { status, body } = await federation.call<Report>(
          'np.police',
          'POST',
          `/v1/reports/${caseId}/transitions`,
          { to, reason: 'reunited with her mother at Raxaul' },
          { 'if-match': `"${version}"` },
        );
        expect(status, JSON.stringify(body)).toBe(200);
        return body;
      };
      const matched = await move('matched', 2);
      await move('reunited', matched.version);

      const sent = await retractionOf(caseId);
      expect(sent.envelope.recipients.slice().sort()).toEqual(['BD', 'IN-WB']);

      for (const nodeId of ['IN-WB', 'BD'] as const) {
        await eventually(`the summary to be gone at ${nodeId}`, async () =>
          (await heldAt(nodeId, caseId)).length === 0 ? true : undefined,
        );
        const [tombstone] = await db(nodeId)
          .select()
          .from(foreignTombstones)
          .where(and(eq(foreignTombstones.origin, 'NP'), eq(foreignTombstones.caseId, caseId)));
        expect(tombstone).toMatchObject({ envelopeId: sent.envelopeId, reason: 'reunited' });
        expect(tombstone?.version).toBeGreaterThanOrEqual(2);
        expect(
          await db(nodeId).select().from(foreignSummaries).where(eq(foreignSummaries.caseId, caseId)),
        ).toEqual([]);
        expect((await inboxEntry(nodeId, sent.envelopeId)).outcome).toBe('applied');
        expect(await audited(nodeId, 'case.retraction.applied', sent.envelopeId)).toHaveLength(1);
      }
      // Acknowledged by both: the hub's delivery rows are the proof of receipt.
      const acked = await eventually('both acknowledgements at the hub', async () => {
        const rows = await deliveriesOf(sent.envelopeId);
        return rows.length === 2 && rows.every((row) => row.ackedAt) ? rows : undefined;
      });
      expect(acked.map((row) => row.recipient).sort()).toEqual(['BD', 'IN-WB']);
    });

    it('match.notice: a summary matching a child found at IN-WB is notified back to NP', async () => {
      const found = await federation.call<CreatedReport>('wb.police', 'POST', '/v1/reports', {
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
      } satisfies ReportInput);
      expect(found.status).toBe(201);
      const foundId = found.body.report.caseId;
      await eventually('the found report to be indexed at IN-WB', async () => {
        const [row] = await db('IN-WB').select().from(cases).where(eq(cases.id, foundId));
        return row && row.matchedVersion === row.version ? true : undefined;
      });

      const missing = await report({
        ...missingAtNp('Sita Tamang', { recipients: ['IN-*'] }),
        child: {
          name: 'Sita Tamang',
          aliases: ['Kanchhi'],
          sex: 'female',
          age: { years: 12 },
          languages: ['ne'],
          identifyingMarks: ['mole on left cheek'],
        },
      });
      const caseId = missing.report.caseId;
      type Candidates = {
        candidates: Array<{
          candidateId: string;
          role: string;
          localCaseId: string;
          foreign: { origin: string; reference: string; version: number };
          band: string;
          probability: number;
          explanation: Array<{ field: string }>;
        }>;
      };
      const atNp = await eventually('the notified candidate at NP', async () => {
        const { body } = await federation.call<Candidates>(
          'np.police',
          'GET',
          `/v1/reports/${caseId}/cross-border-candidates`,
        );
        return body.candidates?.length ? body.candidates : undefined;
      });
      const { body: atWb } = await federation.call<Candidates>(
        'wb.police',
        'GET',
        `/v1/reports/${foundId}/cross-border-candidates`,
      );
      const here = atWb.candidates.find((candidate) => candidate.foreign.reference === caseId);
      expect(here).toMatchObject({ role: 'found_here', localCaseId: foundId, foreign: { origin: 'NP' } });
      expect(atNp[0]).toMatchObject({
        role: 'notified',
        localCaseId: caseId,
        foreign: { origin: 'IN-WB', reference: here?.candidateId },
        band: here?.band,
      });
      expect(atNp[0]?.explanation.map((step) => step.field)).toContain('name');
      // Nothing of IN-WB's child crosses: not its case id, not its name or marks.
      expect(JSON.stringify(atNp)).not.toContain(foundId);
      expect(JSON.stringify(atNp[0]?.explanation)).not.toMatch(/mole/i);
      expect(await audited('NP', 'match.notice.received', caseId)).not.toHaveLength(0);
    });
  });

  describe('consent refusals', () => {
    it('origin: a consent beyond its sharing policy is refused with CONSENT_EXCEEDS_POLICY, nothing stored', async () => {
      const input = missingAtNp('Kabita Rai', { fields: 'full' });
      const before = await db('NP').select({ id: cases.id }).from(cases);
      const { status, body } = await federation.call<{
        error: { code: string; message: string; requestId: string };
      }>('np.police', 'POST', '/v1/reports', input);
      expect(status).toBe(422);
      expect(body.error.code).toBe('CONSENT_EXCEEDS_POLICY');
      expect(body.error.message).toContain('full');
      expect(await db('NP').select({ id: cases.id }).from(cases)).toHaveLength(before.length);
      // Audited under the request that carried it (the report itself is not kept).
      const [audit] = await audited('NP', 'case.consent.refused', body.error.requestId);
      expect(audit).toMatchObject({ recordType: 'report_input' });
      expect(audit?.reason).toMatch(/^CONSENT_EXCEEDS_POLICY: .*fields full/);
      expect(audit?.reason).not.toContain('Kabita');
    });

    it('origin minimisation: under a minimal-tier scope IN-WB gets phonetic keys, never the names', async () => {
      const created = await report(missingAtNp('Nirmala Thapa', { fields: 'minimal', recipients: ['IN-*'] }));
      const [held] = await arrived('IN-WB', created.report.caseId);
      expect(held?.fields).toBe('minimal');
      const child = held?.summary.child as CaseSummary['child'];
      expect(child.phoneticNames?.length).toBeGreaterThan(0);
      for (const field of ['name', 'aliases', 'languages', 'identifyingMarks'])
        expect(child).not.toHaveProperty(field);
      expect(JSON.stringify(held)).not.toMatch(/Nirmala|Thapa|scar/);
    });

    it('a node outside the scope never receives it: the envelope is not even addressed to BD', async () => {
      const created = await report(missingAtNp('Gita Magar', { recipients: ['IN-*'] }));
      const envelopeId = created.publication?.envelopeId ?? '';
      expect(created.publication?.recipients).toEqual(['IN-WB']);
      await arrived('IN-WB', created.report.caseId);
      // The hub was asked to deliver to IN-WB only, and BD's inbox never saw the envelope.
      const rows = await eventually('IN-WB to acknowledge', async () => {
        const rows = await deliveriesOf(envelopeId);
        return rows.every((row) => row.ackedAt) ? rows : undefined;
      });
      expect(rows.map((row) => row.recipient)).toEqual(['IN-WB']);
      expect(await db('BD').select().from(inboxLog).where(eq(inboxLog.envelopeId, envelopeId))).toEqual([]);
      expect(await heldAt('BD', created.report.caseId)).toEqual([]);
    });

    it('hub: a recipient the sender’s federation policy does not allow is refused with RECIPIENT_NOT_ALLOWED', async () => {
      await federation.setNodePolicy('NP', { acceptsPurposes: ALL_PURPOSES, allowsRecipients: ['IN-*'] });
      try {
        // The origin holds the new policy: it leaves BD out (audited), so IN-WB still gets it.
        const created = await report(missingAtNp('Laxmi Shrestha'));
        expect(created.publication?.recipients).toEqual(['IN-WB']);
        const [excluded] = await audited('NP', 'envelope.recipient_excluded', created.report.caseId);
        expect(excluded?.reason).toMatch(/^RECIPIENT_NOT_ALLOWED: .*BD/);
        await arrived('IN-WB', created.report.caseId);

        // Sealed for BD and IN-WB before the policy changed: the hub refuses the whole envelope.
        const { envelopeId, caseId } = await queuedAtNp(['BD', 'IN-WB']);
        // The origin parks it as refused, with the hub's code; the hub lists the refusal.
        const row = await relayed(envelopeId);
        expect(row.status).toBe('rejected');
        expect(row.lastError).toContain('RECIPIENT_NOT_ALLOWED');
        expect(await hubRefusals()).toContainEqual(
          expect.objectContaining({ envelopeId, sender: 'NP', code: 'RECIPIENT_NOT_ALLOWED' }),
        );
        // The origin audits it and lists it to its officers.
        const [audit] = await audited('NP', 'envelope.refused_by_hub', caseId);
        expect(audit?.reason).toMatch(/^RECIPIENT_NOT_ALLOWED: /);
        expect(await refusedAtNp()).toContainEqual(
          expect.objectContaining({ envelopeId, subject: caseId, code: 'RECIPIENT_NOT_ALLOWED' }),
        );
        // Nothing stored at the hub, so nothing reaches IN-WB either.
        expect(await hubDb().select().from(envelopes).where(eq(envelopes.id, envelopeId))).toEqual([]);
      } finally {
        await federation.setNodePolicy('NP', {
          acceptsPurposes: ALL_PURPOSES,
          allowsRecipients: ['IN-*', 'BD'],
        });
      }
    });

    it('a purpose BD does not accept: refused by the hub (PURPOSE_NOT_ACCEPTED), and by BD for an envelope that waited (ERR_PURPOSE_NOT_ACCEPTED)', async () => {
      // BD down: NP's summary is accepted by the hub under BD's current policy and waits there.
      await federation.stopNode('BD');
      let waiting: CreatedReport | undefined;
      try {
        waiting = await report(missingAtNp('Sabina Lama', { recipients: ['BD'] }));
        expect((await relayed(waiting.publication?.envelopeId ?? '')).status).toBe('sent');
        // Then BD's federation policy stops accepting reunification.
        await federation.setNodePolicy('BD', {
          acceptsPurposes: ['anti_trafficking'],
          allowsRecipients: ['IN-*', 'NP'],
        });

        // NP holds the new policy: nothing is published to BD (audited).
        const left = await report(missingAtNp('Puja Karki', { recipients: ['BD'] }));
        expect(left.publication).toBeNull();
        const [excluded] = await audited('NP', 'envelope.recipient_excluded', left.report.caseId);
        expect(excluded?.reason).toMatch(/^PURPOSE_NOT_ACCEPTED: BD does not accept reunification/);

        // Sealed before the change: refused by the hub, audited and listed at the origin.
        const { envelopeId: refusedId, caseId } = await queuedAtNp(['BD']);
        const row = await relayed(refusedId);
        expect(row.status).toBe('rejected');
        expect(row.lastError).toContain('PURPOSE_NOT_ACCEPTED');
        expect(await hubRefusals()).toContainEqual(
          expect.objectContaining({ envelopeId: refusedId, sender: 'NP', code: 'PURPOSE_NOT_ACCEPTED' }),
        );
        const [audit] = await audited('NP', 'envelope.refused_by_hub', caseId);
        expect(audit?.reason).toMatch(/^PURPOSE_NOT_ACCEPTED: /);
        expect(await refusedAtNp()).toContainEqual(
          expect.objectContaining({
            envelopeId: refusedId,
            code: 'PURPOSE_NOT_ACCEPTED',
            recipients: ['BD'],
          }),
        );
      } finally {
        // BD starts with the new configuration (its trust worker runs before its inbox).
        await federation.startNode('BD');
      }
      try {
        const waitingId = waiting?.publication?.envelopeId ?? '';
        const entry = await inboxEntry('BD', waitingId);
        expect(entry).toMatchObject({ outcome: 'rejected' });
        expect(entry.reason).toMatch(/^ERR_PURPOSE_NOT_ACCEPTED: /);
        const [audit] = await audited('BD', 'envelope.refused', waitingId);
        expect(audit?.reason).toMatch(/^ERR_PURPOSE_NOT_ACCEPTED: /);
        expect(await heldAt('BD', waiting?.report.caseId ?? '')).toEqual([]);
        // Refused, yet acknowledged: it cannot block BD's inbox.
        await eventually('BD to acknowledge the refused envelope', async () => {
          const rows = await deliveriesOf(waitingId);
          return rows.length === 1 && rows[0]?.ackedAt ? true : undefined;
        });
      } finally {
        await federation.setNodePolicy('BD', {
          acceptsPurposes: ALL_PURPOSES,
          allowsRecipients: ['IN-*', 'NP'],
        });
      }
    });

    describe('what only an origin breaking the rules sends: the receiver’s and the hub’s own checks', () => {
      // An honest origin never sends these (it minimises and addresses by the scope), so the test
      // seals them as NP with NP's own keys and submits them over NP's mTLS certificate.
      const caseId = () => `case_${randomUUID().replaceAll('-', '').slice(0, 26)}`;
      const scope = (overrides: Partial<SharedCase['scope']> = {}): SharedCase['scope'] => ({
        purposes: ['reunification'],
        recipients: ['BD'],
        fields: 'standard',
        legalBasis: 'guardian_consent',
        expiresAt: inDays(30),
        grantedBy: 'Inspector',
        grantedAt: new Date().toISOString(),
        ...overrides,
      });
      const summary = (name: string): CaseSummary => ({
        caseId: caseId(),
        origin: 'NP',
        kind: 'missing',
        version: 1,
        child: { name, aliases: ['Dolma'], sex: 'female', age: { years: 12 }, languages: ['ne'] },
        place: { country: 'NP', state: 'Bagmati', district: 'Sindhupalchok' },
        eventDate: '2026-11-20',
      });
      const sealAsNp = async (
        shared: SharedCase,
        options: { to?: NodeId; expiresAt?: Date } = {},
      ): Promise<Envelope> => {
        const to = options.to ?? 'BD';
        const keys = await readOwnKeys(nodePaths(federationLayout(federation.home).node('NP').home));
        const [member] = await db('NP')
          .select()
          .from(federationMembers)
          .where(eq(federationMembers.nodeId, to));
        return sealEnvelope({
          type: 'case.summary',
          origin: 'NP',
          subject: shared.summary.caseId,
          version: shared.summary.version,
          body: shared,
          recipients: [{ nodeId: to, encryptionKey: member?.encryptionKeys[0] as PublicJwk }],
          purposes: ['reunification'],
          expiresAt: options.expiresAt ?? new Date(Date.now() + DAY),
          signingKey: keys.signing,
          now: new Date(),
        });
      };
      /** POST /v1/envelopes over NP's own mTLS certificate, as NP's relay does. */
      const submit = async (envelope: Envelope) =>
        (await federation.asNode('NP')).request<{ envelopeId?: string; error?: { code: string } }>(
          'POST',
          '/v1/envelopes',
          envelope,
        );
      const sendAsNp = async (shared: SharedCase, options?: { to?: NodeId; expiresAt?: Date }) => {
        const envelope = await sealAsNp(shared, options);
        const { status, body } = await submit(envelope);
        expect([200, 201], JSON.stringify(body)).toContain(status);
        return envelope;
      };

      it('drops fields outside the tier before storing, and audits the drop', async () => {
        const minimal = minimiseSummary(summary('Dawa Lama'), 'minimal');
        const overshared = { ...minimal, child: { ...minimal.child, name: 'Dawa Lama' } };
        const envelope = await sendAsNp({ summary: overshared, scope: scope({ fields: 'minimal' }) });
        const [held] = await arrived('BD', overshared.caseId);
        expect(held?.fields).toBe('minimal');
        expect(held?.summary.child).not.toHaveProperty('name');
        expect(held?.summary.child.phoneticNames?.length).toBeGreaterThan(0);
        const [audit] = await audited('BD', 'envelope.fields_dropped', envelope.id);
        expect(audit?.reason).toContain('child.name');
      });

      it('refuses a scope that does not name it (ERR_NOT_AUTHORISED) or has expired (ERR_SCOPE_EXPIRED)', async () => {
        const cases = [
          { code: 'ERR_NOT_AUTHORISED', scope: scope({ recipients: ['IN-*'] }) },
          {
            code: 'ERR_SCOPE_EXPIRED',
            scope: scope({
              grantedAt: new Date(Date.now() - 2 * DAY).toISOString(),
              expiresAt: new Date(Date.now() - DAY).toISOString(),
            }),
          },
        ];
        for (const { code, scope } of cases) {
          const sent = summary('Pasang Sherpa');
          const envelope = await sendAsNp({ summary: sent, scope });
          const entry = await inboxEntry('BD', envelope.id);
          expect(entry.outcome).toBe('rejected');
          expect(entry.reason?.startsWith(`${code}: `), entry.reason ?? '').toBe(true);
          const [audit] = await audited('BD', 'envelope.refused', envelope.id);
          expect(audit?.reason?.startsWith(`${code}: `)).toBe(true);
          expect(await heldAt('BD', sent.caseId)).toEqual([]);
        }
      });

      it('same id and content again is a retry; same id with other content is refused (409) and listed', async () => {
        const shared = { summary: summary('Tashi Lama'), scope: scope() };
        const envelope = await sendAsNp(shared);
        const again = await submit(envelope);
        expect(again.status).toBe(200);
        expect(again.body.envelopeId).toBe(envelope.id);
        // Resealed (new ciphertext, new signature) under the same id: (origin, type, case, version).
        const other = await sealAsNp({ ...shared, summary: { ...shared.summary, eventDate: '2026-11-21' } });
        expect(other.id).toBe(envelope.id);
        const conflict = await submit(other);
        expect(conflict.status).toBe(409);
        const { body } = await (await federation.hubAdmin()).request<{
          conflicts: Array<{ envelopeId: string; origin: string }>;
        }>('GET', '/v1/admin/envelope-conflicts?origin=NP');
        expect(body.conflicts).toContainEqual(
          expect.objectContaining({ envelopeId: envelope.id, origin: 'NP' }),
        );
        // BD applied the first once.
        const [held] = await arrived('BD', shared.summary.caseId);
        expect(held?.summary.eventDate).toBe('2026-11-20');
      });

      it('an older version arriving after a newer one changes nothing', async () => {
        const first = summary('Yangchen Sherpa');
        const newer = { ...first, version: 3, eventDate: '2026-11-23' };
        await sendAsNp({ summary: newer, scope: scope() });
        await arrived('BD', first.caseId, 3);
        const late = await sendAsNp({ summary: { ...first, version: 2 }, scope: scope() });
        expect((await inboxEntry('BD', late.id)).outcome).toBe('applied');
        const held = await heldAt('BD', first.caseId);
        expect(held).toHaveLength(1);
        expect(held[0]?.summary).toMatchObject({ version: 3, eventDate: '2026-11-23' });
      });

      it('an envelope undelivered past its expiry is dropped by the hub and listed to the origin as a dead letter', async () => {
        await federation.stopNode('BD');
        let envelope: Envelope | undefined;
        try {
          envelope = await sendAsNp(
            { summary: summary('Ang Dolma'), scope: scope() },
            { expiresAt: new Date(Date.now() + 3_000) },
          );
          const id = envelope.id;
          // The hub's sweep (every second here) drops it; NP may read its own dead letters.
          const dead = await eventually(
            'the dead letter',
            async () => {
              const { body } = await (await federation.asNode('NP')).request<{
                deadLetters: Array<{ envelopeId: string; undeliveredTo: string[]; notice: string }>;
              }>('GET', '/v1/dead-letters');
              return body.deadLetters.find((letter) => letter.envelopeId === id);
            },
            60_000,
          );
          expect(dead).toMatchObject({ undeliveredTo: ['BD'], notice: expect.any(String) });
          expect(await deliveriesOf(id)).toEqual([]);
          // NP fetched it, checked the hub's signature, stored and audited it once, and lists it.
          const listed = await eventually('the dead letter in NP’s own API', async () => {
            const { body } = await federation.call<{
              deadLetters: Array<{ envelopeId: string; undeliveredTo: string[]; notice: string }>;
            }>('np.admin', 'GET', '/v1/exchange/dead-letters');
            return body.deadLetters.find((letter) => letter.envelopeId === id);
          });
          expect(listed).toMatchObject({ undeliveredTo: ['BD'], notice: dead.notice });
          const audits = await audited('NP', 'envelope.dead_lettered', id);
          expect(audits).toHaveLength(1);
          expect(audits[0]?.reason).toContain('undelivered to BD');
        } finally {
          await federation.startNode('BD');
        }
        // BD, back, never gets it: a later envelope arrives, the dropped one does not.
        const later = await sendAsNp({ summary: summary('Ang Dolma'), scope: scope() });
        await inboxEntry('BD', later.id);
        expect(await db('BD').select().from(inboxLog).where(eq(inboxLog.envelopeId, envelope.id))).toEqual(
          [],
        );
      });
    });
  });

  // A member that received NP's summary knows its case id, and so could compute NP's next
  // envelope ids; before ids were bound to their origin it could take them first, and NP's
  // retraction was refused as a conflict (the child's summary stayed at every recipient).
  describe('a member squatting another member’s envelope ids', () => {
    it('refuses every id BD tries to take from NP, and NP’s retraction still reaches IN-WB and BD', async () => {
      const created = await report(missingAtNp('Pasang Sherpa'));
      const caseId = created.report.caseId;
      await arrived('BD', caseId);
      await arrived('IN-WB', caseId);

      const bdKeys = await readOwnKeys(nodePaths(federationLayout(federation.home).node('BD').home));
      const [inwb] = await db('BD')
        .select()
        .from(federationMembers)
        .where(eq(federationMembers.nodeId, 'IN-WB'));
      /** An envelope of BD's own (its origin, its signature) under the id of BD's choosing. */
      const asBd = async (id: string, type: EnvelopeType, version: number): Promise<Envelope> => {
        const own = await sealEnvelope({
          type,
          origin: 'BD',
          subject: caseId,
          version,
          body: { squatted: id },
          recipients: [{ nodeId: 'IN-WB', encryptionKey: inwb?.encryptionKeys[0] as PublicJwk }],
          purposes: ['reunification'],
          expiresAt: new Date(Date.now() + DAY),
          signingKey: bdKeys.signing,
          now: new Date(),
        });
        const { signature: _signature, ...unsigned } = { ...own, id };
        return { ...unsigned, signature: await signDetached(envelopeSigningInput(unsigned), bdKeys.signing) };
      };
      // NP's next retractions and versions, and its notices about the case, for versions 1..5.
      const squats: Envelope[] = [];
      for (const type of ['case.retraction', 'case.summary', 'match.notice'] as const) {
        for (let version = 1; version <= 5; version++) {
          squats.push(await asBd(envelopeIdFor('NP', type, caseId, version), type, version));
        }
      }
      const bd = await federation.asNode('BD');
      for (const squat of squats) {
        const { status, body } = await bd.request<{ error?: { code: string } }>(
          'POST',
          '/v1/envelopes',
          squat,
        );
        expect(status, squat.id).toBe(403);
        expect(body.error?.code).toBe('ENVELOPE_ID_MISMATCH');
      }
      const honest = await asBd(envelopeIdFor('BD', 'case.summary', caseId, 1), 'case.summary', 1);
      const batch = await bd.request<{ results: Array<{ status: number; error?: { code: string } }> }>(
        'POST',
        '/v1/envelopes/batch',
        { envelopes: [...squats.slice(0, 5), honest, ...squats.slice(5)] },
      );
      expect(batch.status).toBe(200);
      expect(batch.body.results.map((result) => result.error?.code ?? result.status)).toEqual([
        ...squats.slice(0, 5).map(() => 'ENVELOPE_ID_MISMATCH'),
        201,
        ...squats.slice(5).map(() => 'ENVELOPE_ID_MISMATCH'),
      ]);
      expect(
        await hubDb()
          .select({ id: envelopes.id })
          .from(envelopes)
          .where(
            and(
              eq(envelopes.origin, 'BD'),
              inArray(
                envelopes.id,
                squats.map((squat) => squat.id),
              ),
            ),
          ),
      ).toEqual([]);

      // NP closes the case as reunited: its retraction is accepted and reaches both recipients.
      for (const [to, version] of [
        ['matched', created.report.version],
        ['reunited', created.report.version + 1],
      ] as const) {
        const moved = await federation.call(
          'np.police',
          'POST',
          `/v1/reports/${caseId}/transitions`,
          {
            to,
            reason: 'reunited at Kakarbhitta',
          },
          { 'if-match': `"${version}"` },
        );
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      }
      const sent = await retractionOf(caseId);
      expect((await relayed(sent.envelopeId)).status).toBe('sent');
      for (const nodeId of ['IN-WB', 'BD'] as const) {
        await eventually(`the summary to be gone at ${nodeId}`, async () =>
          (await heldAt(nodeId, caseId)).length === 0 ? true : undefined,
        );
        expect((await inboxEntry(nodeId, sent.envelopeId)).outcome).toBe('applied');
      }
    });
  });
});
