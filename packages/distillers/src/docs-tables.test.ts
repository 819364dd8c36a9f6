import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { backticked, claimedIds, layoutRow, pagesClaiming, readmeBullet, readRepositoryFile as read, repositoryRoot, tableRows } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { builtinDistillers } from './builtin-distillers.js';
import { builtinObjectives } from './builtin-objectives.js';

// The README tables, the root README's lists and the method index must name exactly the
// registered objectives and distillers (issue 15).

const objectives = builtinObjectives.map((plugin) => plugin.id);
const distillers = builtinDistillers.map((plugin) => plugin.id);

/** `objectives `a`, `b`; distillers `c`, `d`` → the ids after `word`, up to the next `;`. */
const listAfter = (text: string, word: string): string[] => backticked(new RegExp(`\\b${word}\\b([^;]*)`).exec(text)?.[1] ?? '');

describe('distiller and objective docs agree with the registered plugins', () => {
  it("packages/distillers/README.md's table lists every objective and distiller with its kind", () => {
    const rows = tableRows(read('packages/distillers/README.md'), 'id').map((cells) => `${cells[1]} ${backticked(cells[0] ?? '')[0]}`);
    expect(rows).toEqual([...objectives.map((id) => `objective ${id}`), ...distillers.map((id) => `distiller ${id}`)]);
  });

  it("README.md's Methods bullet and Layout row list them", () => {
    for (const text of [readmeBullet('Methods'), layoutRow('@robustfair/distillers')]) {
      expect(listAfter(text, 'objectives')).toEqual(objectives);
      expect(listAfter(text, 'distillers')).toEqual(distillers);
    }
  });

  it('docs/methods/README.md claims each exactly once, on pages that exist', () => {
    expect([...claimedIds('objective')].sort()).toEqual([...objectives].sort());
    expect([...claimedIds('distiller')].sort()).toEqual([...distillers].sort());
    for (const page of [...pagesClaiming('objective'), ...pagesClaiming('distiller')]) expect(existsSync(join(repositoryRoot(), page)), page).toBe(true);
  });
});
