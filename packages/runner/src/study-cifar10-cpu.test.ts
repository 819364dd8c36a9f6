import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPreActResNet18, exportSafetensors } from '@robustfair/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the repository's tools, without types
import { claimCheck, meanInterval, readComparison, replaceBlock, studyResults } from '../../../tools/study-results.mjs';

// Issue 12: CI runs the study's own config at a tiny size through the study's own command
// (`node tools/run-study.mjs <study> --tiny`): every arm, the teacher import, the report.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = path.join(root, 'packages/cli/dist/bin.js');
const study = path.join(root, 'studies/cifar10-cpu');

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-study-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** CIFAR-10 binary files with `perClass` random images of each class in every file. */
async function writeTinyCifar10(target: string, perClass: number): Promise<void> {
  await mkdir(target, { recursive: true });
  let state = 7;
  const byte = () => (state = (state * 1103515245 + 12345) % 2 ** 31) % 256;
  for (const file of ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']) {
    const records = Buffer.alloc(10 * perClass * 3073);
    for (let record = 0; record < 10 * perClass; record++) {
      records[record * 3073] = record % 10;
      for (let pixel = 1; pixel < 3073; pixel++) records[record * 3073 + pixel] = byte();
    }
    await writeFile(path.join(target, file), records);
  }
  await writeFile(path.join(target, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n');
}

function run(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('study results', () => {
  it('gives the mean and the 95 % t-interval over seeds (by hand: 1, 2, 3 → 2 ± 4.303/√3)', () => {
    const interval = (meanInterval as (values: number[]) => { mean: number; halfWidth?: number })([1, 2, 3]);
    expect(interval.mean).toBe(2);
    expect(interval.halfWidth).toBeCloseTo(4.303 / Math.sqrt(3), 10);
    expect((meanInterval as (values: number[]) => { halfWidth?: number })([0.5]).halfWidth).toBeUndefined();
  });

  it("checks the ABSLD claim from the paired intervals: each part on its side of 0, or not resolved", () => {
    type Interval = { mean: number; halfWidth?: number };
    const check = claimCheck as (intervals: Record<string, Interval>, attack: string) => Record<string, string>;
    // worst +3 ± 2 → [1, 5] above 0; NSD −0.02 ± 0.01 → below 0; average −1 within ±2 points
    expect(check({ 'pgd20.worst': { mean: 3, halfWidth: 2 }, 'pgd20.nsd': { mean: -0.02, halfWidth: 0.01 }, 'pgd20.average': { mean: -1, halfWidth: 5 } }, 'pgd20')).toEqual({
      worst: 'holds',
      nsd: 'holds',
      similarAverage: 'holds',
    });
    // worst +1 ± 2 → [−1, 3] contains 0; NSD +0.03 ± 0.01 → above 0; average −3 beyond 2 points; one seed → unresolved
    expect(check({ 'pgd20.worst': { mean: 1, halfWidth: 2 }, 'pgd20.nsd': { mean: 0.03, halfWidth: 0.01 }, 'pgd20.average': { mean: -3, halfWidth: 1 } }, 'pgd20')).toEqual({
      worst: 'not resolved',
      nsd: 'reversed',
      similarAverage: 'no',
    });
    expect(check({ 'aa.worst': { mean: 5 } }, 'aa').worst).toBe('not resolved');
  });
  it('replaces only what lies between a block\'s markers, and names the page when a marker is missing', () => {
    const page = 'intro\n<!-- fidelity:begin -->\nold table\n<!-- fidelity:end -->\nreading\n';
    expect(replaceBlock(page, 'fidelity', '| new |\n\n', 'page.md')).toBe('intro\n<!-- fidelity:begin -->\n| new |\n<!-- fidelity:end -->\nreading\n');
    expect(() => replaceBlock('no markers', 'fidelity', 'x', 'page.md')).toThrow('page.md: needs the markers <!-- fidelity:begin --> and <!-- fidelity:end -->');
  });
  it('lists each teacher of a partial study once: from an arm that names it, or from its own directory', async () => {
    const partial = path.join(directory, 'partial');
    const evaluation = { split: 'test' };
    const teacherDirectory = (name: string) => path.join(partial, 'teachers', name);
    await mkdir(path.join(partial, 'arm-seed0'), { recursive: true });
    for (const name of ['teacher-aaaa1111', 'teacher-bbbb2222']) {
      await mkdir(teacherDirectory(name), { recursive: true });
      await writeFile(path.join(teacherDirectory(name), 'result.json'), JSON.stringify({ seed: name === 'teacher-aaaa1111' ? 0 : 1, evaluation }));
    }
    // the arm's teacher key is the full spec hash; its directory is named by a prefix of it
    const arm = { label: 'arm-seed0', seed: 0, evaluation, teacher: { key: 'aaaa1111ffffffff', directory: teacherDirectory('teacher-aaaa1111'), evaluation } };
    await writeFile(path.join(partial, 'arm-seed0', 'result.json'), JSON.stringify(arm));
    const comparison = (readComparison as (directory: string) => { teachers: { directory: string }[] })(partial);
    expect(comparison.teachers.map((teacher) => path.basename(teacher.directory)).sort()).toEqual(['teacher-aaaa1111', 'teacher-bbbb2222']);
  });
});

describe('studies/cifar10-cpu', () => {
  it('the committed teacher matches the SHA-256 the study config pins', async () => {
    const config = await readFile(path.join(study, 'study.config.yaml'), 'utf8');
    const pinned = /sha256: "([0-9a-f]{64})"/.exec(config)?.[1];
    expect(pinned).toBeDefined();
    const teacher = path.join(study, 'teacher.safetensors');
    if (!existsSync(teacher)) return; // not trained yet: the study cannot run, the tiny run below uses a stand-in
    expect(createHash('sha256').update(await readFile(teacher)).digest('hex')).toBe(pinned);
  });

  it.skipIf(!existsSync(bin))(
    'runs every arm of the study config at a tiny size through pnpm study, and writes the report',
    async () => {
      // A copy of the study folder whose teacher is a random model of the same architecture
      // (the config's file name kept, its pinned SHA-256 replaced), so this runs before and
      // after the real teacher is committed.
      const folder = path.join(directory, 'cifar10-cpu');
      await mkdir(folder);
      const teacher = createPreActResNet18({ numClasses: 10, inputShape: [32, 32, 3], width: 16, seed: 1 });
      const bytes = exportSafetensors(teacher, { architecture: 'preact-resnet18' });
      teacher.dispose();
      await writeFile(path.join(folder, 'teacher.safetensors'), bytes);
      const config = await readFile(path.join(study, 'study.config.yaml'), 'utf8');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await writeFile(path.join(folder, 'study.config.yaml'), config.replace(/sha256: "[0-9a-f]{64}"/, `sha256: "${sha256}"`));
      await copyFile(path.join(study, 'teacher.config.yaml'), path.join(folder, 'teacher.config.yaml'));
      const data = path.join(directory, 'cifar-10-batches-bin');
      await writeTinyCifar10(data, 2);

      const out = path.join(directory, 'results');
      const { code, output } = await run(['tools/run-study.mjs', folder, '--tiny', '--out', out, '--workers', '1'], {
        ROBUSTFAIR_CIFAR10_DIR: data,
        ROBUSTFAIR_WASM_THREADS: '1',
      });
      expect(code, output).toBe(0);
      const comparison = JSON.parse(await readFile(path.join(out, 'cifar10-cpu', 'comparison.json'), 'utf8')) as {
        arms: { label: string; evaluation: { attacks: Record<string, unknown> } }[];
        teachers: unknown[];
      };
      const methods = [
        'sat', 'trades', 'class-reweight', 'frl-reweight', 'frl-remargin', 'frl-reweight-remargin', 'cfa',
        'fair-ard', 'wat', 'ard', 'rslad', 'absld', 'absld-cfa-ccm',
      ];
      expect(comparison.arms.map((arm) => arm.label)).toEqual([0, 1, 2].flatMap((seed) => methods.map((method) => `${method}-seed${seed}`)));
      expect(comparison.teachers).toHaveLength(3); // one per seed: the teacher's evaluation uses the arm's seed
      // --set reaches the arms: the seed-0 arms' AutoAttack row is replaced by the tiny attacks.
      expect(Object.keys(comparison.arms[0]!.evaluation.attacks)).toEqual(['fgsm', 'pgd2', 'pgd2-subset', 'worst-case']);
      const report = await readdir(path.join(out, 'report'));
      expect(report).toEqual(expect.arrayContaining(['report.html', 'report.md', 'plots']));
      // The results page's tables come from the same files: one row per method, the paired reading.
      const page = (studyResults as (comparison: unknown) => string)(comparison);
      for (const method of methods) expect(page).toMatch(new RegExp(`\\| ${method} \\| 3 \\(0, 1, 2\\) \\|`));
      expect(page).toContain('### ABSLD − RSLAD, paired by seed (3 seeds)');
    },
    600_000,
  );
});
