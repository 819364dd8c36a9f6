import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinFairnessStrategies } from './builtin-fairness-strategies.js';

// The README tables, the root README's lists and the method index must name exactly the
// registered strategies (issue 15): a strategy added, renamed or removed without its docs fails here.
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
    for (const page of pagesClaiming('strategy')) expect(existsSync(join(root, page)), page).toBe(true);
  });

  it('every page of the method index exists', () => {
    for (const { page } of methodPages()) expect(existsSync(join(root, 'docs/methods', page)), page).toBe(true);
  });
});
