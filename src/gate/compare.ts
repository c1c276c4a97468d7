import type { Op } from './thresholds.ts';

/** Slack for float noise: 0.99 written in YAML must pass for a computed 99/100. */
function epsilon(threshold: number): number {
  return 1e-9 * Math.max(1, Math.abs(threshold));
}

export function compare(value: number, op: Op, threshold: number): boolean {
  const eps = epsilon(threshold);
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold + eps;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold - eps;
    case '==':
      return Math.abs(value - threshold) <= eps;
    case '!=':
      return Math.abs(value - threshold) > eps;
  }
}
