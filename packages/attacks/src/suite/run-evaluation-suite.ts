import { deriveSeed } from '@robustfair/core';
import {
  bootstrapWorstClassInterval,
  summarizeClassAccuracy,
  type StandardDeviationConvention,
} from '@robustfair/metrics';
import type { Attack, AttackProgress, AttackRequest, ClassCounts, ClassVector, Dataset, JsonValue, Model, Split } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { createPresetAttack, type ThreatModel } from '../presets/attack-presets.js';
import {
  cleanRowId,
  worstCaseRowId,
  type EvaluatedAttack,
  type EvaluationReport,
  type EvaluationRow,
  type SanityFlag,
} from './evaluation-report.js';
import { checkBlackBoxStronger, checkModelOnBatch } from './sanity-checks.js';

/** An attack given directly rather than by preset id. */
export interface SuiteAttack {
  /** Row id in results; unique within the suite. */
  readonly id: string;
  readonly attack: Attack;
  /** Default 'white-box'. */
  readonly threatModel?: ThreatModel;
  /** Recorded in results when known. */
  readonly plugin?: string;
  readonly options?: JsonValue;
  /**
   * Run this attack only on the first `perClass` samples of each class, in the split's order
   * (AutoAttack on a subset, as RobustBench's `n_ex`): its row counts those samples only, and it
   * is left out of the worst-case row, which stays over every sample.
   */
  readonly perClass?: number;
}

/** Progress after each attack on each batch (and after each clean batch). */
export interface SuiteProgress {
  /** `clean` or the attack id. */
  readonly row: string;
  /** 1-based batch number and the number of batches. */
  readonly batch: number;
  readonly batches: number;
  /** Samples processed so far in this batch loop, and in total. */
  readonly samplesDone: number;
  readonly samples: number;
  /**
   * Set while `row` is still running on `batch`: the unit of the attack that just finished
   * (AutoAttack's stages, targets, restarts; see `AttackRequest.onProgress`).
   */
  readonly step?: string;
}

/** Options of {@link runEvaluationSuite}. */
export interface EvaluationSuiteOptions {
  readonly model: Model;
  readonly dataset: Dataset;
  /** Default 'test'. */
  readonly split?: Split;
  /** Preset ids (`fgsm`, `pgd20`, `cw`, `aa`, …) or attacks given directly, run in this order. */
  readonly attacks: readonly (string | SuiteAttack)[];
  /** Radius in input units: one number, or one per class (gathered by label). */
  readonly epsilon: number | ClassVector;
  /** Default 100. */
  readonly batchSize?: number;
  /** Every attack seed derives from it: deriveSeed(seed, 'suite', attack, batch). */
  readonly seed: number;
  /** Bootstrap of the worst-class accuracy (defaults: 1000 resamples, 95 %). */
  readonly bootstrap?: { readonly resamples?: number; readonly confidence?: number };
  /** NSD's std convention (default 'population'). */
  readonly std?: StandardDeviationConvention;
  /** Run the model sanity checks on the first batch (default true). */
  readonly sanityChecks?: boolean;
  readonly onProgress?: (progress: SuiteProgress) => void;
}

/**
 * The evaluation suite (docs/methods/evaluation.md): for one model and one split, runs the clean pass and every
 * attack on every batch (model in eval mode; unshuffled, so per-sample results line up with the
 * dataset's order), keeps each sample's correctness per attack, and derives everything else from
 * those flags (auto-attack #45: report the per-sample worst case, not an average of attacks):
 * - one row per attack and a `worst-case` row, where a sample counts as correct only when it is
 *   correct on the clean input and under every attack (attacks run on a per-class subset,
 *   `perClass`, have their own row over that subset and are not part of the worst case);
 * - per row, the class-wise accuracy table, Avg, Worst and NSD (`@robustfair/metrics`), counted
 *   per class from the labels, plus a seeded bootstrap interval of Worst;
 * - sanity flags: randomised model, softmax outputs, zero gradients (on the first batch), and a
 *   black-box attack beating every white-box one (gradient masking).
 *
 * @example
 * const report = await runEvaluationSuite({ model, dataset, attacks: ['fgsm', 'pgd20', 'cw', 'aa'], epsilon: 8 / 255, seed: 0 });
 * await writeEvaluationJson('runs/eval/summary.json', report); // from '@robustfair/attacks/node'
 */
