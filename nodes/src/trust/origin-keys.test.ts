import type { CaseSummary, ConfigMember, ConsentScope, Envelope, FederationConfig } from '@khoj/contracts';
import { generateEncryptionKey, type SigningKeyPair } from '@khoj/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeRejected, openCaseSummary, sealCaseSummary } from '../exchange/seal.ts';
import { originSigningKeys } from './origin-keys.ts';
import { configDocument, configMember, publicOf } from './test-support.ts';

const T0 = new Date('2026-03-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const summary: CaseSummary = {
  caseId: 'case_00mwzlkfi23fut3d6bhks4jtsl',
  origin: 'NP',
  kind: 'missing',
  version: 1,
  child: { name: 'Sita', sex: 'female', age: { years: 12 } },
  place: { country: 'NP', district: 'Sindhupalchok' },
  eventDate: '2026-02-20',
};
const scope: ConsentScope = {
  purposes: ['reunification'],
  recipients: ['IN-*'],
  fields: 'standard',
  legalBasis: 'guardian_consent',
  expiresAt: '2027-03-01T00:00:00.000Z',
  grantedBy: 'officer',
  grantedAt: '2026-02-21T00:00:00.000Z',
};

function code(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvelopeRejected) return error.code;
    throw error;
  }
  return undefined;
}

describe('origin keys from the signed federation configuration, at the signing time', () => {
  let np: Awaited<ReturnType<typeof configMember>>;
  let rotatedTo: Awaited<ReturnType<typeof configMember>>;
  let receiver: Awaited<ReturnType<typeof generateEncryptionKey>>;

  beforeAll(async () => {
    np = await configMember('NP', at(-60 * 24));
    rotatedTo = await configMember('NP', at(0));
    receiver = await generateEncryptionKey();
  });

  const sealAt = (signedAt: Date, signer: SigningKeyPair = np.signing): Promise<Envelope> =>
    sealCaseSummary({
      summary,
      scope,
      recipients: [{ nodeId: 'IN-WB', encryptionKey: publicOf(receiver) }],
      signingKey: signer,
      now: signedAt,
    });

  /** NP rotated its signing key at T0 with a 60-minute overlap: the old key is valid until T0 + 60 min. */
  const rotatedConfig = (): FederationConfig => {
    const [oldKey] = np.member.signingKeys;
    const [newKey] = rotatedTo.member.signingKeys;
    const member: ConfigMember = {
      ...np.member,
      signingKeys: [
        { ...(oldKey as NonNullable<typeof oldKey>), validUntil: at(60).toISOString() },
        newKey as NonNullable<typeof newKey>,
      ],
    };
    return configDocument(7, [member], { issuedAt: at(0) });
  };

  /** NP revoked at T0 + 30 min: the hub closed its keys' windows then. */
  const revokedConfig = (): FederationConfig => {
    const [key] = np.member.signingKeys;
    const member: ConfigMember = {
      ...np.member,
      status: 'revoked',
      signingKeys: [{ ...(key as NonNullable<typeof key>), validUntil: at(30).toISOString() }],
    };
    return configDocument(8, [member], {
      issuedAt: at(30),
      revocations: [
        { serialHex: '0a1b2c3d', nodeId: 'NP', revokedAt: at(30).toISOString(), reason: 'keyCompromise' },
      ],
    });
  };

  it('takes a key inside its window, and the envelope then opens with it', async () => {
    const config = configDocument(1, [np.member], { issuedAt: at(-10) });
    const envelope = await sealAt(at(-5));
    const keys = originSigningKeys(config, envelope, at(0));
    expect(keys.map((key) => key.kid)).toEqual([np.signing.kid]);
    const opened = await openCaseSummary(envelope, {
      own: { kid: receiver.kid, privateJwk: receiver.privateJwk },
      originSigningKeys: keys,
    });
    expect(opened.summary.caseId).toBe(summary.caseId);
  });

  it('keeps a rotated-out key for what it signed during the overlap, and refuses what it signed after', async () => {
    const config = rotatedConfig();
    expect(originSigningKeys(config, await sealAt(at(59)), at(61)).map((key) => key.kid)).toContain(
      np.signing.kid,
    );
    const late = await sealAt(at(61));
    expect(code(() => originSigningKeys(config, late, at(62)))).toBe('ERR_KEY_NOT_VALID');
    // ...even though the signature itself is good: only the window refuses it.
    await expect(
      openCaseSummary(late, {
        own: { kid: receiver.kid, privateJwk: receiver.privateJwk },
        originSigningKeys: [publicOf(np.signing)],
      }),
    ).resolves.toBeDefined();
  });

  it('refuses a new key for what was signed before its window opened', async () => {
    const early = await sealAt(at(-1), rotatedTo.signing);
    expect(code(() => originSigningKeys(rotatedConfig(), early, at(0)))).toBe('ERR_KEY_NOT_VALID');
    const later = await sealAt(at(1), rotatedTo.signing);
    expect(originSigningKeys(rotatedConfig(), later, at(2)).map((key) => key.kid)).toContain(
      rotatedTo.signing.kid,
    );
  });

  it("refuses a revoked node's envelopes signed at or after the revocation, not those signed before", async () => {
    const config = revokedConfig();
    const before = await sealAt(at(29));
    expect(code(() => originSigningKeys(config, before, at(31)))).toBeUndefined();
    const after = await sealAt(at(30));
    expect(code(() => originSigningKeys(config, after, at(31)))).toBe('ERR_ORIGIN_REVOKED');
    const muchLater = await sealAt(at(90));
    expect(code(() => originSigningKeys(config, muchLater, at(91)))).toBe('ERR_ORIGIN_REVOKED');
  });

  it('refuses an origin the configuration does not list, a key it does not know, and a signing time in the future', async () => {
    const config = configDocument(1, [np.member], { issuedAt: at(-10) });
    const envelope = await sealAt(at(-5));
    expect(code(() => originSigningKeys(configDocument(1, [], { issuedAt: at(-10) }), envelope, at(0)))).toBe(
      'ERR_ORIGIN_UNKNOWN',
    );
    const stranger = await sealAt(at(-5), rotatedTo.signing);
    expect(code(() => originSigningKeys(config, stranger, at(0)))).toBe('ERR_SIGNATURE_INVALID');
    const future = await sealAt(at(10));
    expect(code(() => originSigningKeys(config, future, at(0)))).toBe('ERR_SIGNED_IN_FUTURE');
    // Within the allowed clock skew (5 minutes) it is taken.
    const skewed = await sealAt(at(4));
    expect(code(() => originSigningKeys(config, skewed, at(0)))).toBeUndefined();
  });
});
