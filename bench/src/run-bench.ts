import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { wasmThreadsStatus } from '@robustfair/backend-wasm';
import { selectBackend } from '@robustfair/core';
import * as tf from '@tensorflow/tfjs-core';
import { benchBackendProviders } from './backend-providers.js';
import { createBenchModel } from './bench-models.js';
import { createStep, type BenchStep } from './bench-steps.js';
import { runAutoAttackBench, type AutoAttackBenchResult } from './autoattack-bench.js';
import { runEpochBench, type EpochBenchResult } from './epoch-bench.js';
import { countForwardFlops } from './flop-count.js';
import { writeGeneratedCifar10 } from './generated-cifar10.js';
import { pythonWithTorch } from './python-with-torch.js';
import { runTorchReference, type TorchResult } from './torch-reference.js';
import { parseBenchArgs } from './bench-args.js';

// `pnpm bench`: images/s, GFLOP/s and peak memory of forward, training step and PGD step at
// batch 128 on each backend, the same in PyTorch when it is installed, and one RATIO line per
// model and step (wasm ÷ torch). Timed runs only: no test asserts on speed.

const { values: flags } = parseBenchArgs('pnpm bench', {
  backends: { type: 'string', default: 'wasm,cpu' },
  models: { type: 'string', default: 'small-cnn,preact-resnet18-w16,preact-resnet18' },
  batch: { type: 'string', default: '128' },
  repeats: { type: 'string', default: '3' },
  'memory-steps': { type: 'string', default: '100' },
  threads: { type: 'string', default: '2' },
  // Node 20's parseArgs has no --no-* negation: skipping torch is its own flag.
  'no-torch': { type: 'boolean', default: false },
  // torch processes whose fastest run per step is the reference (torch-reference.ts says why)
  'torch-processes': { type: 'string', default: '3' },
  // The end-to-end measures after the steps: a whole SAT epoch, then AutoAttack on its model.
  'skip-epoch': { type: 'boolean', default: false },
  'skip-autoattack': { type: 'boolean', default: false },
  'epoch-per-class': { type: 'string', default: '500' },
  'autoattack-per-class': { type: 'string', default: '10' },
  // The official AutoAttack (fra31/auto-attack) folder; not part of this repository.
  'autoattack-dir': { type: 'string', default: process.env['ROBUSTFAIR_AUTOATTACK_DIR'] ?? '' },
  out: { type: 'string', default: fileURLToPath(new URL('../results/latest.json', import.meta.url)) },
});

const batch = Number(flags.batch);
const repeats = Number(flags.repeats);
const memorySteps = Number(flags['memory-steps']);
const torchProcesses = Number(flags['torch-processes']);
if (!Number.isInteger(torchProcesses) || torchProcesses < 1) {
  process.stderr.write(`bench: --torch-processes must be a whole number ≥ 1, got '${flags['torch-processes']}'\n`);
  process.exit(1);
}
const steps: BenchStep[] = ['forward', 'train', 'pgd'];
/**
 * Full-width PreAct-ResNet-18 is measured forward only (training it is out of reach on 2 cores);
 * the pure-JS cpu backend only runs the small CNN's forward (its training step takes minutes).
 */
const stepsFor = (model: string, backend: string): BenchStep[] => {
  if (backend === 'cpu') return model === 'small-cnn' ? ['forward'] : [];
  return model === 'preact-resnet18' ? ['forward'] : steps;
};

