// The plain functions of queries: who a query goes to under the federation policy, the profile it
// is matched as, the band of an answer, handles that say nothing, and when a handle dies.
import type { ConsentScope, FederationConfig } from '@khoj/contracts';
import { describe, expect, it } from 'vitest';
import {
  handleDeadReason,
  hitBand,
  hitExpiry,
  newHitHandle,
  policyAccepts,
  queryProfile,
  queryRecipients,
} from './query.ts';

const members = ['BD', 'IN-BR', 'IN-MH', 'IN-WB', 'NP'].map((nodeId) => ({ nodeId }));
const config = (nodes: FederationConfig['policy']['nodes']): FederationConfig => ({
  version: 1,
  issuedAt: '2026-11-28T00:00:00.000Z',
  expiresAt: '2026-11-29T00:00:00.000Z',
  members: [],
  revocations: [],
  policy: { nodes },
});
const everyone = ['BD', 'IN-BR', 'IN-MH', 'IN-WB', 'NP'];
const accepting = {
  acceptsPurposes: ['reunification', 'anti_trafficking'] as const,
  allowsRecipients: everyone,
};

describe('queryRecipients', () => {
  it('resolves *, patterns and node ids to other members, never to itself', () => {
    expect(queryRecipients(members, ['*'], 'anti_trafficking', 'IN-MH', undefined)).toEqual([
      'BD',
      'IN-BR',
      'IN-WB',
      'NP',
    ]);
    expect(queryRecipients(members, ['IN-*'], 'anti_trafficking', 'IN-MH', undefined)).toEqual([
      'IN-BR',
      'IN-WB',
    ]);
    expect(queryRecipients(members, ['NP', 'IN-MH'], 'anti_trafficking', 'IN-MH', undefined)).toEqual(['NP']);
    expect(queryRecipients(members, ['LK'], 'anti_trafficking', 'IN-MH', undefined)).toEqual([]);
  });

  it('leaves out members whose policy refuses the purpose, and those this node does not send to', () => {
    const policy = config({
      'IN-MH': { acceptsPurposes: ['anti_trafficking'], allowsRecipients: ['IN-*', 'NP'] },
      NP: { acceptsPurposes: ['reunification'], allowsRecipients: everyone },
      'IN-WB': { ...accepting, acceptsPurposes: [...accepting.acceptsPurposes] },
      'IN-BR': { ...accepting, acceptsPurposes: [...accepting.acceptsPurposes] },
      BD: { ...accepting, acceptsPurposes: [...accepting.acceptsPurposes] },
    });
    // NP refuses anti_trafficking; BD accepts it but IN-MH's policy does not send there.
    expect(queryRecipients(members, ['*'], 'anti_trafficking', 'IN-MH', policy)).toEqual(['IN-BR', 'IN-WB']);
    expect(queryRecipients(members, ['*'], 'reunification', 'IN-MH', policy)).toEqual([
      'IN-BR',
      'IN-WB',
      'NP',
    ]);
  });
});

describe('policyAccepts', () => {
  it('accepts only what the node’s own policy lists; no configuration or no entry accepts nothing', () => {
    const policy = config({ NP: { acceptsPurposes: ['reunification'], allowsRecipients: [] } });
    expect(policyAccepts(policy, 'NP', 'reunification')).toBe(true);
    expect(policyAccepts(policy, 'NP', 'anti_trafficking')).toBe(false);
    expect(policyAccepts(policy, 'BD', 'reunification')).toBe(false);
    expect(policyAccepts(undefined, 'NP', 'reunification')).toBe(false);
  });
});

