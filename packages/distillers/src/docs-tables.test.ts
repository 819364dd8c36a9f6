import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinDistillers } from './builtin-distillers.js';
import { builtinObjectives } from './builtin-objectives.js';

// The README tables, the root README's lists and the method index must name exactly the
// registered objectives and distillers (issue 15).
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
    for (const page of [...pagesClaiming('objective'), ...pagesClaiming('distiller')]) expect(existsSync(join(root, page)), page).toBe(true);
  });
});
