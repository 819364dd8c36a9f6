import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { backendIds, selectBackend, type BackendChoice, type BackendSelection } from '@robustfair/core';
import { builtinBackendProviders, collectPackageVersions, defaultTeacherCacheDirectory, inspectDataDirectories, teacherCacheVariable, type DataDirectoryStatus } from '@robustfair/runner';
import { Option, type Command } from 'commander';
import { writeToStdout, type Write } from './output.js';

/** What `robustfair info --json` prints. */
export interface EnvironmentInfo {
  /** The backend in use and, for every other one, why it was not taken. */
  readonly backend: BackendSelection;
  readonly versions: {
    readonly node: string;
    readonly robustfair: Readonly<Record<string, string>>;
    readonly tensorflow: Readonly<Record<string, string>>;
  };
  readonly dataDirectories: readonly DataDirectoryStatus[];
  /** Where train/compare/ablate share trained teachers (null when ROBUSTFAIR_TEACHER_CACHE=off). */
  readonly teacherCache: string | null;
}

const require = createRequire(import.meta.url);

/** How `info` names the wasm kernels' build (`BackendThreadsStatus.simd`). */
const simdDescriptions = {
  relaxed: 'relaxed SIMD (fused multiply-add)',
  plain: 'plain SIMD (multiply, then add)',
} as const;

function cliVersion(): string {
  try {
    return (JSON.parse(readFileSync(require.resolve('@robustfair/cli/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Activates a backend (as a run would) and gathers versions and data directories. */
export async function collectEnvironmentInfo(backend?: BackendChoice): Promise<EnvironmentInfo> {
  const selection = await selectBackend(backend, builtinBackendProviders);
  const versions = collectPackageVersions();
  return {
    backend: selection,
    versions: { node: versions.node, robustfair: { '@robustfair/cli': cliVersion(), ...versions.robustfair }, tensorflow: versions.tensorflow },
    dataDirectories: inspectDataDirectories(),
    teacherCache: defaultTeacherCacheDirectory() ?? null,
  };
}

function describeDirectory(entry: DataDirectoryStatus): string {
  switch (entry.status) {
    case 'found':
      return `found: ${entry.directory} (${entry.variable})`;
    case 'incomplete':
      return `incomplete: ${entry.directory} (${entry.variable}) lacks ${(entry.missing ?? []).join(', ')}`;
    case 'not-found':
      return `not found: ${entry.directory} (${entry.variable}) is not a directory`;
    case 'not-set':
      return `not found: ${entry.variable} is not set (or give the dataset's 'directory' option)`;
  }
}

/** The human-readable form of {@link EnvironmentInfo}. */
export function formatEnvironmentInfo(info: EnvironmentInfo): string {
  const table = (rows: readonly (readonly [string, string])[]) => {
    const width = Math.max(...rows.map(([name]) => name.length));
    return rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
  };
  return [
    `active backend: ${info.backend.active}${info.backend.wasmThreads ? ` (${info.backend.wasmThreads.threads} thread${info.backend.wasmThreads.threads === 1 ? '' : 's'}; ROBUSTFAIR_WASM_THREADS sets it)` : ''}`,
    ...(info.backend.wasmThreads?.simd ? [`  kernels: ${simdDescriptions[info.backend.wasmThreads.simd]} (ROBUSTFAIR_WASM_SIMD=plain|relaxed forces one)`] : []),
    ...(info.backend.wasmThreads?.note ? [`  threads: ${info.backend.wasmThreads.note}`] : []),
    ...Object.entries(info.backend.skipped).map(([id, reason]) => `  ${id}: ${reason}`),
    'versions:',
    ...table([['node', info.versions.node], ...Object.entries(info.versions.robustfair), ...Object.entries(info.versions.tensorflow)]),
    'data directories:',
    ...table(info.dataDirectories.map((entry) => [entry.name, describeDirectory(entry)] as const)),
    `teacher cache: ${info.teacherCache ?? 'off'} (${teacherCacheVariable} sets it; 'off' turns it off; --teacher-cache DIR for one run)`,
  ].join('\n');
}

/**
 * `robustfair info [--backend ID] [--json]`: the backend in use and why the others were not
 * taken, the versions of Node, robustfair and TF.js, and which data directories were found.
 */
export function registerInfoCommand(program: Command, write: Write = writeToStdout): Command {
  return program
    .command('info')
    .addOption(new Option('--backend <id>', 'backend to try').choices(['auto', ...backendIds]))
    .option('--json', 'machine-readable output (one JSON object)')
    .description('show the TF.js backend in use (and why the others were not taken), versions and data directories')
    .action(async (flags: { backend?: BackendChoice; json?: boolean }) => {
      // As before: --backend auto leaves the choice to ROBUSTFAIR_BACKEND, else auto.
      const info = await collectEnvironmentInfo(flags.backend === 'auto' ? undefined : flags.backend);
      write(`${flags.json ? JSON.stringify(info, null, 2) : formatEnvironmentInfo(info)}\n`);
    });
}
