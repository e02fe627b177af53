// The administration API over real mutual TLS, on PGlite and PostgreSQL, with dual control on:
// who may do what (administrator certificates only, by role), two different administrators to
// issue, the expiry watch in the API and the health answer, the configuration history, and the
// hash-chained audit log of every action catching a tampered entry.
import { verifyFederationConfig } from '@khoj/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyHubAudit } from '../audit/audit.store.ts';
import { hubAuditLog } from '../db/schema/index.ts';
import {
  adminIdentity,
  enrolmentRequest,
  httpsClient,
  nodeKeys,
  startTrustHub,
  type TrustHub,
} from '../testing/trust-fixture.ts';
import { readTrustAnchor } from '../trust/anchor.ts';

describe.each(['pglite', 'postgres'] as const)('hub administration on %s', (database) => {
  let hub: TrustHub;
  let asha: ReturnType<TrustHub['admin']>;
  let bilal: ReturnType<TrustHub['admin']>;
  let approver: ReturnType<TrustHub['admin']>;
  let auditor: ReturnType<TrustHub['admin']>;

  beforeAll(async () => {
    hub = await startTrustHub(database, {
      nodeIds: ['NP', 'BD'],
      trust: { dualControl: true, expiryWarningDays: 120 },
    });
    asha = hub.admin('asha', 'admin');
    bilal = hub.admin('bilal', 'admin');
    approver = hub.admin('chitra', 'approver');
    auditor = hub.admin('dev', 'auditor');
  });
  afterAll(async () => {
    await hub?.stop();
  });

  async function pendingEnrolment(nodeId: string) {
    const invited = await asha.post('/v1/admin/invitations', { nodeId, displayName: nodeId });
    expect(invited.status).toBe(201);
    const token = invited.body?.token as string;
    const open = hub.open();
    const challenge = (await open.post('/v1/enrolments/challenge', { token })).body;
    const submitted = await open.post(
      '/v1/enrolments',
      await enrolmentRequest(await nodeKeys(nodeId), token, challenge as never),
    );
    expect(submitted.status).toBe(202);
    return submitted.body?.id as string;
  }

  it('under dual control refuses the same administrator twice, and issues on a second one', async () => {
    const id = await pendingEnrolment('IN-WB');
    const first = await asha.post(`/v1/admin/enrolments/${id}/approve`, {});
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'pending',
      approvalsRequired: 2,
      approvals: [{ admin: 'asha' }],
    });
    const again = await asha.post(`/v1/admin/enrolments/${id}/approve`, {});
    expect(again.status).toBe(409);
    expect(again.body?.error.code).toBe('APPROVAL_DUPLICATE');
    // The same name on another certificate is the same administrator.
    const ashaAgain = hub.mutual(adminIdentity(hub.fed, 'asha', 'approver'));
    expect((await ashaAgain.post(`/v1/admin/enrolments/${id}/approve`, {})).body?.error.code).toBe(
      'APPROVAL_DUPLICATE',
    );
    const second = await bilal.post(`/v1/admin/enrolments/${id}/approve`, {});
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      status: 'approved',
      approvals: [{ admin: 'asha' }, { admin: 'bilal' }],
    });
    expect(second.body?.certificateSerial).toMatch(/^[0-9a-f]+$/);
    const nodes = await auditor.get('/v1/admin/nodes');
    expect(nodes.body?.nodes.map((n: { nodeId: string }) => n.nodeId)).toContain('IN-WB');
  });

  it('refuses node certificates on administration routes, and admin certificates on member routes', async () => {
    const node = hub.mutual(hub.fed.node('NP'));
    const asNode = await node.get('/v1/admin/nodes');
    expect(asNode.status).toBe(403);
    expect(asNode.body?.error.code).toBe('ADMIN_CERT_REQUIRED');
    const asAdmin = await asha.get('/v1/inbox');
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.body?.error.code).toBe('NODE_NOT_REGISTERED');
  });

  it('lets each role do only what it may: auditors read, approvers decide, admins manage', async () => {
    const id = await pendingEnrolment('IN-BR');
    expect((await auditor.get('/v1/admin/enrolments')).status).toBe(200);
    expect((await auditor.get('/v1/admin/invitations')).status).toBe(200);
    for (const [client, method, path, body] of [
      [auditor, 'post', `/v1/admin/enrolments/${id}/approve`, {}],
      [auditor, 'post', `/v1/admin/enrolments/${id}/deny`, { reason: 'no' }],
      [auditor, 'post', '/v1/admin/invitations', { nodeId: 'IN-KA', displayName: 'Karnataka' }],
      [approver, 'post', '/v1/admin/invitations', { nodeId: 'IN-KA', displayName: 'Karnataka' }],
      [approver, 'post', '/v1/admin/nodes/NP/revoke', { reason: 'keyCompromise' }],
      [approver, 'post', '/v1/admin/nodes/NP/renew', {}],
    ] as const) {
      const response = await client.post(path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.body?.error.code).toBe('FORBIDDEN');
    }
    const denied = await approver.post(`/v1/admin/enrolments/${id}/deny`, { reason: 'wrong fingerprint' });
    expect(denied.body?.status).toBe('denied');
  });

  it('refuses to invite a node that is an active member', async () => {
    const response = await asha.post('/v1/admin/invitations', { nodeId: 'NP', displayName: 'Nepal' });
    expect(response.status).toBe(409);
    expect(response.body?.error.code).toBe('NODE_ALREADY_MEMBER');
  });

  it('refuses a revoked administrator certificate from the next request on', async () => {
    const identity = adminIdentity(hub.fed, 'eshan', 'admin');
    const eshan = httpsClient(hub.server.url, hub.fed.root.certPem, identity);
    expect((await eshan.get('/v1/admin/nodes')).status).toBe(200);
    const serial = new (await import('node:crypto')).X509Certificate(
      identity.certPem,
    ).serialNumber.toLowerCase();
    expect(
      (await asha.post(`/v1/admin/certificates/${serial}/revoke`, { reason: 'affiliationChanged' })).status,
    ).toBe(200);
    const after = await eshan.get('/v1/admin/nodes');
    expect(after.status).toBe(403);
    expect(after.body?.error.code).toBe('CERT_REVOKED');
    await eshan.close();
  });

  it('lists certificates ending soon in the admin API and in the health answer', async () => {
    const soon = await auditor.get('/v1/admin/certificates/expiring?withinDays=120');
    expect(soon.body?.certificates.map((c: { nodeId: string }) => c.nodeId)).toEqual(
      expect.arrayContaining(['NP', 'BD', 'IN-WB']),
    );
    expect((await auditor.get('/v1/admin/certificates/expiring?withinDays=30')).body?.certificates).toEqual(
      [],
    );
    const health = await hub.open().get('/healthz');
    expect(health.body?.certificates.expiringWithinDays).toBe(120);
    expect(health.body?.certificates.expiring.map((c: { nodeId: string }) => c.nodeId)).toContain('NP');
  });

  it('publishes a policy in a new configuration version and keeps the history', async () => {
    const before = (await auditor.get('/v1/admin/federation-config/history')).body?.versions[0]?.version ?? 0;
    const set = await asha.put('/v1/admin/nodes/BD/policy', {
      acceptsPurposes: ['reunification'],
      allowsRecipients: ['NP'],
    });
    expect(set.status).toBe(200);
    expect(set.body?.configVersion).toBeGreaterThan(before);
    const anchor = await readTrustAnchor(hub.fed.paths.anchor);
    const config = verifyFederationConfig(
      (await hub.open().get('/v1/federation-config')).text,
      anchor.configSigningKey,
      {
        now: new Date(),
      },
    );
    expect(config.version).toBe(set.body?.configVersion);
    expect(config.policy.nodes.BD).toEqual({ acceptsPurposes: ['reunification'], allowsRecipients: ['NP'] });
    const history = (await auditor.get('/v1/admin/federation-config/history')).body?.versions;
    expect(history[0]).toMatchObject({ version: config.version, reason: 'policy.set BD' });
  });

  it('audits every administrative action in a hash chain that names the first tampered entry', async () => {
    const entries = await hub.services.db.select().from(hubAuditLog).orderBy(hubAuditLog.seq);
    const actions = entries.map((entry) => `${entry.actor} ${entry.action}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'admin:asha invitation.create',
        'admin:asha enrolment.approve',
        'admin:bilal enrolment.approve',
        'admin:bilal certificate.issue',
        'admin:chitra enrolment.deny',
        'admin:asha certificate.revoke',
        'admin:asha policy.set',
      ]),
    );
    expect(await verifyHubAudit(hub.services.db)).toEqual({ ok: true, entries: entries.length });
    expect((await auditor.get('/v1/admin/audit/verify')).body).toEqual({ ok: true, entries: entries.length });

    const target = entries[2] as (typeof entries)[number];
    await hub.services.db.execute(
      sql`update hub_audit_log set detail = ${JSON.stringify({ ...target.detail, reason: 'rewritten' })}::jsonb where seq = ${target.seq}`,
    );
    expect(await verifyHubAudit(hub.services.db)).toMatchObject({
      ok: false,
      seq: target.seq,
      problem: 'was altered after it was written',
    });
    await hub.services.db.execute(
      sql`update hub_audit_log set detail = ${JSON.stringify(target.detail)}::jsonb where seq = ${target.seq}`,
    );
    expect((await verifyHubAudit(hub.services.db)).ok).toBe(true);
    await hub.services.db.execute(sql`delete from hub_audit_log where seq = ${target.seq}`);
    expect(await verifyHubAudit(hub.services.db)).toMatchObject({
      ok: false,
      seq: target.seq,
      problem: `entry ${target.seq} is missing`,
    });
  });
});
