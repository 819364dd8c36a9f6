import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { backticked, claimedIds, layoutRow, methodPages, pagesClaiming, readmeBullet, readRepositoryFile as read, repositoryRoot, tableRows } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { builtinFairnessStrategies } from './builtin-fairness-strategies.js';

// The README tables, the root README's lists and the method index must name exactly the
// registered strategies (issue 15): a strategy added, renamed or removed without its docs fails here.

const registered = builtinFairnessStrategies.map((plugin) => plugin.id);

describe('fairness-strategy docs agree with builtinFairnessStrategies', () => {
  it("packages/fairness-strategies/README.md's table lists every strategy, in registration order", () => {
    const ids = tableRows(read('packages/fairness-strategies/README.md'), 'id').map((cells) => backticked(cells[0] ?? '')[0]);
    expect(ids).toEqual(registered);
  });

  it("README.md's Methods bullet lists every strategy after 'strategies'", () => {
    const strategies = readmeBullet('Methods').split(/\bstrategies\b/)[1] ?? '';
    expect(backticked(strategies)).toEqual(registered);
  });

  it("README.md's Layout row of @robustfair/fairness-strategies lists every strategy", () => {
    expect(backticked(layoutRow('@robustfair/fairness-strategies'))).toEqual(registered);
  });

  it("README.md's example error message lists the allowed ids as the registry does", () => {
    const allowed = /unknown fairness-strategy '[^']*'; allowed: (.*)$/m.exec(read('README.md'))?.[1] ?? '';
    expect([...allowed.matchAll(/'([^']+)'/g)].map((match) => match[1])).toEqual(registered);
  });

  it('docs/methods/README.md claims every strategy exactly once, each on a page that exists', () => {
    expect([...claimedIds('strategy')].sort()).toEqual([...registered].sort());
    for (const page of pagesClaiming('strategy')) expect(existsSync(join(repositoryRoot(), page)), page).toBe(true);
  });

  it('every page of the method index exists', () => {
    for (const { page } of methodPages()) expect(existsSync(join(repositoryRoot(), 'docs/methods', page)), page).toBe(true);
  });
});
