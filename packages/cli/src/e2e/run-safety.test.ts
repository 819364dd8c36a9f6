import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBin } from './run-cli.js';
import { specHash } from '@robustfair/runner';

// Issue 13, items 1-6 and 8, on the built CLI: a rerun deletes only checkpoint folders it wrote,
// untrusted configs and run directories do not run code unasked, `train --resume DIR` continues
// DIR itself, `eval --checkpoint` keeps the arm's own evaluation, two runs on one --out do not
// share an arm, damaged run files are named, and names cannot leave --out. One tiny comparison (2 arms, 1 epoch) is trained once and copied per test.
const bin = cliBin;

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI; `onStderr` sees the stderr so far (and the child) after every chunk. */
function robustfair(args: readonly string[], onStderr?: (log: string, child: ChildProcess) => void): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr?.(stderr, child);
  });
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}
const run = (...args: string[]) => robustfair(args).done;

const tinyConfig = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  backend: 'cpu',
  dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 6, trainPerClass: 6, validationPerClass: 0, testPerClass: 4 } },
  model: { id: 'small-cnn', options: { width: 2 } },
  trainingAttack: { id: 'pgd', options: { steps: 1 } },
  training: { epochs: 1, batchSize: 9 },
  evaluation: { batchSize: 12, attacks: [{ name: 'pgd1', attack: { id: 'pgd', options: { steps: 1 } } }] },
  ...extra,
});

let directory: string;
/** The trained comparison's config (no plugins), and the same with an outside plugin. */
let config: string;
let withPlugin: string;
/** The plugin appends a line here each time it is imported, i.e. each time its code runs. */
let importLog: string;
const imports = async () => (existsSync(importLog) ? (await readFile(importLog, 'utf8')).split('\n').filter(Boolean).length : 0);
/** A fresh copy of the trained comparison (`<copy>/tiny/{identity,class-reweight}`). */
const copyOfComparison = async (name: string) => {
  const target = path.join(directory, name);
  await cp(path.join(directory, 'base', 'tiny'), path.join(target, 'tiny'), { recursive: true });
  return path.join(target, 'tiny');
};

