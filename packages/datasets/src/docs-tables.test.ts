import { backticked, readRepositoryFile as read, tableRows } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { builtinDatasets } from './builtin-datasets.js';

// packages/datasets/README.md's table and the root README's real-data table must name
// registered datasets (issue 15).

const registered = builtinDatasets.map((plugin) => plugin.id);

describe('dataset docs agree with builtinDatasets', () => {
  it("packages/datasets/README.md's table lists every dataset, in registration order", () => {
    expect(tableRows(read('packages/datasets/README.md'), 'id').map((cells) => backticked(cells[0] ?? '')[0])).toEqual(registered);
  });

  it("README.md's real-data table names registered datasets", () => {
    const ids = tableRows(read('README.md'), 'dataset').map((cells) => backticked(cells[0] ?? '')[0]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(registered, id).toContain(id);
  });
});
