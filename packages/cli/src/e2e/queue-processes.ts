import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliBin } from './run-cli.js';

// Processes of the queue's end-to-end tests: `robustfair worker`s and a submitter, each the
// built CLI in a child process whose output is kept for the assertions.

/** A running `robustfair` child process and everything it has written so far. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** stdout and stderr, interleaved as they arrived. */
  output(): string;
  readonly exited: Promise<number | null>;
}

export function startCli(args: readonly string[], cwd: string): CliProcess {
  const child = spawn(process.execPath, [cliBin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ROBUSTFAIR_WASM_THREADS: '1' } });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** A `robustfair worker` on `url`, resolved once it is taking jobs. */
export async function startWorker(url: string, cwd: string, extra: readonly string[] = []): Promise<CliProcess> {
  const worker = startCli(['worker', '--queue', url, '--no-progress', ...extra], cwd);
  for (let waited = 0; !/taking arms from/.test(worker.output()); waited += 50) {
    if (waited > 60_000 || worker.child.exitCode !== null) throw new Error(`the worker did not start:\n${worker.output()}`);
    await sleep(50);
  }
  return worker;
}

/** Ctrl-C to a worker; resolves with its exit code. */
export async function interrupt(worker: CliProcess): Promise<number | null> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGINT');
  return worker.exited;
}

/** Labels a worker says it wrote a result for (`[label] result written to …`). */
export const resultsWritten = (output: string) => [...output.matchAll(/^\[([^\]]+)\] result written to /gm)].map((match) => match[1] as string);

/** Every file under a directory (relative paths), sorted. */
export async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** A JSON results file with its timings (`seconds`) left out: what two runs of the same seed share byte for byte. */
export const withoutTimings = async (file: string) => JSON.parse(await readFile(file, 'utf8'), (key, value: unknown) => (key === 'seconds' ? undefined : value)) as unknown;
