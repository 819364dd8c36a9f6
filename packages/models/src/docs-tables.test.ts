import { backticked, readRepositoryFile as read, tableRows } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { builtinModels } from './builtin-models.js';

// packages/models/README.md's table must name exactly the registered models (issue 15).

describe('model docs agree with builtinModels', () => {
  it("packages/models/README.md's table lists every model, in registration order", () => {
    expect(tableRows(read('packages/models/README.md'), 'id').map((cells) => backticked(cells[0] ?? '')[0])).toEqual(builtinModels.map((plugin) => plugin.id));
  });
});
