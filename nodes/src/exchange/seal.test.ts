import type { CaseSummary, ConsentScope, PublicJwk } from '@khoj/contracts';
import {
  type EncryptionKeyPair,
  generateEncryptionKey,
  generateSigningKey,
  type SigningKeyPair,
} from '@khoj/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import { phoneticNamesOf } from '../sharing/minimise.ts';
import { EnvelopeRejected, minimiseSummary, openCaseSummary, sealCaseSummary, sealEnvelope } from './seal.ts';

const summary: CaseSummary = {
  caseId: 'case_00mwzlkfi23fut3d6bhks4jtsl',
  origin: 'NP',
  kind: 'missing',
  version: 3,
  child: { name: 'সীতা', aliases: ['Sita'], sex: 'female', age: { years: 12 }, languages: ['ne'] },
  place: { country: 'NP', district: 'Sindhupalchok', description: 'bus park' },
  eventDate: '2026-11-01',
};
const scope: ConsentScope = {
  purposes: ['reunification'],
  recipients: ['IN-*', 'BD'],
  fields: 'standard',
  legalBasis: 'guardian_consent',
  expiresAt: '2027-11-01T00:00:00.000Z',
  grantedBy: 'officer',
  grantedAt: '2026-11-02T00:00:00.000Z',
};
const now = new Date('2026-11-02T10:00:00.000Z');

describe('sealing and opening case summaries', () => {
  let origin: SigningKeyPair;
  let bd: EncryptionKeyPair;
  let inwb: EncryptionKeyPair;
  let outsider: EncryptionKeyPair;
  const pub = (key: EncryptionKeyPair | SigningKeyPair): PublicJwk =>
    ({ ...key.publicJwk, kid: key.kid }) as PublicJwk;
  const own = (key: EncryptionKeyPair) => ({ kid: key.kid, privateJwk: key.privateJwk });

  beforeAll(async () => {
    [origin, bd, inwb, outsider] = await Promise.all([
      generateSigningKey(),
      generateEncryptionKey(),
      generateEncryptionKey(),
      generateEncryptionKey(),
    ]);
  });

  const seal = (overrides: Partial<ConsentScope> = {}) =>
    sealCaseSummary({
      summary,
      scope: { ...scope, ...overrides },
      recipients: [
        { nodeId: 'BD', encryptionKey: pub(bd) },
        { nodeId: 'IN-WB', encryptionKey: pub(inwb) },
      ],
      signingKey: origin,
      now,
    });

  it('lets every recipient open the summary and verify its origin, with the scope it travels under', async () => {
    const envelope = await seal();
    expect(envelope.recipients).toEqual(['BD', 'IN-WB']);
    expect(envelope.payload.recipients).toHaveLength(2);
    for (const key of [bd, inwb]) {
      const opened = await openCaseSummary(envelope, { own: own(key), originSigningKeys: [pub(origin)] });
      expect(opened).toEqual({ summary, scope });
    }
  });

  it('keeps the name out of everything but the ciphertext', async () => {
    const envelope = await seal();
    expect(JSON.stringify(envelope)).not.toContain('সীতা');
    expect(JSON.stringify(envelope)).not.toContain('Sita');
  });

  it('is idempotent on origin, case and version', async () => {
    expect((await seal()).id).toBe((await seal()).id);
  });

  it('minimises a minimal-tier summary before it is signed: phonetic keys for names, an age band, no languages or place description', async () => {
    const envelope = await seal({ fields: 'minimal' });
    const opened = await openCaseSummary(envelope, { own: own(bd), originSigningKeys: [pub(origin)] });
    expect(opened.summary.child).toEqual({
      sex: 'female',
      age: { estimateMin: 11, estimateMax: 13 },
      phoneticNames: phoneticNamesOf(['সীতা', 'Sita']),
    });
    expect(opened.summary.child.phoneticNames?.length).toBeGreaterThan(0);
    expect(JSON.stringify(opened.summary)).not.toMatch(/সীতা|Sita/);
    expect(opened.summary.place).toEqual({ country: 'NP', district: 'Sindhupalchok' });
    expect(minimiseSummary(summary, 'standard')).toEqual(summary);
  });

  it('cannot be opened by a node outside the recipient list', async () => {
    const envelope = await seal();
    await expect(
      openCaseSummary(envelope, { own: own(outsider), originSigningKeys: [pub(origin)] }),
    ).rejects.toMatchObject({
      code: 'ERR_DECRYPTION_FAILED',
    });
  });

  it('rejects an envelope whose fields were altered after signing, or signed by another key', async () => {
    const envelope = await seal();
    const altered = { ...envelope, purposes: ['anti_trafficking' as const] };
    await expect(
      openCaseSummary(altered, { own: own(bd), originSigningKeys: [pub(origin)] }),
    ).rejects.toBeInstanceOf(EnvelopeRejected);
    const impostor = await generateSigningKey();
    await expect(
      openCaseSummary(envelope, { own: own(bd), originSigningKeys: [pub(impostor)] }),
    ).rejects.toMatchObject({
      code: 'ERR_SIGNATURE_INVALID',
    });
  });

  it('caps the envelope lifetime at 30 days even when the consent runs longer', async () => {
    const envelope = await seal();
    expect(Date.parse(envelope.expiresAt) - now.getTime()).toBe(30 * 86_400_000);
    const shortLived = await seal({ expiresAt: '2026-11-05T00:00:00.000Z' });
    expect(shortLived.expiresAt).toBe('2026-11-05T00:00:00.000Z');
  });

  it('refuses a payload with text no node stores (NUL) or nested past the limit, as ERR_PAYLOAD_INVALID', async () => {
    const sealWith = (body: unknown) =>
      sealEnvelope({
        type: 'case.summary',
        origin: 'NP',
        subject: summary.caseId,
        version: 9,
        body,
        recipients: [{ nodeId: 'BD', encryptionKey: pub(bd) }],
        purposes: ['reunification'],
        expiresAt: new Date('2026-12-01T00:00:00.000Z'),
        signingKey: origin,
        now,
      });
    const keys = { own: own(bd), originSigningKeys: [pub(origin)] };
    const withNul = { summary: { ...summary, child: { ...summary.child, name: 'Si\u0000ta' } }, scope };
    let deep: unknown = 'bottom';
    for (let level = 0; level < 100; level++) deep = [deep];
    for (const body of [withNul, { summary, scope, deep }]) {
      await expect(openCaseSummary(await sealWith(body), keys)).rejects.toMatchObject({
        code: 'ERR_PAYLOAD_INVALID',
      });
    }
  });
});