export async function runEvaluationSuite(options: EvaluationSuiteOptions): Promise<EvaluationReport> {
  const { model, dataset, seed } = options;
  const split = options.split ?? 'test';
  const batchSize = options.batchSize ?? 100;
  const numClasses = dataset.numClasses;
  const attacks = options.attacks.map((entry, index) => resolveSuiteAttack(entry, deriveSeed(seed, 'suite-attack', index)));
  const ids = [cleanRowId, ...attacks.map((entry) => entry.id)];
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined || ids.includes(worstCaseRowId)) {
    throw new RangeError(`evaluation suite: row ids must be unique and not '${worstCaseRowId}'; got ${ids.join(', ')}`);
  }
  const epsilonByClass = typeof options.epsilon === 'number' ? new Array<number>(numClasses).fill(options.epsilon) : [...options.epsilon];
  if (epsilonByClass.length !== numClasses) {
    throw new RangeError(`evaluation suite: epsilon has ${epsilonByClass.length} entries but the dataset has ${numClasses} classes`);
  }
  const samples = dataset.size(split);
  const batches = Math.ceil(samples / batchSize);
  const labels: number[] = [];
  const correct: Record<string, boolean[]> = Object.fromEntries(ids.map((id) => [id, [] as boolean[]]));
  // Sample indices of each subset attack (`perClass`), and how many samples of each class were seen.
  const subsets: Record<string, number[]> = Object.fromEntries(attacks.filter(isSubsetAttack).map((entry) => [entry.id, [] as number[]]));
  const seenPerClass = new Array<number>(numClasses).fill(0);
  const flags: SanityFlag[] = [];
  const epsilonTable = tf.tensor1d(epsilonByClass, 'float32');
  let batchIndex = 0;
  try {
    for await (const batch of dataset.batches(split, { batchSize, shuffle: false, seed: 0 })) {
      try {
        batchIndex += 1;
        if (batchIndex === 1 && (options.sanityChecks ?? true)) flags.push(...checkModelOnBatch(model, batch.inputs, batch.labels));
        const first = labels.length;
        const batchLabels = Array.from(await batch.labels.data(), Number);
        labels.push(...batchLabels);
        const rank = batchLabels.map((label) => (seenPerClass[label] = (seenPerClass[label] ?? 0) + 1) - 1);
        const done = labels.length;
        const report = (row: string) => options.onProgress?.({ row, batch: batchIndex, batches, samplesDone: done, samples });
        // Long attacks block for minutes per batch: their inner steps are reported as they finish.
        const stepsOf = (row: string) =>
          options.onProgress ? { onProgress: ({ step }: AttackProgress) => options.onProgress?.({ row, batch: batchIndex, batches, samplesDone: first, samples, step }) } : {};
        correct[cleanRowId]?.push(...(await correctFlags(model, batch.inputs, batch.labels)));
        report(cleanRowId);
        const epsilon = tf.tidy(() => tf.gather(epsilonTable, tf.cast(batch.labels, 'int32')) as tf.Tensor1D);
        try {
          for (const entry of attacks) {
            const attackSeed = deriveSeed(seed, 'suite', entry.id, batchIndex - 1);
            if (isSubsetAttack(entry)) {
              const chosen = batchLabels.flatMap((_, index) => ((rank[index] as number) < entry.perClass ? [index] : []));
              if (chosen.length > 0) {
                correct[entry.id]?.push(...(await attackSubset(model, entry.attack, batch, epsilon, chosen, attackSeed, stepsOf(entry.id))));
                subsets[entry.id]?.push(...chosen.map((index) => first + index));
              }
            } else {
              const adversarial = entry.attack.perturb({ model, inputs: batch.inputs, labels: batch.labels, epsilon, seed: attackSeed, ...stepsOf(entry.id) });
              try {
                correct[entry.id]?.push(...(await correctFlags(model, adversarial, batch.labels)));
              } finally {
                adversarial.dispose();
              }
            }
            report(entry.id);
          }
        } finally {
          epsilon.dispose();
        }
      } finally {
        tf.dispose([batch.inputs, batch.labels]);
      }
    }
  } finally {
    epsilonTable.dispose();
  }
  const fullRows = ids.filter((id) => subsets[id] === undefined);
  if (attacks.length > 0) {
    correct[worstCaseRowId] = labels.map((_, index) => fullRows.every((id) => correct[id]?.[index] === true));
  }
  const evaluated: EvaluatedAttack[] = attacks.map((entry) => ({
    id: entry.id,
    ...(entry.plugin === undefined ? {} : { plugin: entry.plugin }),
    ...(entry.options === undefined ? {} : { options: entry.options }),
    threatModel: entry.threatModel ?? 'white-box',
    norm: entry.attack.norm,
  }));
  // Accuracies of different sample sets are not comparable: the check looks at full-set rows only.
  flags.push(...checkBlackBoxStronger(evaluated.filter((attack) => subsets[attack.id] === undefined), correct));
  const rowIds = attacks.length > 0 ? [...ids, worstCaseRowId] : ids;
  const rowLabels = (id: string) => subsets[id]?.map((index) => labels[index] as number) ?? labels;
  const rows = rowIds.map((id) => summarizeRow(id, rowLabels(id), correct[id] ?? [], numClasses, options, deriveSeed(seed, 'bootstrap', id)));
  return {
    schemaVersion: 1,
    dataset: dataset.id,
    split,
    numClasses,
    ...(dataset.classNames === undefined ? {} : { classNames: dataset.classNames }),
    samples: labels.length,
    epsilon: options.epsilon,
    seed,
    batchSize,
    attacks: evaluated,
    rows,
    perSample: { labels, correct, ...(Object.keys(subsets).length > 0 ? { subsets } : {}) },
    flags,
  };
}

