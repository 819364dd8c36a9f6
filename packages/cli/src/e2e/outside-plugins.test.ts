import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBin } from './run-cli.js';

// Issue 14, section 2 ("a new method in one file"), on the built CLI: the outside strategy
// examples are copied out of the monorepo (a temp directory, no package.json, no node_modules),
// so their `@robustfair/spec` and `zod` imports can only resolve from the CLI's installation.
// The JavaScript one is compared with identity and ABSLD and chained with ABSLD; the TypeScript
// one passes `robustfair test-plugin`; results record each plugin file's SHA-256.
const bin = cliBin;
const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let directory: string;
/** The shared teacher cache of these runs (never the user's ~/.cache). */
const teacherCache = () => path.join(directory, 'teacher-cache');

function run(cwd: string, ...args: string[]): Promise<Finished> {
  const env = { ...process.env, ROBUSTFAIR_TEACHER_CACHE: teacherCache() };
  const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

type Raw = Record<string, unknown>;
/** An example's config at test size: 4 classes, 2 epochs, a 1-epoch teacher, one cheap attack. */
async function shrunkConfig(example: string): Promise<Raw> {
  const raw = JSON.parse(await readFile(path.join(examples, example, 'robustfair.config.json'), 'utf8')) as Raw;
  const { $schema: _schema, ...rest } = raw;
  const teacher = rest['teacher'] as Raw;
  return {
    ...rest,
    backend: 'cpu',
    dataset: { id: 'synthetic', options: { numClasses: 4, imageSize: 6, trainPerClass: 8, validationPerClass: 0, testPerClass: 4 } },
    model: { id: 'small-cnn', options: { width: 2 } },
    trainingAttack: { id: 'pgd', options: { steps: 1 } },
    training: { epochs: 2, batchSize: 16 },
    teacher: { ...teacher, model: { id: 'small-cnn', options: { width: 2 } }, trainingAttack: { id: 'pgd', options: { steps: 1 } }, training: { epochs: 1, batchSize: 16 } },
    evaluation: { batchSize: 16, attacks: [{ name: 'pgd1', attack: { id: 'pgd', options: { steps: 1 } } }] },
  };
}

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-outside-plugins-'));
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

const sha256 = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

describe.skipIf(!existsSync(bin))('a new method in one file, outside the monorepo (issue 14, section 2)', () => {
  it('compares examples/custom-fairness-strategy with identity and ABSLD, chained with ABSLD, recording the plugin hash', async () => {
    const work = path.join(directory, 'js');
    await mkdir(work, { recursive: true });
    await copyFile(path.join(examples, 'custom-fairness-strategy', 'worst-class-boost.js'), path.join(work, 'worst-class-boost.js'));
    const config = path.join(work, 'robustfair.config.json');
    await writeFile(config, JSON.stringify(await shrunkConfig('custom-fairness-strategy')));

    // validate without --allow-plugins lists the chain's outside member instead of rejecting it.
    const checked = await run(work, 'validate', config);
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout + checked.stderr).toContain("fairness 'chain' member 'worst-class-boost'");

    const compared = await run(work, 'compare', config, '--out', path.join(work, 'runs'), '--quiet');
    expect(compared.code, compared.stderr).toBe(0);
    const result = async (label: string) =>
      JSON.parse(await readFile(path.join(work, 'runs', 'custom-strategy', label, 'result.json'), 'utf8')) as {
        resolvedOptions: Record<string, unknown>;
        plugins: { plugin: string; file: string; sha256: string }[];
        training: { epochs: { knobs: { robustWeight?: number[]; temperature?: unknown }; statistics: { count: number[]; sums: Record<string, number[]> } }[] };
      };
    const chained = await result('absld-chain-worst-class-boost');
    expect(chained.resolvedOptions['fairness']).toEqual({
      id: 'chain',
      options: { strategies: [expect.objectContaining({ id: 'absld' }), { id: 'worst-class-boost', options: { boost: 3 } }] },
    });
    // Epoch 2's knobs: ABSLD's temperatures and worst-class-boost's weights, by hand (the class
    // with the highest robust error of epoch 1 gets 3, the others 1, then mean 1).
    const [first, second] = chained.training.epochs;
    const errors = first!.statistics.sums['robust-error']!.map((sum, c) => sum / first!.statistics.count[c]!);
    const worst = errors.indexOf(Math.max(...errors));
    const tie = Math.max(...errors) === Math.min(...errors);
    const boosted = errors.map((_, c) => (c === worst && !tie ? 3 : 1));
    const mean = boosted.reduce((a, b) => a + b, 0) / boosted.length;
    expect(second!.knobs.robustWeight).toEqual(boosted.map((w) => w / mean));
    expect(second!.knobs.temperature).toBeDefined();
    // result.json records the plugin file and its SHA-256.
    const plugin = path.join(work, 'worst-class-boost.js');
    expect(chained.plugins).toEqual([{ plugin: './worst-class-boost.js', file: plugin, sha256: await sha256(plugin) }]);

    // An edited plugin is visible: a rerun reusing the results names it.
    await writeFile(plugin, `${await readFile(plugin, 'utf8')}\n// edited\n`);
    const rerun = await run(work, 'compare', config, '--out', path.join(work, 'runs'), '--resume');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(/plugin '\.\/worst-class-boost\.js' changed/);

    // Another results directory reuses the teacher from the shared cache, which `info` shows.
    const elsewhere = await run(work, 'compare', config, '--out', path.join(work, 'elsewhere'));
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(elsewhere.stderr).toContain(`reusing the teacher trained earlier with the same spec (teacher cache ${teacherCache()}`);
    const info = await run(work, 'info', '--backend', 'cpu');
    expect(info.stdout).toContain(`teacher cache: ${teacherCache()} (ROBUSTFAIR_TEACHER_CACHE sets it`);
  }, 300_000);

  it('runs test-plugin on the TypeScript example (one .ts file, no package.json): every check passes', async () => {
    const work = path.join(directory, 'ts');
    await mkdir(work, { recursive: true });
    await copyFile(path.join(examples, 'custom-fairness-strategy-ts', 'worst-class-boost.ts'), path.join(work, 'worst-class-boost.ts'));
    const tested = await run(work, 'test-plugin', 'worst-class-boost.ts');
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/^pass {2}fairness-strategy 'worst-class-boost': with 3 classes: update is pure/m);
    expect(tested.stdout).toMatch(/^pass {2}fairness-strategy 'worst-class-boost': leak: /m);
    expect(tested.stdout).not.toMatch(/^fail/m);
    expect(tested.stdout).toMatch(/^ok: \d+ passed, 0 failed/m);
  }, 120_000);

  it('runs test-plugin on examples/custom-attack copied outside the monorepo: the attack checks pass', async () => {
    const work = path.join(directory, 'attack');
    await mkdir(work, { recursive: true });
    await copyFile(path.join(examples, 'custom-attack', 'mi-fgsm.js'), path.join(work, 'mi-fgsm.js'));
    const tested = await run(work, 'test-plugin', 'mi-fgsm.js', '--options', '{"steps": 2}');
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/^pass {2}attack 'mi-fgsm': stays inside the model's bounds and inside each sample's own ε ball$/m);
    expect(tested.stdout).toMatch(/^pass {2}attack 'mi-fgsm': leaves no tensor alive besides its result$/m);
    expect(tested.stdout).toMatch(/^ok: \d+ passed, 0 failed/m);
  }, 120_000);

  it('test-plugin prints a fail line and exits 1 for a strategy that mutates its state', async () => {
    const work = path.join(directory, 'bad');
    await mkdir(work, { recursive: true });
    await writeFile(
      path.join(work, 'mutating.ts'),
      [
        "import { defineFairnessStrategyPlugin, type FairnessStrategy } from '@robustfair/spec';",
        "import { z } from 'zod';",
        'type State = { epochs: number };',
        'const create = (): FairnessStrategy<State> => ({',
        "  specificationVersion: 'v1', id: 'mutating', requires: { split: 'train', signals: [] },",
        '  init: () => ({ epochs: 0 }),',
        '  update: (state: State) => { state.epochs += 1; return state; },',
        '  knobs: () => ({}),',
        '});',
        "export default [defineFairnessStrategyPlugin({ kind: 'fairness-strategy', id: 'mutating', specificationVersion: 'v1', summary: 'mutates', optionsSchema: z.strictObject({}), create })];",
      ].join('\n'),
    );
    const tested = await run(work, 'test-plugin', 'mutating.ts');
    expect(tested.code).toBe(1);
    expect(tested.stdout).toMatch(/^fail {2}fairness-strategy 'mutating': with 3 classes: update is pure/m);
    expect(tested.stdout).toMatch(/^FAILED: /m);
  }, 120_000);
});