describe('queryProfile', () => {
  it('describes a rescued child as a found report when it looks for missing ones, and vice versa', () => {
    const query = {
      queryId: 'query_0123456789abcdefghijklmnop',
      lookingFor: 'missing' as const,
      child: {
        name: 'Rupa Mondal',
        aliases: ['Runu', 'Rupa Mondal'],
        sex: 'female' as const,
        age: { estimateMin: 11, estimateMax: 13 },
        identifyingMarks: ['mole on left cheek'],
      },
      place: { country: 'IN', state: 'WB' },
      eventDate: '2026-11-02',
    };
    expect(queryProfile(query)).toEqual({
      id: query.queryId,
      side: 'found',
      sex: 'female',
      names: ['Rupa Mondal', 'Runu'],
      guardianNames: [],
      age: { min: 11, max: 13, estimated: true },
      eventDate: '2026-11-02',
      place: { country: 'IN', state: 'WB' },
      languages: [],
      marks: ['mole on left cheek'],
      heightCm: undefined,
    });
    expect(queryProfile({ ...query, lookingFor: 'found' }).side).toBe('missing');
  });
});

describe('answers', () => {
  it('answers alert as strong, review as possible, and nothing below review', () => {
    expect(hitBand('alert')).toBe('strong');
    expect(hitBand('review')).toBe('possible');
    expect(hitBand('low')).toBeUndefined();
  });

  it('makes handles of 26 random base-36 characters, never twice the same', () => {
    const handles = new Set(Array.from({ length: 1000 }, newHitHandle));
    expect(handles.size).toBe(1000);
    for (const handle of handles) expect(handle).toMatch(/^hit_[0-9a-z]{26}$/);
  });
});

describe('handleDeadReason', () => {
  const given = new Date('2026-11-01T00:00:00.000Z');
  const handle = {
    expiresAt: hitExpiry(given, 30),
    purpose: 'anti_trafficking' as const,
    origin: 'IN-MH',
  };
  const consent: ConsentScope = {
    purposes: ['reunification', 'anti_trafficking'],
    recipients: ['IN-*'],
    fields: 'standard',
    legalBasis: 'statute',
    expiresAt: '2027-11-01T00:00:00.000Z',
    grantedBy: 'user_1',
    grantedAt: '2026-10-01T00:00:00.000Z',
  };
  const open = { status: 'open' as const, consent: null };
  const soon = new Date('2026-11-15T00:00:00.000Z');

  it('lives for its lifetime, and dies at its end', () => {
    expect(handle.expiresAt.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(handleDeadReason(handle, open, soon)).toBeUndefined();
    expect(handleDeadReason(handle, open, new Date('2026-11-30T23:59:59.999Z'))).toBeUndefined();
    expect(handleDeadReason(handle, open, handle.expiresAt)).toMatch(/^expired at 2026-12-01/);
  });

  it('dies with its case: gone, reunited, transferred or closed; not while under review or matched', () => {
    expect(handleDeadReason(handle, undefined, soon)).toBe('its case is closed');
    for (const status of ['reunited', 'transferred', 'closed'] as const)
      expect(handleDeadReason(handle, { status, consent: null }, soon), status).toBe('its case is closed');
    for (const status of ['under_review', 'matched'] as const)
      expect(handleDeadReason(handle, { status, consent: null }, soon), status).toBeUndefined();
  });

  it("dies when the case's consent no longer covers the purpose for the asker, or has expired", () => {
    const withConsent = (change: Partial<ConsentScope>) => ({
      status: 'open' as const,
      consent: { ...consent, ...change },
    });
    expect(handleDeadReason(handle, withConsent({}), soon)).toBeUndefined();
    expect(handleDeadReason(handle, withConsent({ purposes: ['reunification'] }), soon)).toMatch(
      /no longer shared for anti_trafficking with IN-MH/,
    );
    expect(handleDeadReason(handle, withConsent({ recipients: ['NP', 'IN-WB'] }), soon)).toMatch(
      /no longer shared/,
    );
    expect(handleDeadReason(handle, withConsent({ expiresAt: '2026-11-10T00:00:00.000Z' }), soon)).toMatch(
      /no longer shared/,
    );
  });
});
