// The signed federation configuration as a node receives it from a real hub, on PGlite and
// PostgreSQL: it verifies against the anchor file, and verifyFederationConfig refuses a tampered,
// expired, rolled-back or wrongly signed document, each with its own code. The hub re-signs a
// version past half its lifetime so a node polling with If-None-Match never holds an expired one.
import {
  canonicalJson,
  type FederationConfig,
  FederationConfigError,
  memberKeyValidAt,
  verifyFederationConfig,
} from '@khoj/contracts';
import { generateSigningKey, signJws } from '@khoj/pki';
import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { federationConfigs } from '../db/schema/index.ts';
import { startTrustHub, type TrustHub } from '../testing/trust-fixture.ts';
import { readTrustAnchor } from './anchor.ts';

const HOUR_MS = 60 * 60 * 1000;

describe.each(['pglite', 'postgres'] as const)('the signed federation configuration on %s', (database) => {
  let hub: TrustHub;
  let anchorKey: Awaited<ReturnType<typeof readTrustAnchor>>['configSigningKey'];
  let jws: string;
  let config: FederationConfig;

  beforeAll(async () => {
    hub = await startTrustHub(database, { nodeIds: ['NP', 'BD'] });
    anchorKey = (await readTrustAnchor(hub.fed.paths.anchor)).configSigningKey;
    jws = (await hub.open().get('/v1/federation-config')).text;
    config = verifyFederationConfig(jws, anchorKey, { now: new Date() });
  });
  afterAll(async () => {
    hub.setNow(undefined);
    await hub?.stop();
  });

  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(FederationConfigError);
      return (error as FederationConfigError).code;
    }
    throw new Error('accepted');
  };

  it('verifies against the anchor and lists every member with its certificate and keys', () => {
    expect(config.members.map((m) => m.nodeId)).toEqual(['BD', 'NP']);
    const np = config.members.find((m) => m.nodeId === 'NP');
    expect(np).toMatchObject({ status: 'active', country: 'NP' });
    expect(np?.certificates).toHaveLength(1);
    expect(np?.signingKeys[0]?.kid).toBe(hub.fed.node('NP').signing.kid);
    expect(config.policy.nodes.NP?.allowsRecipients).toEqual(['BD']);
    expect(Date.parse(config.expiresAt) - Date.parse(config.issuedAt)).toBe(24 * HOUR_MS);
    const kid = hub.fed.node('NP').signing.kid;
    expect(memberKeyValidAt(config, 'NP', 'signing', kid, new Date())).toMatchObject({ kid });
    expect(memberKeyValidAt(config, 'NP', 'signing', 'sig_unknown', new Date())).toBeUndefined();
  });

  it('refuses a tampered document', () => {
    const [header, payload, signature] = jws.split('.') as [string, string, string];
    const altered = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as FederationConfig;
    altered.members = altered.members.map((m) => ({ ...m, displayName: 'someone else' }));
    const forged = `${header}.${Buffer.from(canonicalJson(altered)).toString('base64url')}.${signature}`;
    expect(refusal(() => verifyFederationConfig(forged, anchorKey, { now: new Date() }))).toBe(
      'ERR_CONFIG_SIGNATURE_INVALID',
    );
  });

  it('refuses a document signed by another key, whatever kid it claims', async () => {
    const other = await generateSigningKey();
    const payload = canonicalJson(config);
    const ownKid = await signJws(payload, other);
    expect(refusal(() => verifyFederationConfig(ownKid, anchorKey, { now: new Date() }))).toBe(
      'ERR_CONFIG_WRONG_KEY',
    );
    const claimedKid = await signJws(payload, { kid: anchorKey.kid, privateJwk: other.privateJwk });
    expect(refusal(() => verifyFederationConfig(claimedKid, anchorKey, { now: new Date() }))).toBe(
      'ERR_CONFIG_SIGNATURE_INVALID',
    );
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: anchorKey.kid })).toString('base64url')}.${jws.split('.')[1]}.AAAA`;
    expect(refusal(() => verifyFederationConfig(none, anchorKey, { now: new Date() }))).toBe(
      'ERR_CONFIG_ALG_NOT_ALLOWED',
    );
  });

  it('refuses an expired document', () => {
    const after = new Date(Date.parse(config.expiresAt) + 1);
    expect(refusal(() => verifyFederationConfig(jws, anchorKey, { now: after }))).toBe('ERR_CONFIG_EXPIRED');
  });

  it('refuses a rollback to an older version', async () => {
    await hub.admin('asha', 'admin').put('/v1/admin/nodes/BD/policy', {
      acceptsPurposes: ['reunification'],
      allowsRecipients: ['NP'],
    });
    const newer = verifyFederationConfig((await hub.open().get('/v1/federation-config')).text, anchorKey, {
      now: new Date(),
      minVersion: config.version,
    });
    expect(newer.version).toBeGreaterThan(config.version);
    expect(
      refusal(() => verifyFederationConfig(jws, anchorKey, { now: new Date(), minVersion: newer.version })),
    ).toBe('ERR_CONFIG_ROLLBACK');
  });

  it('re-signs as a new version once half the lifetime has passed', async () => {
    const [latest] = await hub.services.db
      .select()
      .from(federationConfigs)
      .orderBy(desc(federationConfigs.version))
      .limit(1);
    hub.setNow(new Date((latest?.issuedAt.getTime() ?? 0) + 13 * HOUR_MS));
    const response = await hub
      .open()
      .get('/v1/federation-config', { 'if-none-match': `"${latest?.version}"` });
    expect(response.status).toBe(200);
    const refreshed = verifyFederationConfig(response.text, anchorKey, {
      now: hub.services.clock(),
      minVersion: latest?.version ?? 0,
    });
    expect(refreshed.version).toBe((latest?.version ?? 0) + 1);
    const history = (await hub.admin('dev', 'auditor').get('/v1/admin/federation-config/history')).body
      ?.versions;
    expect(history[0]).toMatchObject({ version: refreshed.version, reason: 'refresh' });
    hub.setNow(undefined);
  });
});