interface Row {
  backend: string;
  model: string;
  step: BenchStep;
  batch: number;
  seconds: number;
  imagesPerSecond: number;
  gflops: number;
  peakMegabytes: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function measure(backend: string, modelName: string, step: BenchStep, flops: { forward: number; firstLayer: number }): Promise<Row> {
  // flops are for the whole batch (counted at the same batch size)
  const model = createBenchModel(modelName);
  const inputs = tf.randomUniform([batch, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const labels = tf.randomUniform([batch], 0, 10, 'int32', 2) as tf.Tensor1D;
  const runner = createStep(step, model, inputs, labels);
  try {
    runner.run(); // warm-up: kernel set-up, XNNPACK operator caches
    const profile = await tf.profile(() => runner.run());
    const times: number[] = [];
    for (let index = 0; index < repeats; index++) {
      const started = performance.now();
      runner.run();
      times.push((performance.now() - started) / 1000);
    }
    const seconds = median(times);
    const useful = step === 'forward' ? flops.forward : step === 'pgd' ? 2 * flops.forward : 3 * flops.forward - flops.firstLayer;
    return {
      backend,
      model: modelName,
      step,
      batch,
      seconds,
      imagesPerSecond: batch / seconds,
      gflops: useful / seconds / 1e9,
      peakMegabytes: profile.peakBytes / 2 ** 20,
    };
  } finally {
    runner.dispose();
    tf.dispose([inputs, labels]);
    model.dispose();
  }
}

/** Memory over many training steps: tensors and bytes must come back to where they started. */
function memoryFlatness(modelName: string, count: number, stepBatch: number) {
  const model = createBenchModel(modelName);
  const inputs = tf.randomUniform([stepBatch, 32, 32, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const labels = tf.randomUniform([stepBatch], 0, 10, 'int32', 4) as tf.Tensor1D;
  const runner = createStep('train', model, inputs, labels);
  runner.run();
  const before = tf.memory();
  for (let index = 0; index < count; index++) runner.run();
  const after = tf.memory();
  runner.dispose();
  tf.dispose([inputs, labels]);
  model.dispose();
  return { model: modelName, steps: count, batch: stepBatch, tensorDelta: after.numTensors - before.numTensors, byteDelta: after.numBytes - before.numBytes };
}

const rows: Row[] = [];
const memory: ReturnType<typeof memoryFlatness>[] = [];
const skipped: Record<string, string> = {};
const models = flags.models.split(',');
for (const backend of flags.backends.split(',')) {
  try {
    await selectBackend(backend as 'wasm' | 'cpu', benchBackendProviders);
  } catch (error) {
    skipped[backend] = (error as Error).message;
    process.stderr.write(`skipping backend ${backend}: ${(error as Error).message}\n`);
    continue;
  }
  if (backend === 'wasm') {
    const status = wasmThreadsStatus();
    process.stderr.write(`wasm runs ${status?.threads ?? 1} thread(s)${status?.note ? `: ${status.note}` : ''} (ROBUSTFAIR_WASM_THREADS to change)\n`);
  }
  for (const modelName of models) {
    if (stepsFor(modelName, backend).length === 0) continue;
    const probeModel = createBenchModel(modelName);
    const probeInput = tf.zeros([batch, 32, 32, 3]) as tf.Tensor4D;
    const flops = { ...(await countForwardFlops(() => probeModel.logits(probeInput, { training: false }))), batch };
    tf.dispose(probeInput);
    probeModel.dispose();
    for (const step of stepsFor(modelName, backend)) {
      const row = await measure(backend, modelName, step, flops);
      rows.push(row);
      process.stderr.write(
        `${backend.padEnd(6)} ${modelName.padEnd(22)} ${step.padEnd(8)} ${row.imagesPerSecond.toFixed(1).padStart(8)} img/s ${row.gflops.toFixed(2).padStart(7)} GFLOP/s  peak ${row.peakMegabytes.toFixed(0).padStart(5)} MB\n`,
      );
    }
    if (backend === 'wasm' && memorySteps > 0 && modelName !== 'preact-resnet18') {
      const flat = memoryFlatness(modelName, memorySteps, 16);
      memory.push(flat);
      process.stderr.write(`wasm   ${modelName.padEnd(22)} memory over ${flat.steps} train steps: ${flat.tensorDelta} tensors, ${flat.byteDelta} bytes\n`);
    }
  }
}

let torch: { version: string; results: TorchResult[]; runs: TorchResult[][] } | undefined;
if (!flags['no-torch']) {
  const torchModels = models.filter((name) => name !== 'preact-resnet18');
  torch = runTorchReference(torchModels, steps, batch, Number(flags.threads), torchProcesses);
  if (!torch) process.stderr.write('PyTorch not found (apt-get install python3-torch): no RATIO lines\n');
}
const ratios: { model: string; step: string; ratio: number }[] = [];
for (const row of rows.filter((candidate) => candidate.backend === 'wasm')) {
  const reference = torch?.results.find((result) => result.model === row.model && result.step === row.step);
  if (!reference) continue;
  const ratio = row.imagesPerSecond / reference.imagesPerSecond;
  ratios.push({ model: row.model, step: row.step, ratio });
  process.stdout.write(`RATIO ${row.model} ${row.step} ${ratio.toFixed(2)}\n`);
}

// End to end: one SAT epoch (5,000 images by default) and AutoAttack on the model it trained, each
// against PyTorch on the same files (real CIFAR-10 when ROBUSTFAIR_CIFAR10_DIR is set, else generated).
let epoch: EpochBenchResult | undefined;
let autoattack: AutoAttackBenchResult | undefined;
if (!flags['skip-epoch'] && !skipped['wasm'] && flags.backends.split(',').includes('wasm')) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'robustfair-bench-epoch-'));
  try {
    const perClass = Number(flags['epoch-per-class']);
    const testPerClass = Number(flags['autoattack-per-class']);
    const real = process.env['ROBUSTFAIR_CIFAR10_DIR'];
    const data = real && real !== '' ? real : path.join(work, 'cifar-10-batches-bin');
    if (data !== real) writeGeneratedCifar10(data, Math.max(Math.ceil(perClass / 5), testPerClass));
    const python = flags['no-torch'] ? undefined : pythonWithTorch();
    epoch = runEpochBench({ data, perClass, testPerClass, threads: Number(flags.threads), work, ...(python ? { python } : {}) });
    process.stderr.write(`wasm   small-cnn epoch (${epoch.images} images, ${data === real ? 'CIFAR-10' : 'generated'}): ${epoch.robustfairSeconds.toFixed(1)} s; PyTorch ${epoch.torchSeconds === undefined ? 'not run' : `${epoch.torchSeconds.toFixed(1)} s`}\n`);
    if (epoch.torchSeconds !== undefined) process.stdout.write(`RATIO small-cnn epoch ${(epoch.torchSeconds / epoch.robustfairSeconds).toFixed(2)}\n`);
    if (!flags['skip-autoattack']) {
      const directory = flags['autoattack-dir'] === '' ? undefined : flags['autoattack-dir'];
      autoattack = runAutoAttackBench({ arm: epoch.arm, config: epoch.config, data, perClass: testPerClass, threads: Number(flags.threads), work, ...(python ? { python } : {}), ...(directory ? { autoattackDirectory: directory } : {}) });
      process.stderr.write(`wasm   small-cnn autoattack (${autoattack.images} images): ${autoattack.robustfairSeconds.toFixed(1)} s; official ${autoattack.officialSeconds === undefined ? `not run: ${autoattack.skipped}` : `${autoattack.officialSeconds.toFixed(1)} s`}\n`);
      if (autoattack.officialSeconds !== undefined) process.stdout.write(`RATIO small-cnn autoattack ${(autoattack.officialSeconds / autoattack.robustfairSeconds).toFixed(2)}\n`);
    }
  } catch (error) {
    // What failed (a command and its stderr), not a stack: the bench is a user-facing command.
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const report = {
  schemaVersion: 1,
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', memoryGiB: os.totalmem() / 2 ** 30, node: process.version },
  tfjs: tf.version_core,
  wasmThreads: wasmThreadsStatus()?.threads ?? null,
  batch,
  repeats,
  rows,
  memory,
  torch: torch ?? null,
  ratios,
  epoch: epoch ? { images: epoch.images, robustfairSeconds: epoch.robustfairSeconds, torchSeconds: epoch.torchSeconds ?? null } : null,
  autoattack: autoattack ? { images: autoattack.images, robustfairSeconds: autoattack.robustfairSeconds, officialSeconds: autoattack.officialSeconds ?? null, skipped: autoattack.skipped ?? null } : null,
  skipped,
};
mkdirSync(path.dirname(flags.out), { recursive: true });
const temporary = `${flags.out}.${process.pid}.tmp`;
writeFileSync(temporary, `${JSON.stringify(report, null, 2)}\n`);
renameSync(temporary, flags.out);
process.stderr.write(`results written to ${flags.out}\n`);
