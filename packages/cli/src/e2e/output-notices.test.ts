import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBin } from './run-cli.js';

// Issue 14, section 4, on the built CLI: what a user sees on stderr. No TF.js "install tfjs-node"
// banner on the cpu backend, a one-line notice when train leaves a compare block out, and
// validate failing on a config whose data directory is missing.
const bin = cliBin;

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function robustfair(...args: string[]): Promise<Finished> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-output-'));
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!existsSync(bin))('robustfair output (built CLI)', () => {
  it('train on the cpu backend prints no TF.js banner, and names the compare block it leaves out', async () => {
    const config = path.join(directory, 'tiny.json');
    await writeFile(
      config,
      JSON.stringify({
        name: 'tiny',
        backend: 'cpu',
        dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 6, trainPerClass: 3, validationPerClass: 0, testPerClass: 2 } },
        model: { id: 'small-cnn', options: { width: 2 } },
        trainingAttack: { id: 'pgd', options: { steps: 1 } },
        training: { epochs: 1, batchSize: 9 },
        evaluation: { batchSize: 6, attacks: [{ name: 'pgd1', attack: { id: 'pgd', options: { steps: 1 } } }] },
        compare: { field: 'fairness', arms: [{ value: { id: 'identity' } }, { value: { id: 'class-reweight' } }] },
      }),
    );
    const trained = await robustfair('train', config, '--out', path.join(directory, 'runs'), '--no-progress');
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).not.toMatch(/TensorFlow\.js in Node\.js|tfjs-node for more details/);
    const notices = trained.stderr.split('\n').filter((line) => line.includes("'compare' block"));
    expect(notices).toEqual([`robustfair: note: ${config} has a 'compare' block (2 arms); train runs only the base config, without it (robustfair compare ${config} runs the arms)`]);
    expect(trained.stdout).toContain('epsilon 8/255');
    expect(trained.stdout).toContain('NSD: std / mean of the class accuracies');
  }, 120_000);

  it('validate fails on a config whose data directory is missing, saying what to get', async () => {
    const missing = path.join(directory, 'no-cifar');
    const config = path.join(directory, 'cifar.json');
    await writeFile(config, JSON.stringify({ dataset: { id: 'cifar10', options: { directory: missing } }, model: { id: 'small-cnn' }, training: { epochs: 1 } }));
    const checked = await robustfair('validate', config);
    expect(checked.code).toBe(1);
    expect(checked.stdout).not.toContain('valid (');
    expect(checked.stderr).toContain(`${config}: the config is valid, but its data is missing:`);
    expect(checked.stderr).toContain(`dataset 'cifar10': directory '${missing}' not found`);
    expect(checked.stderr).toContain('cifar-10-binary.tar.gz');
  }, 60_000);
});
