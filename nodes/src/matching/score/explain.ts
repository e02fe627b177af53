// A scored pair as an officer reads it: the verdict first, then a waterfall — each field's
// evidence in bits, the running total, and what was compared.

import { signed } from './format.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from './parameters.ts';
import type { ScoredPair } from './score.ts';

/** Bits per bar character; bars stop at this many characters. */
const BITS_PER_BAR = 1;
const MAX_BAR = 12;

export function explain(pair: ScoredPair, thresholds: Thresholds = DEFAULT_THRESHOLDS): string {
  const verdict =
    pair.probability >= thresholds.alert
      ? 'likely the same child: alert'
      : pair.probability >= thresholds.review
        ? 'possibly the same child: review'
        : 'probably not the same child';
  const lines = [
    `${pair.missingId} (missing) ↔ ${pair.foundId} (found): ${percentage(pair.probability)} — ${verdict}`,
    `weight ${signed(pair.weight)} bits (review at ${percentage(thresholds.review)}, alert at ${percentage(thresholds.alert)})`,
  ];
  const labelWidth = Math.max(...pair.explanation.map((step) => step.field.length));
  let total = 0;
  for (const step of pair.explanation) {
    total += step.weight;
    const bar = (step.weight >= 0 ? '+' : '−').repeat(
      Math.min(MAX_BAR, Math.round(Math.abs(step.weight) / BITS_PER_BAR)),
    );
    lines.push(
      `  ${step.field.padEnd(labelWidth)}  ${signed(step.weight).padStart(6)}  ${bar.padEnd(MAX_BAR)}  ` +
        `= ${signed(total).padStart(6)}  ${step.level === 'prior' ? '' : `${step.level}: `}${step.detail}`,
    );
  }
  return lines.join('\n');
}

function percentage(probability: number): string {
  const value = probability * 100;
  if (value > 99.9 && value < 100) return '>99.9%';
  if (value < 0.1 && value > 0) return '<0.1%';
  return `${value.toFixed(1)}%`;
}
