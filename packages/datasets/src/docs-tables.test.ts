import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinDatasets } from './builtin-datasets.js';

// packages/datasets/README.md's table and the root README's real-data table must name
// registered datasets (issue 15).
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
