import { describe, it } from 'vitest';
import type { ConformanceCheck } from './fairness/fairness-strategy-checks.js';

/** One `describe` with an `it` per check, and a nested `describe` per group, in check order. */
export function describeChecks(title: string, checks: readonly ConformanceCheck[]): void {
  describe(title, () => {
    const groups = [...new Set(checks.map((check) => check.group))];
    for (const group of groups) {
      const members = checks.filter((check) => check.group === group);
      const define = () => {
        for (const check of members) it(check.name, () => check.run());
      };
      if (group === undefined) define();
      else describe(group, define);
    }
  });
}
