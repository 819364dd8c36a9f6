import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { claimedIds, pagesClaiming, repositoryRoot } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { builtinMetrics } from './builtin-metrics.js';

// The method index must name exactly the registered metrics (issue 15).

describe('metric docs agree with builtinMetrics', () => {
  it('docs/methods/README.md claims every metric exactly once, on a page that exists', () => {
    expect([...claimedIds('metric')].sort()).toEqual(builtinMetrics.map((plugin) => plugin.id).sort());
    for (const page of pagesClaiming('metric')) expect(existsSync(join(repositoryRoot(), page)), page).toBe(true);
  });
});
