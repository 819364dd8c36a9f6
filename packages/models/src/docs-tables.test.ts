import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinModels } from './builtin-models.js';

// packages/models/README.md's table must name exactly the registered models (issue 15).
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

describe('model docs agree with builtinModels', () => {
  it("packages/models/README.md's table lists every model, in registration order", () => {
    expect(tableRows(read('packages/models/README.md'), 'id').map((cells) => backticked(cells[0] ?? '')[0])).toEqual(builtinModels.map((plugin) => plugin.id));
  });
});
