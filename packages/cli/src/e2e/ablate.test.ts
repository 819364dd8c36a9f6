import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cliBin } from './run-cli.js';
import { armLockFileName, isProcessRunning } from '@robustfair/runner';

// Issue 7, acceptance 1 and 2: `robustfair ablate` over 3 strategies × 2 seeds writes one run
// directory per arm and one comparison; a rerun reuses the finished arms; with --workers 2 a
// SIGKILL of the whole process tree loses nothing: `ablate --resume` keeps the finished arms
// byte for byte and continues the others from their checkpoints.
const bin = cliBin;
const labels = ['class-reweight-seed0', 'class-reweight-seed1', 'frl-reweight-seed0', 'frl-reweight-seed1', 'identity-seed0', 'identity-seed1'];
const ablation = ['--axis', 'fairness.id=identity,class-reweight,frl-reweight', '--seeds', '0,1'];

let directory: string;
let config: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-ablate-'));
  config = path.join(directory, 'base.json');
  await writeFile(
    config,
    JSON.stringify({
      name: 'grid',
      // frl-reweight reads the validation split; 2 epochs so an arm has a checkpoint before its result
      dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 8, trainPerClass: 6, validationPerClass: 3, testPerClass: 4 } },
      model: { id: 'small-cnn', options: { width: 2 } },
      trainingAttack: { id: 'pgd', options: { steps: 1 } },
      training: { epochs: 2, batchSize: 9 },
      evaluation: { batchSize: 12, attacks: [{ preset: 'pgd20', overrides: { steps: 1 } }] },
    }),
  );
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const armDirectories = async (root: string) =>
  (await readdir(path.join(root, 'grid'), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
const withoutTimings = (text: string) => JSON.parse(text, (key, value: unknown) => (key === 'seconds' ? undefined : value)) as unknown;

describe('robustfair ablate', () => {
  it.skipIf(!existsSync(bin))('expands 3 strategies × 2 seeds into 6 arms and one comparison, and reuses them on a rerun', async () => {
    const out = path.join(directory, 'sequential');
    const run = () => spawnSync(process.execPath, [bin, 'ablate', config, ...ablation, '--out', out], { encoding: 'utf8' });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(await armDirectories(out)).toEqual(labels);
    for (const label of labels) expect(existsSync(path.join(out, 'grid', label, 'result.json')), label).toBe(true);
    expect(existsSync(path.join(out, 'grid', 'comparison.json'))).toBe(true);
    // and the same comparison as one long CSV table: every arm's rows are there
    const table = await readFile(path.join(out, 'grid', 'comparison.csv'), 'utf8');
    expect(new Set(table.trim().split('\n').slice(1).map((line) => line.split(',')[0])).size).toBe(6);
    expect(first.stdout.match(/comparison over 'method'/g)).toHaveLength(1);
    const second = run();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr.match(/already finished/g)).toHaveLength(6);
    expect(second.stderr).not.toMatch(/training \d+ epoch/);
  }, 300_000);

  it.skipIf(!existsSync(bin))('with --workers 2, survives a SIGKILL of the process tree: `ablate --resume` loses nothing', async () => {
    const out = path.join(directory, 'killed');
    const grid = path.join(out, 'grid');
    const has = (label: string, file: string) => existsSync(path.join(grid, label, file));
    // Killed once an arm has its result and another has a checkpoint but no result yet.
    const killed = await new Promise<{ signal: NodeJS.Signals | null; finished: string[]; checkpointed: string[] }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'ablate', config, ...ablation, '--workers', '2', '--out', out], { detached: true, stdio: 'ignore' });
      let state = { finished: [] as string[], checkpointed: [] as string[] };
      const poll = setInterval(() => {
        const finished = labels.filter((label) => has(label, 'result.json'));
        const checkpointed = labels.filter((label) => has(label, 'checkpoint.json') && !has(label, 'result.json'));
        if (finished.length > 0 && checkpointed.length > 0) {
          state = { finished, checkpointed };
          clearInterval(poll);
          process.kill(-(child.pid as number), 'SIGKILL');
        }
      }, 20);
      child.on('error', reject);
      child.on('exit', (_code, signal) => {
        clearInterval(poll);
        resolve({ signal, ...state });
      });
    });
    expect(killed.signal, 'the ablation ended before the moment to kill it').toBe('SIGKILL');
    // The parent's exit does not mean its workers are gone yet: wait until no lock's holder runs
    // (a lock held by a live process is rightly refused by the resume).
    await vi.waitFor(async () => {
      for (const label of labels) {
        const lock = path.join(grid, label, armLockFileName);
        if (existsSync(lock)) expect(isProcessRunning((JSON.parse(await readFile(lock, 'utf8')) as { pid: number }).pid), lock).toBe(false);
      }
    }, { timeout: 10_000, interval: 50 });
    const before = new Map<string, Buffer>();
    for (const label of killed.finished) before.set(label, await readFile(path.join(grid, label, 'result.json')));

    const resumed = spawnSync(process.execPath, [bin, 'ablate', config, ...ablation, '--workers', '2', '--resume', '--out', out], { encoding: 'utf8' });
    expect(resumed.status, resumed.stderr).toBe(0);
    for (const [label, bytes] of before) expect((await readFile(path.join(grid, label, 'result.json'))).equals(bytes), label).toBe(true);
    expect(resumed.stderr.match(/already finished/g)?.length ?? 0).toBeGreaterThanOrEqual(killed.finished.length);
    // (the workers may have finished one more result.json between the last poll and the kill)
    expect(resumed.stderr).toMatch(/resuming after epoch \d/);
    expect(await armDirectories(out)).toEqual(labels);
    expect(existsSync(path.join(grid, 'comparison.json'))).toBe(true);
    expect(resumed.stdout.match(/comparison over 'method'/g)).toHaveLength(1);
    // The killed-and-resumed arms end exactly where the uninterrupted sequential run (previous test) did.
    const reference = path.join(directory, 'sequential', 'grid');
    expect(existsSync(reference), 'the sequential run of the previous test').toBe(true);
    for (const label of labels) {
      const [actual, expected] = await Promise.all([readFile(path.join(grid, label, 'result.json'), 'utf8'), readFile(path.join(reference, label, 'result.json'), 'utf8')]);
      expect(withoutTimings(actual), label).toEqual(withoutTimings(expected));
    }
  }, 300_000);

  it.skipIf(!existsSync(bin))('refuses --resume where there is nothing to resume, and --workers 0', () => {
    const nothing = spawnSync(process.execPath, [bin, 'ablate', config, ...ablation, '--resume', '--out', path.join(directory, 'empty')], { encoding: 'utf8' });
    expect(nothing.status).toBe(1);
    expect(nothing.stderr).toMatch(/ablate --resume: .* holds no earlier run of 'grid'/);
    const zero = spawnSync(process.execPath, [bin, 'ablate', config, ...ablation, '--workers', '0', '--out', path.join(directory, 'empty')], { encoding: 'utf8' });
    expect(zero.status).not.toBe(0);
    expect(zero.stderr).toContain("expected a whole number of at least 1, got '0'");
  });
});
