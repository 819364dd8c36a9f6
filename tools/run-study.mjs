#!/usr/bin/env node
// `pnpm study <name>`: runs (or continues) a study in studies/<name>/ and regenerates its report.
//
//   pnpm study cifar10-cpu                 # train what is missing (finished arms are reused), then report
//   pnpm study cifar10-cpu --report-only   # regenerate report/ from the committed result files
//   pnpm study cifar10-cpu --tiny --out /tmp/x   # the same config at a tiny size (what CI runs)
//
// A study folder holds `study.config.yaml` (a robustfair config with a compare block); results
// go to `<folder>/results/` (checkpoints and weights are ignored by its .gitignore: commit the
// rest as arms finish) and the report to `<folder>/report/`. Everything is done by the
// `robustfair` CLI (packages/cli/dist, built by `pnpm study`); this script only chains it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'packages', 'cli', 'dist', 'bin.js');

// The tiny size: a few images per class, one epoch, cheap attacks; every arm and every code
// path of the study (teacher import, distillers, strategies, selection, averaging) still runs.
const tinyOverrides = [
  'dataset.options.subset={"perClass":3,"testPerClass":1}',
  'dataset.options.validation={"perClass":1,"take":"last"}',
  'training.epochs=1',
  'training.batchSize=10',
  'selection.fromEpoch=0',
  'evaluation.attacks=["fgsm",{"preset":"pgd20","name":"pgd2","overrides":{"steps":2}},{"preset":"pgd20","name":"pgd2-subset","overrides":{"steps":2},"perClass":1}]',
  'evaluation.bootstrapResamples=20',
];

function fail(message) {
  process.stderr.write(`study: ${message}\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    workers: { type: 'string', default: '2' },
    out: { type: 'string' },
    tiny: { type: 'boolean', default: false },
    'report-only': { type: 'boolean', default: false },
    'no-report': { type: 'boolean', default: false },
  },
});
if (positionals.length !== 1) fail('usage: pnpm study <name or folder> [--workers n] [--tiny] [--out dir] [--report-only] [--no-report]');
const [name] = positionals;
const folder = name.includes('/') || name.includes(path.sep) ? path.resolve(name) : path.join(root, 'studies', name);
const config = path.join(folder, 'study.config.yaml');
if (!existsSync(config)) fail(`${config} does not exist (a study folder holds study.config.yaml)`);
if (!existsSync(cli)) fail(`${cli} is missing: run 'pnpm build' (pnpm study builds it)`);
if (values.tiny && values.out === undefined) fail('--tiny writes elsewhere: give --out <dir>');
const results = path.resolve(values.out ?? path.join(folder, 'results'));

function robustfair(args) {
  process.stderr.write(`study: robustfair ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (run.error) fail(`could not start the robustfair CLI: ${run.error.message}`);
  if (run.status !== 0) process.exit(run.status ?? 1);
}

/**
 * Regenerates <folder>/fidelity/fidelity.md with compare_fidelity.py (standard-library Python) from
 * the files fidelity/inputs.json names: every finished arm of its robustfair methods, the PyTorch
 * reference runs, and the official AutoAttack run with the evaluation of the same weights.
 */
function writeFidelityTables(folder, out) {
  const inputsFile = path.join(folder, 'fidelity', 'inputs.json');
  if (!existsSync(inputsFile)) return;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch (error) {
    fail(`${inputsFile}: not JSON (${error.message})`);
  }
  const inFolder = (relative, field) => {
    if (typeof relative !== 'string' || path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..')) fail(`${inputsFile}: ${field} must be a path inside the study folder, got ${JSON.stringify(relative)}`);
    const file = path.join(folder, relative);
    if (!existsSync(file)) fail(`${inputsFile}: ${field} names ${file}, which does not exist`);
    return file;
  };
  const results = inFolder(inputs.results, 'results');
  const armPattern = new RegExp(`^(${(inputs.robustfairMethods ?? []).map((method) => method.replace(/[^a-z0-9-]/g, '')).join('|')})-seed\\d+$`);
  const arms = readdirSync(results).filter((name) => armPattern.test(name) && existsSync(path.join(results, name, 'result.json'))).sort();
  const args = [
    path.join(folder, 'torch', 'compare_fidelity.py'),
    '--robustfair', ...arms.map((name) => path.join(results, name, 'result.json')),
    '--pytorch', ...(inputs.pytorch ?? []).map((file, index) => inFolder(file, `pytorch[${index}]`)),
  ];
  if (inputs.autoattack !== undefined && existsSync(path.join(folder, inputs.autoattack))) {
    args.push('--autoattack', inFolder(inputs.autoattack, 'autoattack'), '--autoattack-evaluation', inFolder(inputs.autoattackEvaluation, 'autoattackEvaluation'));
  }
  args.push('--out', `${out}.tmp`);
  const python = spawnSync('python3', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (python.error) fail(`could not run python3 for the fidelity tables: ${python.error.message}`);
  if (python.status !== 0) fail(`compare_fidelity.py failed (exit ${python.status})`);
  renameSync(`${out}.tmp`, out);
  process.stderr.write(`study: ${path.relative(root, out)} regenerated from ${arms.length} robustfair arm(s)\n`);
}

if (!values['report-only']) {
  // The comparison's directory is results/<config name>; continuing it reuses finished arms.
  const resume = existsSync(results) ? ['--resume'] : [];
  const sizes = values.tiny ? tinyOverrides.flatMap((override) => ['--set', override]) : [];
  robustfair(['compare', config, '--out', results, '--workers', values.workers, '--no-progress', ...resume, ...sizes]);
}
if (!values['no-report']) {
  const comparisons = readdirSync(results, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'report').map((entry) => entry.name);
  if (comparisons.length === 0) fail(`${results} holds no results yet`);
  robustfair(['report', ...comparisons.map((entry) => path.join(results, entry)), '--out', values.tiny ? path.join(results, 'report') : path.join(folder, 'report')]);
  // The results page's numbers (docs/results/<study>.md, between its markers) come from the same files.
  const page = path.join(root, 'docs', 'results', `${path.basename(folder)}.md`);
  if (!values.tiny && existsSync(page)) {
    // compare_fidelity.py's tables, when the fidelity checks were run (studies/<name>/fidelity/).
    const fidelity = path.join(folder, 'fidelity', 'fidelity.md');
    writeFidelityTables(folder, fidelity);
    const withFidelity = existsSync(fidelity) ? ['--fidelity', fidelity] : [];
    for (const comparison of comparisons) {
      const update = spawnSync(process.execPath, [path.join(root, 'tools', 'study-results.mjs'), path.join(results, comparison), '--page', page, ...withFidelity], { stdio: 'inherit' });
      if (update.status !== 0) process.exit(update.status ?? 1);
    }
  }
}
