import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// What the packages' docs-tables tests read from the repository's Markdown: the README tables,
// the root README's "What is in it" bullets and Layout rows, and the docs/methods index, so that
// each test compares them with its package's registered plugins (issue 15).

/** The repository's root: the nearest folder above this module holding pnpm-workspace.yaml. */
export function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'pnpm-workspace.yaml'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no pnpm-workspace.yaml above ${fileURLToPath(import.meta.url)}: not inside the robustfair repository`);
    directory = parent;
  }
  return directory;
}

/** A repository file's text, by its path from the root. */
export const readRepositoryFile = (path: string): string => readFileSync(join(repositoryRoot(), path), 'utf8');

/** The ids in backticks in `text`, parenthesised remarks removed first. */
export function backticked(text: string): string[] {
  return [...text.replace(/\([^()]*\)/g, '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

/** A table row's cells, trimmed (an escaped `\|` stays inside its cell). */
export function cellsOf(line: string): string[] {
  return line.replace(/\\\|/g, '\u0000').split('|').slice(1, -1).map((cell) => cell.replace(/\u0000/g, '|').trim());
}

/** The body rows (cells, trimmed) of the first table whose header's first cell is `header`. */
export function tableRows(markdown: string, header: string): string[][] {
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

/** The text of the root README's "What is in it" bullet that starts with **title**. */
export function readmeBullet(title: string): string {
  const match = new RegExp(`^- \\*\\*${title}\\*\\*:([\\s\\S]*?)(?=^- \\*\\*|^$)`, 'm').exec(readRepositoryFile('README.md'));
  if (!match) throw new Error(`README.md has no '- **${title}**:' bullet`);
  return match[1] ?? '';
}

/** The root README's Layout row of `pkg` (its "holds" cell). */
export function layoutRow(pkg: string): string {
  const row = tableRows(readRepositoryFile('README.md'), 'package').find((cells) => cells[0] === `\`${pkg}\``);
  if (!row) throw new Error(`README.md's Layout table has no row for ${pkg}`);
  return row[1] ?? '';
}

/** docs/methods/README.md: per row, the page file and the ids it claims, as `kind id`. */
export function methodPages(): { page: string; claims: { kind: string; id: string }[] }[] {
  return tableRows(readRepositoryFile('docs/methods/README.md'), 'page').map((cells) => {
    const page = /\]\(([^)#]+)\)/.exec(cells[0] ?? '')?.[1] ?? '';
    const claims = [...(cells[2] ?? '').matchAll(/(\w+) `([^`]+)`/g)].map((match) => ({ kind: match[1] ?? '', id: match[2] ?? '' }));
    return { page, claims };
  });
}

/** Ids the method index claims for `kind`, in row order. */
export const claimedIds = (kind: string): string[] =>
  methodPages().flatMap(({ claims }) => claims.filter((claim) => claim.kind === kind).map((claim) => claim.id));

/** Pages (paths from the root) of the rows that claim an id of `kind`. */
export const pagesClaiming = (kind: string): string[] =>
  methodPages().filter(({ claims }) => claims.some((claim) => claim.kind === kind)).map(({ page }) => `docs/methods/${page}`);
