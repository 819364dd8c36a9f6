import { builtinAttacks, createPresetAttack, formatEvaluationCsv, formatEvaluationJson, runEvaluationSuite, type SuiteAttack } from '@robustfair/attacks';
import { deriveSeed } from '@robustfair/core';
import { RobustfairError, type Dataset, type Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { loadModel } from './load-model.js';
import { startBackend } from './page-backends.js';
import type { EvaluationRequest, EvaluationResult, GridImage } from './protocol.js';
import { readSpecFile, type EvaluatedSpec } from './spec-file.js';
import { loadTestImages } from './test-images.js';

/** Progress as the page shows it: a line of text and the fraction done. */
export type ReportProgress = (text: string, fraction: number) => void;

/**
 * The evaluation attacks, made as the runner makes a config's `evaluation.attacks` presets: each
 * seeded with `deriveSeed(seed, 'evaluation', id)` and looked up among the built-in attacks, so
 * the page's numbers are the CLI's `eval` numbers for the same spec, files and backend.
 */
function evaluationAttacks(ids: readonly string[], seed: number): SuiteAttack[] {
  if (ids.length === 0) throw new RobustfairError('no attack chosen: tick at least one attack');
  return ids.map((id) => {
    const made = createPresetAttack(id, { context: { seed: deriveSeed(seed, 'evaluation', id) }, plugins: builtinAttacks });
    return { id, attack: made.attack, threatModel: made.threatModel, plugin: made.plugin, options: made.options };
  });
}

/**
 * Runs the whole request in the calling (worker) thread: backend, spec, images, model, the
 * evaluation suite with the spec's batch size, seed and bootstrap, and the image grid. Every
 * tensor made here is freed before it returns, the model's included.
 */
export async function evaluateInPage(request: EvaluationRequest, progress: ReportProgress): Promise<EvaluationResult> {
  const started = performance.now();
  progress(`starting the ${request.backend} backend`, 0);
  await startBackend(request.backend);
  const spec = readSpecFile(request.model.spec.name, request.model.spec.bytes);
  const dataset = loadTestImages(spec, request.images);
  const split = request.images.kind === 'synthetic' ? spec.spec.evaluation.split : 'test';
  if (dataset.size(split) === 0) throw new RobustfairError(`the test images have no '${split}' images to evaluate`);
  const epsilon = request.epsilon ?? spec.spec.evaluation.epsilon ?? spec.spec.training.epsilon;
  tf.engine().startScope();
  let model: Model | undefined;
  try {
    model = loadModel(spec, request.model, dataset);
    const attacks = evaluationAttacks(request.attacks, spec.spec.seed);
    const rowIds = ['clean', ...attacks.map((entry) => entry.id)];
    const report = await runEvaluationSuite({
      model,
      dataset,
      split,
      attacks,
      epsilon,
      batchSize: spec.spec.evaluation.batchSize,
      seed: spec.spec.seed,
      bootstrap: { resamples: spec.spec.evaluation.bootstrapResamples },
      // The suite runs every row (clean, then each attack) on a batch before the next batch.
      onProgress: ({ row, batch, batches, step }) => {
        const done = (batch - 1) * rowIds.length + Math.max(0, rowIds.indexOf(row)) + (step === undefined ? 1 : 0);
        progress(`batch ${batch}/${batches}: ${row}${step ? ` (${step})` : ''}`, done / (batches * rowIds.length));
      },
    });
    const first = attacks[0] as SuiteAttack;
    progress(`the image grid: ${first.id} on ${request.gridSize} images`, 1);
    const grid = await imageGrid(model, dataset, split, first, epsilon, spec, request.gridSize);
    return {
      evaluationJson: formatEvaluationJson(report),
      evaluationCsv: formatEvaluationCsv(report),
      epsilon,
      backend: request.backend,
      modelLabel: spec.label,
      imageCount: dataset.size(split),
      gridAttack: first.id,
      grid,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    model?.dispose();
    tf.engine().endScope();
  }
}

/**
 * The first `size` images of the split, clean and under `attack` (a run of its own on just these
 * images, seeded from the spec's seed), with the model's predictions on both.
 */
async function imageGrid(model: Model, dataset: Dataset, split: 'test' | 'validation', attack: SuiteAttack, epsilon: number, spec: EvaluatedSpec, size: number): Promise<GridImage[]> {
  if (size < 1) return [];
  const batches = dataset.batches(split, { batchSize: size, shuffle: false, seed: 0 })[Symbol.asyncIterator]();
  const next = await batches.next();
  await batches.return?.();
  if (next.done) return [];
  const { inputs, labels } = next.value;
  const count = inputs.shape[0];
  const radius = tf.fill([count], epsilon) as tf.Tensor1D;
  const adversarial = attack.attack.perturb({ model, inputs, labels, epsilon: radius, seed: deriveSeed(spec.spec.seed, 'playground-grid', attack.id) });
  const cleanPredictions = tf.tidy(() => tf.argMax(model.logits(inputs, { training: false }), 1));
  const adversarialPredictions = tf.tidy(() => tf.argMax(model.logits(adversarial, { training: false }), 1));
  const [clean, attacked, label, cleanPrediction, adversarialPrediction] = await Promise.all([
    inputs.data<'float32'>(),
    adversarial.data<'float32'>(),
    labels.data<'int32'>(),
    cleanPredictions.data<'int32'>(),
    adversarialPredictions.data<'int32'>(),
  ]);
  tf.dispose([inputs, labels, radius, adversarial, cleanPredictions, adversarialPredictions]);
  const [height, width, channels] = dataset.inputShape;
  const length = height * width * channels;
  return Array.from({ length: count }, (_, index) => ({
    shape: [height, width, channels] as const,
    clean: clean.slice(index * length, (index + 1) * length),
    adversarial: attacked.slice(index * length, (index + 1) * length),
    label: label[index] as number,
    cleanPrediction: cleanPrediction[index] as number,
    adversarialPrediction: adversarialPrediction[index] as number,
  }));
}
