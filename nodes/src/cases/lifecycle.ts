// The case lifecycle as an explicit state machine: which status may follow which, and which
// moves need a reason. Plain data and functions, no I/O.
import type { CaseStatus } from '@khoj/contracts';

/**
 * open → under review / matched → reunited / transferred / closed. A match that falls through
 * goes back to open; a closed case can be reopened (with a reason), since children reported
 * found are sometimes missing again.
 */
const NEXT: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ['under_review', 'matched', 'closed'],
  under_review: ['open', 'matched', 'closed'],
  matched: ['open', 'reunited', 'transferred', 'closed'],
  transferred: ['reunited', 'closed'],
  reunited: ['closed'],
  closed: ['open'],
};

/** Moves that must say why: closing, reopening, and undoing a match. */
const NEEDS_REASON = new Set(['*>closed', 'closed>open', 'matched>open']);

export type TransitionCheck =
  | { ok: true }
  | { ok: false; code: 'TRANSITION_NOT_ALLOWED' | 'VALIDATION_FAILED'; message: string };

export function checkTransition(
  from: CaseStatus,
  to: CaseStatus,
  reason: string | undefined,
): TransitionCheck {
  if (!NEXT[from].includes(to)) {
    const allowed = NEXT[from].join(', ');
    return {
      ok: false,
      code: 'TRANSITION_NOT_ALLOWED',
      message: `a case that is ${from} can move to ${allowed}, not ${to}`,
    };
  }
  if (!reason && (NEEDS_REASON.has(`*>${to}`) || NEEDS_REASON.has(`${from}>${to}`))) {
    return {
      ok: false,
      code: 'VALIDATION_FAILED',
      message: `moving a case from ${from} to ${to} needs a reason`,
    };
  }
  return { ok: true };
}

export function allowedNext(from: CaseStatus): readonly CaseStatus[] {
  return NEXT[from];
}
