// Stored explanations as the API shows them. A candidate's explanation is the engine's list of
// steps (nodes/src/matching/score/score.ts ExplanationStep), kept as JSON with the candidate;
// this reads it back without trusting its shape (rows written by an older engine stay readable).
import type { ExplanationStep } from '@khoj/contracts';

export function explanationSteps(stored: unknown): ExplanationStep[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const step = entry as Record<string, unknown>;
    const field = typeof step.field === 'string' ? step.field : undefined;
    const weight = typeof step.weight === 'number' && Number.isFinite(step.weight) ? step.weight : undefined;
    if (field === undefined || weight === undefined) return [];
    const level = typeof step.level === 'string' ? step.level : field;
    const detail = typeof step.detail === 'string' ? step.detail : '';
    const text = typeof step.text === 'string' ? step.text : `${field}: ${detail}`;
    return [{ field, level, weight, detail, text }];
  });
}
