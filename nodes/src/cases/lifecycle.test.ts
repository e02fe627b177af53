import { CASE_STATUSES } from '@khoj/contracts';
import { describe, expect, it } from 'vitest';
import { allowedNext, checkTransition } from './lifecycle.ts';

describe('the case lifecycle', () => {
  it('follows open → under review / matched → reunited / transferred → closed', () => {
    expect(checkTransition('open', 'under_review', undefined)).toEqual({ ok: true });
    expect(checkTransition('under_review', 'matched', undefined)).toEqual({ ok: true });
    expect(checkTransition('matched', 'transferred', undefined)).toEqual({ ok: true });
    expect(checkTransition('transferred', 'reunited', undefined)).toEqual({ ok: true });
    expect(checkTransition('reunited', 'closed', 'restored to family')).toEqual({ ok: true });
  });

  it('refuses moves that skip the process, with the moves that are allowed', () => {
    const check = checkTransition('open', 'reunited', undefined);
    expect(check).toMatchObject({ ok: false, code: 'TRANSITION_NOT_ALLOWED' });
    expect(check.ok || check.message).toContain('under_review, matched, closed');
    expect(checkTransition('reunited', 'open', 'x')).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
    expect(checkTransition('open', 'open', undefined)).toMatchObject({ code: 'TRANSITION_NOT_ALLOWED' });
  });

  it('needs a reason to close, to reopen and to undo a match', () => {
    for (const [from, to] of [
      ['open', 'closed'],
      ['closed', 'open'],
      ['matched', 'open'],
    ] as const) {
      expect(checkTransition(from, to, undefined)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
      expect(checkTransition(from, to, 'duplicate of another report')).toEqual({ ok: true });
    }
  });

  it('leaves no status without a way forward', () => {
    for (const status of CASE_STATUSES) expect(allowedNext(status).length).toBeGreaterThan(0);
  });
});
