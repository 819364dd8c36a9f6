import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinAttacks } from './builtin-attacks.js';
import { attackPresetIds } from './presets/attack-presets.js';

// The README tables, the root README's preset lists and the method index must name exactly the
// registered attacks and presets (issue 15).
// ---- Markdown helpers (each package's docs-tables test has its own copy: packages may not import each other) ----

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

/** The ids in backticks in `text`, parenthesised remarks removed first. */
function backticked(text: string): string[] {
  return [...text.replace(/\([^()]*\)/g, '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

/** The body rows (cells, trimmed) of the first table whose header's first cell is `header`. */
function tableRows(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith('|') && cellsOf(line)[0] === header);
  if (start < 0) throw new Error(`no table with first column '${header}'`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(cellsOf(line));
  }
  return rows;
}

function cellsOf(line: string): string[] {
  return line.replace(/\\\|/g, '\u0000').split('|').slice(1, -1).map((cell) => cell.replace(/\u0000/g, '|').trim());
}

/** The text of the root README's "What is in it" bullet that starts with **title**. */
function readmeBullet(title: string): string {
  const match = new RegExp(`^- \\*\\*${title}\\*\\*:([\\s\\S]*?)(?=^- \\*\\*|^$)`, 'm').exec(read('README.md'));
  if (!match) throw new Error(`README.md has no '- **${title}**:' bullet`);
  return match[1] ?? '';
}

/** The root README's Layout row of `pkg` (its "holds" cell). */
function layoutRow(pkg: string): string {
  const row = tableRows(read('README.md'), 'package').find((cells) => cells[0] === `\`${pkg}\``);
  if (!row) throw new Error(`README.md's Layout table has no row for ${pkg}`);
  return row[1] ?? '';
}

/** docs/methods/README.md: per row, the page file and the ids it claims, as `kind id`. */
function methodPages(): { page: string; claims: { kind: string; id: string }[] }[] {
  return tableRows(read('docs/methods/README.md'), 'page').map((cells) => {
    const page = /\]\(([^)#]+)\)/.exec(cells[0] ?? '')?.[1] ?? '';
    const claims = [...(cells[2] ?? '').matchAll(/(\w+) `([^`]+)`/g)].map((match) => ({ kind: match[1] ?? '', id: match[2] ?? '' }));
    return { page, claims };
  });
}

/** Ids the method index claims for `kind`, in row order. */
const claimedIds = (kind: string): string[] =>
  methodPages().flatMap(({ claims }) => claims.filter((claim) => claim.kind === kind).map((claim) => claim.id));

/** Pages of the rows that claim an id of `kind`, each of which must exist. */
const pagesClaiming = (kind: string): string[] =>
  methodPages().filter(({ claims }) => claims.some((claim) => claim.kind === kind)).map(({ page }) => `docs/methods/${page}`);

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
    for (const page of pagesClaiming('attack')) expect(existsSync(join(root, page)), page).toBe(true);
  });
});
