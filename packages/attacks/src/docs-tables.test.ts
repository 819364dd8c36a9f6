import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { backticked, claimedIds, layoutRow, pagesClaiming, readmeBullet, readRepositoryFile as read, repositoryRoot, tableRows } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { builtinAttacks } from './builtin-attacks.js';
import { attackPresetIds } from './presets/attack-presets.js';

// The README tables, the root README's preset lists and the method index must name exactly the
// registered attacks and presets (issue 15).

const registered = builtinAttacks.map((plugin) => plugin.id);

describe('attack docs agree with builtinAttacks and the presets', () => {
  it("packages/attacks/README.md's plugin table lists every attack, in registration order", () => {
    expect(tableRows(read('packages/attacks/README.md'), 'id').map((cells) => backticked(cells[0] ?? '')[0])).toEqual(registered);
  });

  it("packages/attacks/README.md's preset table lists every preset, in order", () => {
    expect(tableRows(read('packages/attacks/README.md'), 'preset').flatMap((cells) => backticked(cells[0] ?? ''))).toEqual(attackPresetIds);
  });

  it("README.md's Attacks bullet and Layout row name only existing presets", () => {
    for (const text of [readmeBullet('Attacks'), layoutRow('@robustfair/attacks')]) {
      const presets = backticked(/presets ([^;]*)/.exec(text)?.[1] ?? '');
      expect(presets.length).toBeGreaterThan(0);
      for (const preset of presets) expect(attackPresetIds, preset).toContain(preset);
    }
  });

  it('docs/methods/README.md claims every attack exactly once, on pages that exist', () => {
    expect([...claimedIds('attack')].sort()).toEqual([...registered].sort());
    for (const page of pagesClaiming('attack')) expect(existsSync(join(repositoryRoot(), page)), page).toBe(true);
  });
});
