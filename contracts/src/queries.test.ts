// The query and detail-request schemas: what a query may describe (up to the standard tier), that
// an answer cannot carry personal data, and that inputs are refused with the field named.
import { describe, expect, it } from 'vitest';
import {
  DetailRequestBody,
  DetailResponseBody,
  HitHandle,
  QueryChild,
  QueryHitBody,
  QueryRequestBody,
} from './queries.ts';
import { DetailRequestInput, QueryInput } from './queries-api.ts';

const query = {
  lookingFor: 'missing',
  child: { name: 'Rupa', sex: 'female', age: { estimateMin: 11, estimateMax: 13 }, languages: ['bn'] },
  place: { country: 'IN', state: 'MH', district: 'Mumbai' },
  eventDate: '2026-11-02',
  purpose: 'anti_trafficking',
  legalBasis: 'statute',
  caseReference: 'AHTU/MUM/114/26',
} as const;
const handle = 'hit_0123456789abcdefghijklmnop';

describe('QueryInput', () => {
  it('asks every member by default', () => {
    expect(QueryInput.parse(query).targets).toEqual(['*']);
  });

  it('takes node ids, patterns and * as targets, nothing else', () => {
    expect(QueryInput.parse({ ...query, targets: ['IN-*', 'BD', '*'] }).targets).toEqual(['IN-*', 'BD', '*']);
    const bad = QueryInput.safeParse({ ...query, targets: ['india'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['targets', 0]);
  });

  it('refuses the full tier: guardians, date of birth and unknown fields of the child', () => {
    for (const extra of [
      { guardians: [{ name: 'Anil', relation: 'father', phones: [] }] },
      { dateOfBirth: '2014-01-01' },
      { fatherName: 'Anil' },
    ]) {
      const parsed = QueryChild.safeParse({ ...query.child, ...extra });
      expect(parsed.success, JSON.stringify(extra)).toBe(false);
    }
    expect(QueryChild.parse({ ...query.child, identifyingMarks: ['mole on left cheek'] })).toMatchObject({
      identifyingMarks: ['mole on left cheek'],
    });
  });

  it('needs a purpose, a legal basis and a case reference', () => {
    for (const field of ['purpose', 'legalBasis', 'caseReference'] as const) {
      const { [field]: _omitted, ...rest } = query;
      const parsed = QueryInput.safeParse(rest);
      expect(parsed.success, field).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual([field]);
    }
    expect(QueryInput.safeParse({ ...query, purpose: 'marketing' }).success).toBe(false);
    expect(QueryInput.safeParse({ ...query, caseReference: '   ' }).success).toBe(false);
  });
});

describe('QueryHitBody', () => {
  it('is hit with handles and bands, or no hit', () => {
    const queryId = 'query_0123456789abcdefghijklmnop';
    expect(QueryHitBody.parse({ queryId, outcome: 'hit', hits: [{ handle, band: 'strong' }] })).toBeTruthy();
    expect(QueryHitBody.parse({ queryId, outcome: 'no_hit' })).toEqual({ queryId, outcome: 'no_hit' });
    expect(QueryHitBody.safeParse({ queryId, outcome: 'hit', hits: [] }).success).toBe(false);
  });

  it('drops anything but the handle and band from a hit: no case id, no name', () => {
    const parsed = QueryHitBody.parse({
      queryId: 'query_0123456789abcdefghijklmnop',
      outcome: 'hit',
      hits: [{ handle, band: 'possible', caseId: 'case_0123456789abcdefghijklmnop', name: 'Rupa' }],
    });
    expect(JSON.stringify(parsed)).not.toMatch(/case_|Rupa/);
  });

  it('accepts only opaque handles', () => {
    expect(HitHandle.safeParse('case_0123456789abcdefghijklmnop').success).toBe(false);
    expect(HitHandle.safeParse(handle).success).toBe(true);
  });
});

describe('detail requests', () => {
  it('needs a handle, a reason, a legal basis and a purpose', () => {
    expect(
      DetailRequestInput.parse({
        handle,
        reason: 'rescued child',
        legalBasis: 'statute',
        purpose: 'anti_trafficking',
      }),
    ).toBeTruthy();
    const parsed = DetailRequestInput.safeParse({
      handle,
      legalBasis: 'statute',
      purpose: 'anti_trafficking',
    });
    expect(parsed.error?.issues[0]?.path).toEqual(['reason']);
  });

  it('a request body names who asked and for what', () => {
    const body = {
      about: 'query_hit',
      requestId: 'dreq_0123456789abcdefghijklmnop',
      queryId: 'query_0123456789abcdefghijklmnop',
      handle,
      reason: 'to confirm identity before repatriation',
      legalBasis: 'statute',
      purpose: 'anti_trafficking',
      caseReference: 'AHTU/MUM/114/26',
      requestedBy: { userId: 'user_1', displayName: 'SI Pawar', unitId: 'unit_1' },
      requestedAt: '2026-11-28T05:00:00.000Z',
    };
    expect(DetailRequestBody.parse(body)).toEqual(body);
    expect(DetailRequestBody.safeParse({ ...body, requestedBy: undefined }).success).toBe(false);
    // About a cross-border match: the pair, not a hit.
    const { queryId: _query, handle: _handle, ...common } = body;
    const pair = {
      caseId: 'case_0123456789abcdefghijklmnop',
      reference: 'xmatch_0123456789abcdefghijklmnop',
    };
    expect(DetailRequestBody.parse({ ...common, about: 'cross_border', ...pair })).toMatchObject(pair);
    expect(DetailRequestBody.safeParse({ ...common, about: 'cross_border', handle }).success).toBe(false);
  });

  it('a denial carries its reason, an approval the full-tier case with its contact', () => {
    const base = { requestId: 'dreq_0123456789abcdefghijklmnop', decidedAt: '2026-11-28T06:00:00.000Z' };
    expect(DetailResponseBody.safeParse({ ...base, decision: 'denied' }).success).toBe(false);
    expect(DetailResponseBody.parse({ ...base, decision: 'denied', reason: 'no legal basis' })).toMatchObject(
      {
        reason: 'no legal basis',
      },
    );
    const approved = DetailResponseBody.parse({
      ...base,
      decision: 'approved',
      details: {
        summary: {
          caseId: 'case_0123456789abcdefghijklmnop',
          origin: 'IN-WB',
          kind: 'missing',
          version: 2,
          child: { name: 'Rupa Mondal', sex: 'female', age: { years: 12 } },
          place: { country: 'IN', state: 'WB', district: 'Nadia' },
          eventDate: '2026-09-14',
          guardians: [{ name: 'Anil Mondal', relation: 'father', phones: ['+91 98300 00000'] }],
        },
        contact: { unitId: 'unit_1', unitName: 'Ranaghat PS', phones: ['+91 3473 210 000'], emails: [] },
      },
    });
    expect(approved.decision === 'approved' && approved.details.summary.guardians?.[0]?.name).toBe(
      'Anil Mondal',
    );
  });

  it('a query request carries the asker for the answering node’s audit', () => {
    const parsed = QueryRequestBody.safeParse({ ...query, queryId: 'query_0123456789abcdefghijklmnop' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path[0])).toEqual(
      expect.arrayContaining(['askedBy', 'askedAt']),
    );
  });
});
