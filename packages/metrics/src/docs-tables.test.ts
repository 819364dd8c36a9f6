import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinMetrics } from './builtin-metrics.js';

// The method index must name exactly the registered metrics (issue 15).
// ---- Markdown helpers (each package's docs-tables test has its own copy: packages may not import each other) ----

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

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

describe('metric docs agree with builtinMetrics', () => {
  it('docs/methods/README.md claims every metric exactly once, on a page that exists', () => {
    expect([...claimedIds('metric')].sort()).toEqual(builtinMetrics.map((plugin) => plugin.id).sort());
    for (const page of pagesClaiming('metric')) expect(existsSync(join(root, page)), page).toBe(true);
  });
});