beforeAll(async () => {
  if (!existsSync(bin)) return;
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-run-safety-'));
  importLog = path.join(directory, 'imported.log');
  await writeFile(
    path.join(directory, 'marker-plugin.mjs'),
    `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(importLog)}, 'imported\\n');\nexport default [];\n`,
  );
  config = path.join(directory, 'tiny.json');
  const compare = { field: 'fairness', arms: [{ value: { id: 'identity' } }, { value: { id: 'class-reweight' } }] };
  await writeFile(config, JSON.stringify(tinyConfig('tiny', { compare })));
  withPlugin = path.join(directory, 'with-plugin.json');
  await writeFile(withPlugin, JSON.stringify(tinyConfig('tiny', { plugins: ['./marker-plugin.mjs'], compare })));
  const trained = await run('compare', config, '--out', path.join(directory, 'base'), '--quiet');
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!existsSync(bin))('run safety on the built CLI (issue 13)', () => {
  it("item 1: a plain rerun never deletes what an edited checkpoint.json names (outside the run, or the arm itself)", async () => {
    for (const [index, named] of ['../../../victim', '.'].entries()) {
      const comparison = await copyOfComparison(`deletes-${index}`);
      const victim = path.join(path.dirname(comparison), 'victim');
      await mkdir(victim, { recursive: true });
      await writeFile(path.join(victim, 'precious.txt'), 'keep me');
      const pointerFile = path.join(comparison, 'identity', 'checkpoint.json');
      const pointer = JSON.parse(await readFile(pointerFile, 'utf8')) as Record<string, unknown>;
      await writeFile(pointerFile, JSON.stringify({ ...pointer, directory: named }));
      await writeFile(path.join(comparison, 'identity', 'notes.txt'), 'mine');
      const rerun = await run('compare', config, '--out', path.dirname(comparison), '--quiet');
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(await readFile(path.join(victim, 'precious.txt'), 'utf8')).toBe('keep me');
      expect(await readFile(path.join(comparison, 'identity', 'notes.txt'), 'utf8')).toBe('mine');
      expect(existsSync(path.join(comparison, 'identity', 'result.json'))).toBe(true);
    }
  });

  it('item 2: validate does not import the config\'s plugins unless --allow-plugins; data: URLs and absolute paths are refused', async () => {
    const before = await imports();
    const checked = await run('validate', withPlugin);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toContain('outside plugins not imported');
    expect(checked.stdout).toContain(path.join(directory, 'marker-plugin.mjs'));
    expect(await imports()).toBe(before);
    const allowed = await run('validate', withPlugin, '--allow-plugins');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await imports()).toBe(before + 1);

    const hostile = path.join(directory, 'hostile.json');
    const payload = `data:text/javascript,import{appendFileSync}from'node:fs';appendFileSync(${JSON.stringify(importLog)},'x\\n');export default []`;
    await writeFile(hostile, JSON.stringify(tinyConfig('hostile', { plugins: [payload, path.join(directory, 'marker-plugin.mjs')] })));
    for (const command of [['validate', hostile], ['train', hostile, '--out', path.join(directory, 'hostile-runs')]]) {
      const refused = await run(...command);
      expect(refused.code, command[0]).toBe(2);
      expect(refused.stderr).toMatch(/plugins\.0: URLs \(data:/);
      expect(refused.stderr).toMatch(/plugins\.1: absolute paths are refused/);
    }
    expect(await imports()).toBe(before + 1);
  }, 60_000);

  it("item 2: a run directory's recorded plugins run only with --allow-plugins, and the refusal names them", async () => {
    const comparison = await copyOfComparison('consent');
    // The arm as if it had been started from the config with a plugin (spec and its hash).
    const manifestFile = path.join(comparison, 'identity', 'spec.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { spec: Record<string, unknown>; configFile: string };
    const spec = { ...manifest.spec, plugins: ['./marker-plugin.mjs'] };
    await writeFile(manifestFile, JSON.stringify({ ...manifest, configFile: withPlugin, spec, specHash: specHash(spec) }));
    const pointerFile = path.join(comparison, 'identity', 'checkpoint.json');
    await writeFile(pointerFile, JSON.stringify({ ...(JSON.parse(await readFile(pointerFile, 'utf8')) as object), specHash: specHash(spec) }));
    const before = await imports();
    for (const command of [['eval', '--checkpoint', path.join(comparison, 'identity')], ['train', '--resume', path.join(comparison, 'identity')]]) {
      const refused = await run(...command, '--quiet');
      expect(refused.code, command[0]).toBe(1);
      expect(refused.stderr).toContain(`./marker-plugin.mjs (${path.join(directory, 'marker-plugin.mjs')})`);
      expect(refused.stderr).toContain('--allow-plugins');
    }
    expect(await imports()).toBe(before);
    const allowed = await run('eval', '--checkpoint', path.join(comparison, 'identity'), '--allow-plugins', '--quiet');
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(await imports()).toBe(before + 1);
  }, 60_000);

  it('item 3: `train --resume DIR` continues DIR itself after the comparison was moved and renamed, and writes nothing else', async () => {
    const original = path.join(directory, 'base', 'tiny');
    const moved = await copyOfComparison('moved');
    const renamed = path.join(path.dirname(moved), 'elsewhere');
    await cp(moved, renamed, { recursive: true });
    await rm(moved, { recursive: true });
    // Killed after its last checkpoint, before result.json.
    await rm(path.join(renamed, 'identity', 'result.json'));
    const comparisonBefore = await readFile(path.join(renamed, 'comparison.json'), 'utf8');
    const originalResult = await stat(path.join(original, 'identity', 'result.json'));

    const resumed = await run('train', '--resume', path.join(renamed, 'identity'), '--no-progress');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('[identity] resuming after epoch 1');
    const result = JSON.parse(await readFile(path.join(renamed, 'identity', 'result.json'), 'utf8')) as { label: string; spec: { fairness: { id: string } } };
    expect(result.label).toBe('identity');
    expect(result.spec.fairness.id).toBe('identity');
    // Not in the old place, not under the experiment's name, and the comparison is untouched.
    expect(existsSync(path.join(renamed, 'tiny'))).toBe(false);
    expect(existsSync(path.join(original, 'tiny'))).toBe(false);
    expect((await stat(path.join(original, 'identity', 'result.json'))).mtimeMs).toBe(originalResult.mtimeMs);
    expect(await readFile(path.join(renamed, 'comparison.json'), 'utf8')).toBe(comparisonBefore);
  }, 60_000);

  it("item 4: `eval --checkpoint` writes to the arm's evaluations/ folder under the arm's label, and replaces it only with --force", async () => {
    const arm = path.join(await copyOfComparison('evaluate'), 'class-reweight');
    const own = await stat(path.join(arm, 'evaluation.json'));
    const target = path.join(arm, 'evaluations', 'checkpoint-1');

    const first = await run('eval', '--checkpoint', arm, '--quiet');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('arm class-reweight: class-wise accuracy');
    expect(first.stdout).toContain(`evaluation written to ${target}`);
    expect((await stat(path.join(arm, 'evaluation.json'))).mtimeMs).toBe(own.mtimeMs);
    const summary = JSON.parse(await readFile(path.join(target, 'evaluation-summary.json'), 'utf8')) as { label: string };
    expect(summary.label).toBe('class-reweight');
    expect(existsSync(path.join(target, 'evaluation.csv'))).toBe(true);

    const again = await run('eval', '--checkpoint', arm, '--quiet');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${target} already holds an evaluation of these weights; pass --force to replace it`);
    const forced = await run('eval', '--checkpoint', arm, '--quiet', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect((await stat(path.join(arm, 'evaluation.json'))).mtimeMs).toBe(own.mtimeMs);
  }, 90_000);

  it('item 5: a second run on the same --out fails naming the first; after a kill -9 the stale lock does not block --resume', async () => {
    const solo = path.join(directory, 'solo.json');
    await writeFile(solo, JSON.stringify(tinyConfig('solo', { training: { epochs: 2, batchSize: 9 } })));
    const out = path.join(directory, 'locked');
    const arm = path.join(out, 'solo', 'solo');
    // The first run is paused inside its first epoch: alive, holding the arm.
    const first = robustfair(['train', solo, '--out', out, '--no-progress'], (log, child) => {
      if (/\[solo\] training 2 epoch/.test(log) && !child.killed) child.kill('SIGSTOP');
    });
    try {
      const paused = new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (first.child.killed) {
            clearInterval(poll);
            resolve();
          }
        }, 50);
      });
      await Promise.race([paused, first.done.then((ended) => Promise.reject(new Error(`the first run ended early: ${ended.stderr}`)))]);
      expect(existsSync(path.join(arm, 'arm.lock'))).toBe(true);
      const specBefore = await readFile(path.join(arm, 'spec.json'), 'utf8');
      const second = await run('train', solo, '--out', out, '--quiet');
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`${arm} is in use by another run: pid ${first.child.pid} on this host`);
      expect(await readFile(path.join(arm, 'spec.json'), 'utf8')).toBe(specBefore);
    } finally {
      first.child.kill('SIGKILL'); // also when an expectation failed: never leave it stopped
    }
    expect((await first.done).signal).toBe('SIGKILL');
    const resumed = await run('train', '--resume', arm, '--quiet');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(existsSync(path.join(arm, 'result.json'))).toBe(true);
    expect(existsSync(path.join(arm, 'arm.lock'))).toBe(false);
  }, 120_000);

  it('item 6: a damaged spec.json or result.json is named with its field, never a raw JavaScript error', async () => {
    const fake = path.join(directory, 'damaged-arm');
    await mkdir(fake, { recursive: true });
    await writeFile(path.join(fake, 'spec.json'), JSON.stringify({ schemaVersion: 1, name: 'x', label: 'y' }));
    const resumed = await run('train', '--resume', fake, '--quiet');
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain(`${path.join(fake, 'spec.json')}: field 'configFile'`);
    expect(resumed.stderr).not.toMatch(/TypeError|Cannot read properties|argument must be/);

    const comparison = await copyOfComparison('damaged');
    const resultFile = path.join(comparison, 'identity', 'result.json');
    const { evaluation: _evaluation, ...withoutEvaluation } = JSON.parse(await readFile(resultFile, 'utf8')) as Record<string, unknown>;
    await writeFile(resultFile, JSON.stringify(withoutEvaluation));
    const rerun = await run('compare', config, '--resume', '--out', path.dirname(comparison), '--quiet');
    expect(rerun.code).toBe(1);
    expect(rerun.stderr).toContain(`${resultFile}: field 'evaluation'`);
    expect(rerun.stderr).not.toMatch(/TypeError|Cannot read properties/);
  }, 60_000);

  it("item 8: a name or label of '..' is refused before anything is written", async () => {
    for (const [command, file, raw, field] of [
      ['train', 'dotdot-name.json', tinyConfig('..'), /name: a directory name/],
      ['compare', 'dotdot-label.json', tinyConfig('fine', { compare: { field: 'seed', arms: [{ label: '..', value: 1 }, { label: 'b', value: 2 }] } }), /arms\.0\.label: a directory name/],
    ] as const) {
      const where = path.join(directory, 'names', file);
      await mkdir(path.dirname(where), { recursive: true });
      await writeFile(where, JSON.stringify(raw));
      const refused = await run(command, where, '--out', path.join(directory, 'names', 'out'), '--quiet');
      expect(refused.code, file).toBe(2);
      expect(refused.stderr).toMatch(field);
    }
    expect(existsSync(path.join(directory, 'names', 'out'))).toBe(false);
  }, 60_000);
});