const isSubsetAttack = (entry: SuiteAttack): entry is SuiteAttack & { readonly perClass: number } => entry.perClass !== undefined;

/** Attacks the chosen samples of a batch (gathered into a smaller batch) and returns their flags. */
async function attackSubset(
  model: Model,
  attack: Attack,
  batch: { readonly inputs: tf.Tensor4D; readonly labels: tf.Tensor1D },
  epsilon: tf.Tensor1D,
  chosen: readonly number[],
  seed: number,
  progress: Pick<AttackRequest, 'onProgress'>,
): Promise<boolean[]> {
  const indices = tf.tensor1d(chosen.slice(), 'int32');
  const inputs = tf.gather(batch.inputs, indices) as tf.Tensor4D;
  const labels = tf.gather(batch.labels, indices) as tf.Tensor1D;
  const radius = tf.gather(epsilon, indices) as tf.Tensor1D;
  try {
    const adversarial = attack.perturb({ model, inputs, labels, epsilon: radius, seed, ...progress });
    try {
      return await correctFlags(model, adversarial, labels);
    } finally {
      adversarial.dispose();
    }
  } finally {
    tf.dispose([indices, inputs, labels, radius]);
  }
}

function resolveSuiteAttack(entry: string | SuiteAttack, seed: number): SuiteAttack {
  if (typeof entry !== 'string') return entry;
  const preset = createPresetAttack(entry, { context: { seed } });
  if (preset.purpose === 'training') {
    throw new RangeError(
      `evaluation suite: preset '${entry}' is a training attack (it attacks in train mode and would change batch-norm statistics); pass it as a SuiteAttack to evaluate it anyway`,
    );
  }
  return { id: preset.id, attack: preset.attack, threatModel: preset.threatModel, plugin: preset.plugin, options: preset.options };
}

async function correctFlags(model: Model, inputs: tf.Tensor4D, labels: tf.Tensor1D): Promise<boolean[]> {
  const flags = tf.tidy(() => tf.equal(tf.argMax(model.logits(inputs, { training: false }), 1), tf.cast(labels, 'int32')));
  try {
    return Array.from(await flags.data(), Boolean);
  } finally {
    flags.dispose();
  }
}

/** Counts per class explicitly from each sample's label (no assumption of balance or order). */
export function countByClass(labels: readonly number[], correct: readonly boolean[], numClasses: number): ClassCounts {
  const count = new Array<number>(numClasses).fill(0);
  const right = new Array<number>(numClasses).fill(0);
  labels.forEach((label, index) => {
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new RangeError(`label ${label} of sample ${index} is not a class id in [0, ${numClasses - 1}]`);
    }
    count[label] = (count[label] ?? 0) + 1;
    if (correct[index] === true) right[label] = (right[label] ?? 0) + 1;
  });
  return { numClasses, count, correct: right };
}

function summarizeRow(
  id: string,
  labels: readonly number[],
  correct: readonly boolean[],
  numClasses: number,
  options: EvaluationSuiteOptions,
  seed: number,
): EvaluationRow {
  const counts = countByClass(labels, correct, numClasses);
  const summary = summarizeClassAccuracy(counts, { std: options.std ?? 'population' });
  return {
    id,
    counts,
    classAccuracy: summary.classAccuracy,
    average: summary.average,
    worstClass: summary.worstClass,
    nsd: summary.nsd,
    worstClassInterval: bootstrapWorstClassInterval(counts, {
      seed,
      ...(options.bootstrap?.resamples === undefined ? {} : { resamples: options.bootstrap.resamples }),
      ...(options.bootstrap?.confidence === undefined ? {} : { confidence: options.bootstrap.confidence }),
    }),
  };
}
