#!/usr/bin/env node
// Release hygiene, automated: what users get from npm is the tarballs, so check the tarballs.
//
//   node tools/pack-install-check.mjs [--no-build] [--keep]      (pnpm check:packs)
//
// 1. build every package (turbo; --no-build uses the dist/ folders as they are);
// 2. `pnpm pack` every packages/* into a temporary folder (workspace: ranges become versions);
// 3. publint every tarball (exactly the files that ship); errors fail, warnings are listed;
// 4. create a scratch npm project in os.tmpdir(), outside the workspace, that depends on every
//    tarball through `file:` and maps every @robustfair/* to its tarball in `overrides`, then
//    `npm install` (third-party packages come from the npm registry);
// 5. check package-lock.json: every @robustfair/* package resolved from one of the tarballs;
// 6. in that project: import every entry point of every package (ESM), select the wasm backend
//    from @robustfair/core and @robustfair/backend-wasm alone (no runner) and run a fused batch
//    norm on it, check that core's main entry loads no Node built-in, train a small CNN for
//    2 epochs on synthetic data on the wasm backend through the runner's public API (from a YAML
//    config), report on it with `npx robustfair-report` (@robustfair/report's bin), run
//    `npx robustfair list` and `npx robustfair info --json`, and
//    `npx robustfair test-plugin` on a one-file TypeScript plugin in a folder of its own.
//
// Prints a summary with timings; exits non-zero when any check fails. The scratch folder is
// removed on success and kept on failure (or with --keep) for inspection.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
for (const arg of args) {
  if (!['--no-build', '--keep'].includes(arg)) {
    console.error(`pack-install-check: unknown argument ${arg} (use --no-build, --keep)`);
    process.exit(2);
  }
}

const steps = [];
let failed = false;
const seconds = (start) => (performance.now() - start) / 1000;

/** Runs one named step, timing it; a thrown error marks the step (and the run) failed. */
async function step(name, run) {
  const start = performance.now();
  process.stdout.write(`▶ ${name}\n`);
  try {
    const detail = await run();
    steps.push({ name, ok: true, seconds: seconds(start), detail });
    process.stdout.write(`  ✓ ${name} (${seconds(start).toFixed(1)} s)${detail ? `: ${detail}` : ''}\n`);
    return true;
  } catch (error) {
    failed = true;
    const message = error instanceof Error ? error.message : String(error);
    steps.push({ name, ok: false, seconds: seconds(start), detail: message.split('\n')[0] });
    process.stdout.write(`  ✗ ${name} (${seconds(start).toFixed(1)} s)\n${message.replace(/^/gm, '    ')}\n`);
    return false;
  }
}

function skip(name, reason) {
  steps.push({ name, ok: false, skipped: true, seconds: 0, detail: reason });
  process.stdout.write(`- ${name}: skipped (${reason})\n`);
}

/** Runs a command; resolves with its output, rejects with the command, exit code and output tail. */
function run(command, commandArgs, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: options.cwd ?? root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else {
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n');
        reject(new Error(`${command} ${commandArgs.join(' ')} (in ${options.cwd ?? root}) exited with ${code}\n${tail}`));
      }
    });
  });
}

const readJson = async (file) => JSON.parse(await readFile(file, 'utf8'));

// ---------------------------------------------------------------------------------------------

const total = performance.now();
const scratch = await mkdtemp(path.join(os.tmpdir(), 'robustfair-pack-check-'));
const tarballs = path.join(scratch, 'tarballs');
const project = path.join(scratch, 'project');
await mkdir(tarballs);
await mkdir(project);
process.stdout.write(`scratch folder: ${scratch}\n`);

const packagesDirectory = path.join(root, 'packages');
const packages = [];
for (const entry of (await readdir(packagesDirectory, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
  const manifestFile = path.join(packagesDirectory, entry.name, 'package.json');
  if (!entry.isDirectory() || !existsSync(manifestFile)) continue;
  const manifest = await readJson(manifestFile);
  if (manifest.private) continue;
  packages.push({ directory: path.join(packagesDirectory, entry.name), name: manifest.name, version: manifest.version, manifest });
}

if (args.has('--no-build')) skip('build', '--no-build');
else await step('build every package', async () => {
  await run('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only']);
  return `${packages.length} packages`;
});

const packed = await step('pnpm pack every package', async () => {
  for (const pkg of packages) {
    const before = new Set(await readdir(tarballs));
    await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: pkg.directory });
    const created = (await readdir(tarballs)).filter((file) => !before.has(file) && file.endsWith('.tgz'));
    if (created.length !== 1) throw new Error(`pnpm pack in ${pkg.directory} made ${created.length} tarballs: ${created.join(', ')}`);
    pkg.tarball = path.join(tarballs, created[0]);
  }
  return packages.map((pkg) => path.basename(pkg.tarball)).join(', ');
});

if (!packed) skip('publint', 'no tarballs');
else await step('publint every tarball', async () => {
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  const problems = [];
  let warnings = 0;
  let suggestions = 0;
  for (const pkg of packages) {
    const tarball = await readFile(pkg.tarball);
    const { messages, pkg: manifest } = await publint({
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
      level: 'suggestion',
    });
    for (const message of messages) {
      const line = `${pkg.name}: ${message.type}: ${formatMessage(message, manifest) ?? message.code}`;
      if (message.type === 'error') problems.push(line);
      else {
        if (message.type === 'warning') warnings++;
        else suggestions++;
        process.stdout.write(`    ${line}\n`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`${problems.length} publint error(s):\n${problems.join('\n')}`);
  return `no errors (${warnings} warnings, ${suggestions} suggestions)`;
});

let installed = false;
if (!packed) skip('npm install', 'no tarballs');
else installed = await step('npm install the tarballs in a scratch project', async () => {
  const spec = (pkg) => `file:../tarballs/${path.basename(pkg.tarball)}`;
  const tfjsCore = packages.find((pkg) => pkg.manifest.peerDependencies?.['@tensorflow/tfjs-core'])?.manifest.peerDependencies['@tensorflow/tfjs-core'];
  const dependencies = Object.fromEntries(packages.map((pkg) => [pkg.name, spec(pkg)]));
  // A user's project: robustfair plus the TF.js engine it peers on.
  if (tfjsCore) dependencies['@tensorflow/tfjs-core'] = tfjsCore;
  // testkit's suites (its main entry) run in vitest, an optional peer (its ./checks entry, which
  // the CLI's test-plugin uses, does not need it): a project that imports the suites has vitest.
  const vitest = packages.find((pkg) => pkg.manifest.peerDependencies?.['vitest'])?.manifest.peerDependencies['vitest'];
  if (vitest) dependencies['vitest'] = vitest;
  await writeFile(
    path.join(project, 'package.json'),
    `${JSON.stringify(
      {
        name: 'robustfair-pack-check',
        version: '0.0.0',
        private: true,
        type: 'module',
        dependencies,
        // Every @robustfair/* dependency of a tarball resolves to a tarball too, never to the registry.
        overrides: Object.fromEntries(packages.map((pkg) => [pkg.name, spec(pkg)])),
      },
      null,
      2,
    )}\n`,
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project });
  return `${Object.keys(dependencies).length} direct dependencies`;
});

if (!installed) skip('package-lock.json', 'not installed');
else await step('package-lock.json: every @robustfair/* from a tarball', async () => {
  const lock = await readJson(path.join(project, 'package-lock.json'));
  const entries = Object.entries(lock.packages ?? {}).filter(([key]) => /(^|\/)node_modules\/@robustfair\/[^/]+$/.test(key));
  const wrong = [];
  const names = new Set();
  for (const [key, entry] of entries) {
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    names.add(name);
    const pkg = packages.find((candidate) => candidate.name === name);
    const expected = pkg ? `file:../tarballs/${path.basename(pkg.tarball)}` : undefined;
    if (entry.resolved !== expected) wrong.push(`${key}: resolved ${entry.resolved ?? '(none)'}${expected ? `, expected ${expected}` : ' (no such tarball)'}`);
  }
  const missing = packages.filter((pkg) => !names.has(pkg.name)).map((pkg) => pkg.name);
  if (wrong.length > 0 || missing.length > 0) {
    throw new Error([...wrong, ...(missing.length ? [`not installed: ${missing.join(', ')}`] : [])].join('\n'));
  }
  return `${entries.length} entries, all file: tarballs`;
});

if (!installed) skip('import every entry point', 'not installed');
else await step('import every entry point (ESM)', async () => {
  const imports = [];
  for (const pkg of packages) {
    const manifest = await readJson(path.join(project, 'node_modules', ...pkg.name.split('/'), 'package.json'));
    const subpaths = Object.keys(manifest.exports ?? { '.': manifest.main }).filter((subpath) => !subpath.endsWith('.json'));
    for (const subpath of subpaths) imports.push(subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);
  }
  const script = [
    `const specifiers = ${JSON.stringify(imports)};`,
    'const counts = [];',
    'for (const specifier of specifiers) {',
    '  const module = await import(specifier);',
    "  if (Object.keys(module).length === 0) throw new Error(`${specifier} exports nothing`);",
    '  counts.push(`${specifier} (${Object.keys(module).length})`);',
    '}',
    "console.log(counts.join(', '));",
  ].join('\n');
  await writeFile(path.join(project, 'import-all.mjs'), script);
  const { stdout } = await run(process.execPath, ['import-all.mjs'], { cwd: project });
  return `${imports.length} entry points: ${stdout.trim()}`;
});

if (!installed) skip('wasm from core and backend-wasm', 'not installed');
else await step('select wasm from @robustfair/core + @robustfair/backend-wasm (no runner); core loads no Node built-in', async () => {
  await writeFile(
    path.join(project, 'select-wasm.mjs'),
    [
      "import { builtinModules } from 'node:module';",
      "import { readFile } from 'node:fs/promises';",
      "import path from 'node:path';",
      "import * as tf from '@tensorflow/tfjs-core';",
      "import { batchNormTraining, batchNormTrainingKernelName, cpuBackendProvider, selectBackend } from '@robustfair/core';",
      "import { wasmBackendProvider, wasmThreadsStatus } from '@robustfair/backend-wasm';",
      "const selection = await selectBackend('wasm', [wasmBackendProvider, cpuBackendProvider]);",
      "if (selection.active !== 'wasm') throw new Error(`selected ${selection.active}`);",
      "if (!tf.getKernel(batchNormTrainingKernelName, 'wasm')) throw new Error('the wasm provider registered no fused batch norm under core\\'s kernel name');",
      "const { output, mean, variance } = batchNormTraining(tf.ones([2, 2, 2, 3]), tf.ones([3]), tf.zeros([3]), 1e-5);",
      "if (Math.max(...output.dataSync().map(Math.abs)) !== 0) throw new Error('batch norm of a constant is not 0');",
      "tf.dispose([output, mean, variance]);",
      "// core's main entry and the chunks it imports: no Node built-in (the ./node subpath may).",
      "const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));",
      "const seen = new Set();",
      "const offenders = [];",
      "const visit = async (file) => {",
      "  if (seen.has(file)) return;",
      "  seen.add(file);",
      "  const text = await readFile(file, 'utf8');",
      "  for (const [, specifier] of text.matchAll(/(?:\\bfrom\\s*|\\bimport\\s*\\(?\\s*)['\"]([^'\"]+)['\"]/g)) {",
      "    if (specifier.startsWith('node:') || builtins.has(specifier.split('/')[0])) offenders.push(`${path.basename(file)}: ${specifier}`);",
      "    else if (specifier.startsWith('.')) await visit(path.resolve(path.dirname(file), specifier));",
      "  }",
      "};",
      "await visit(path.resolve('node_modules/@robustfair/core/dist/index.js'));",
      "if (offenders.length > 0) throw new Error(`@robustfair/core's main entry imports Node built-ins: ${offenders.join(', ')}`);",
      "console.log(`wasm on ${wasmThreadsStatus()?.threads ?? 1} thread(s), fused batch norm registered; core's main entry: ${seen.size} files, no Node built-in`);",
    ].join('\n'),
  );
  const { stdout } = await run(process.execPath, ['select-wasm.mjs'], { cwd: project, env: { ROBUSTFAIR_BACKEND: '', ROBUSTFAIR_WASM_THREADS: '1' } });
  return stdout.trim();
});

if (!installed) skip('tiny fit on wasm', 'not installed');
else await step('train a small CNN for 2 epochs on wasm (runner API, YAML config)', async () => {
  await writeFile(
    path.join(project, 'tiny.yaml'),
    [
      'name: pack-check',
      'seed: 0',
      'backend: wasm',
      'dataset: { id: synthetic, options: { numClasses: 3, imageSize: 8, trainPerClass: 12, validationPerClass: 0, testPerClass: 6 } }',
      'model: { id: small-cnn, options: { width: 4 } }',
      'trainingAttack: { id: pgd, options: { steps: 2, stepSize: 2/255 } }',
      'training: { epochs: 2, batchSize: 12 }',
      'evaluation: { batchSize: 18, attacks: [fgsm] }',
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(project, 'fit.mjs'),
    [
      "import 'reflect-metadata';",
      "import { loadConfig, runExperiments, silentReporter } from '@robustfair/runner';",
      "const config = await loadConfig('tiny.yaml');",
      "const result = await runExperiments(config, { out: 'runs', reporter: silentReporter, print: () => {} });",
      'const [arm] = result.arms;',
      "if (arm.backend.active !== 'wasm') throw new Error(`trained on ${arm.backend.active}, not wasm`);",
      "if (!Array.isArray(arm.training.epochs) || arm.training.epochs.length !== 2) throw new Error('expected 2 epochs of training statistics');",
      "const accuracy = arm.evaluation.clean.average;",
      "if (!(accuracy >= 0 && accuracy <= 1)) throw new Error(`clean accuracy ${accuracy}`);",
      "console.log(`2 epochs on ${arm.backend.active}, clean accuracy ${accuracy.toFixed(3)}, fgsm ${arm.evaluation.attacks.fgsm.average.toFixed(3)}, ${arm.training.seconds.toFixed(1)} s of training`);",
    ].join('\n'),
  );
  const { stdout } = await run(process.execPath, ['fit.mjs'], { cwd: project, env: { ROBUSTFAIR_BACKEND: '' } });
  return stdout.trim();
});

if (!installed) skip('npx robustfair-report', 'not installed');
else await step('npx robustfair-report on the tiny fit (@robustfair/report without the CLI)', async () => {
  const { stdout } = await run('npx', ['--no-install', 'robustfair-report', 'runs/pack-check', '--out', 'report'], { cwd: project });
  if (!stdout.startsWith('report on 1 arm in 1 method:')) throw new Error(`robustfair-report printed:\n${stdout}`);
  const plots = await readdir(path.join(project, 'report', 'plots'));
  for (const file of ['report.html', 'report.md']) if (!existsSync(path.join(project, 'report', file))) throw new Error(`robustfair-report wrote no ${file}`);
  if (!plots.some((file) => file.endsWith('.png'))) throw new Error(`robustfair-report wrote no PNG: ${plots.join(', ')}`);
  return `${plots.length} plot files`;
});

if (!installed) skip('npx robustfair', 'not installed');
else await step('npx robustfair list, info --json', async () => {
  const { stdout: list } = await run('npx', ['--no-install', 'robustfair', 'list'], { cwd: project });
  for (const expected of ['datasets:', 'attacks:', 'fairness strategies:', '  pgd ', '  identity ']) {
    if (!list.includes(expected)) throw new Error(`robustfair list does not print '${expected}':\n${list}`);
  }
  const { stdout: infoText } = await run('npx', ['--no-install', 'robustfair', 'info', '--json'], { cwd: project, env: { ROBUSTFAIR_BACKEND: '' } });
  const info = JSON.parse(infoText);
  const unknown = Object.entries(info.versions.robustfair).filter(([, version]) => version === 'unknown').map(([name]) => name);
  if (unknown.length > 0) throw new Error(`robustfair info cannot tell the version of ${unknown.join(', ')}`);
  const schema = path.join(project, 'node_modules', '@robustfair', 'runner', 'schema', 'robustfair.config.schema.json');
  if (!existsSync(schema)) throw new Error(`the runner tarball lacks schema/robustfair.config.schema.json`);
  return `${list.trim().split('\n').filter((line) => line.startsWith('  ')).length} plugins listed; backend ${info.backend.active}; ${Object.keys(info.versions.robustfair).length} @robustfair versions`;
});

if (!installed) skip('npx robustfair test-plugin', 'not installed');
else await step('npx robustfair test-plugin on a one-file TypeScript plugin outside the project', async () => {
  // A plugin folder with no package.json or node_modules: its @robustfair/spec and zod imports
  // resolve from the installed CLI, and the .ts file is compiled as it loads.
  const plugins = path.join(scratch, 'plugin');
  await mkdir(plugins, { recursive: true });
  const file = path.join(plugins, 'worst-class-boost.ts');
  await writeFile(file, await readFile(path.join(root, 'examples', 'custom-fairness-strategy-ts', 'worst-class-boost.ts')));
  const { stdout } = await run('npx', ['--no-install', 'robustfair', 'test-plugin', file], { cwd: project });
  const summary = stdout.trim().split('\n').at(-1) ?? '';
  if (!summary.startsWith('ok: ')) throw new Error(`robustfair test-plugin did not pass:\n${stdout}`);
  return summary;
});

// ---------------------------------------------------------------------------------------------

const width = Math.max(...steps.map((entry) => entry.name.length));
process.stdout.write('\nsummary\n');
for (const entry of steps) {
  const mark = entry.skipped ? '-' : entry.ok ? '✓' : '✗';
  process.stdout.write(`  ${mark} ${entry.name.padEnd(width)}  ${entry.skipped ? ' skipped' : `${entry.seconds.toFixed(1).padStart(6)} s`}\n`);
}
process.stdout.write(`  total ${seconds(total).toFixed(1)} s: ${failed ? 'FAILED' : 'ok'}\n`);
if (failed || args.has('--keep')) process.stdout.write(`scratch folder kept: ${scratch}\n`);
else await rm(scratch, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
