import { backendIds, inputUnits, learningRateScheduleSchema, sgdOptionsSchema } from '@robustfair/core';
import { z } from 'zod';
import { pathSegmentSchema } from './path-segment.js';
import { pluginSpecifierSchema } from './plugin-specifier.js';
import { pluginChoiceOf } from './plugin-choice.js';

const attackName = z.string().regex(/^[\w-]+$/, { message: 'use letters, digits, "-" and "_" only' });

/**
 * One evaluation attack: a preset id (`"pgd20"`), a preset with overrides
 * (`{ "preset": "aa", "overrides": { "targets": 3 } }`), or any attack plugin
 * (`{ "name": "pgd50", "attack": { "id": "pgd", "options": { "steps": 50 } } }`); the object
 * forms take `perClass` to attack a per-class subset (`{ "preset": "aa", "perClass": 50 }`).
 */
const perClass = z
  .number()
  .int()
  .positive()
  .max(1_000_000)
  .optional()
  .describe('Attack only the first N images of each class of the evaluation split (e.g. AutoAttack on a subset); its row counts those, and it is left out of the worst case.');

export const evaluationAttackSchema = z.union([
  z.string().min(1),
  z.strictObject({
    preset: z.string().min(1).describe('An attack preset: fgsm, pgd20, cw, aa (see robustfair list).'),
    name: attackName.optional().describe("The attack's name in results and tables; default the preset id."),
    overrides: z.record(z.string(), z.unknown()).optional().describe("Options of the preset's attack to change, e.g. { \"steps\": 50 }."),
    perClass,
  }),
  z.strictObject({ name: attackName.describe('The attack\'s name in results and tables.'), attack: pluginChoiceOf('attack', 'any attack plugin, by id, with its options'), perClass }),
]);

export type EvaluationAttackConfig = z.output<typeof evaluationAttackSchema>;

const defaultEvaluationAttacks: EvaluationAttackConfig[] = ['pgd20'];

/**
 * Bounds on sizes a config may ask for (docs/security.md, "Limits on sizes"): far above any
 * real run, low enough that a typo or a hostile config fails here, naming the field and limit,
 * instead of allocating without end or spinning for days.
 */
const maximumEpochs = 100_000;
const maximumBatchSize = 65_536;
/** 10^5 resamples make the worst-class interval's Monte Carlo error negligible; 10^9 would spin for hours. */
const maximumBootstrapResamples = 100_000;

const trainingSchema = z.strictObject({
  epochs: z.number().int().positive().max(maximumEpochs).describe('Training epochs; a checkpoint is written after each.'),
  batchSize: z.number().int().positive().max(maximumBatchSize).default(128).describe('Training batch size.'),
  epsilon: inputUnits()
    .default(8 / 255)
    .describe('Radius of the training attack in input units ([0, 1] pixels): a number or "8/255". Fairness strategies may scale it per class.'),
  optimizer: sgdOptionsSchema.default(sgdOptionsSchema.parse({})).describe('SGD (PyTorch semantics): learning rate, momentum, weight decay, Nesterov.'),
  schedule: learningRateScheduleSchema
    .default({ type: 'constant' })
    .describe("Learning-rate schedule over epochs: 'constant', 'multistep' (milestones, factor) or 'cosine' (minimum)."),
  /** Read the batch loss back every N batches for progress (0: never). */
  logEvery: z.number().int().nonnegative().default(0).describe('Read the batch loss back every N batches for progress (0: never; reading it back costs a sync).'),
  /**
   * A NaN or infinite loss or weight: 'fail' stops the run with an error naming the epoch and
   * batch; 'stop' ends this arm's training there, evaluates the last finite weights and flags
   * the result (`training.diverged`).
   */
  onNonFinite: z
    .enum(['fail', 'stop'])
    .default('fail')
    .describe("A NaN or infinite loss or weight: 'fail' stops with an error naming the epoch and batch; 'stop' evaluates the last finite weights and flags the result."),
});

/** The options of checkpoint selection (`selection`, and the callback `checkpoint-selection`). */
export const selectionOptionsSchema = z.strictObject({
  rule: z
    .enum(['last', 'average-plus-worst', 'average'])
    .default('last')
    .describe("'last': the last epoch's weights; 'average-plus-worst' (ABSLD/CFA) or 'average': the epoch with the best robust score on the split."),
  split: z.enum(['validation', 'test']).default('validation').describe("Held-out split the score is measured on; 'test' reproduces the reference scripts and is labelled so."),
  attack: evaluationAttackSchema.default('pgd20').describe('The attack the selection score is measured under.'),
  every: z.number().int().positive().default(1).describe('Score every N epochs.'),
  fromEpoch: z.number().int().nonnegative().default(0).describe('Score only from this epoch on.'),
});

/** The options of weight averaging (`weightAveraging`, and the callback `weight-averaging`). */
export const weightAveragingOptionsSchema = z.strictObject({
  kind: z.enum(['none', 'ema', 'fawa']).default('none').describe("'ema': exponential moving average after every epoch; 'fawa': CFA's, only when the worst class is good enough; 'none'."),
  decay: z.number().min(0).max(1).default(0.88).describe('The average keeps decay × average + (1 − decay) × model.'),
  threshold: z.number().min(0).max(1).default(0.24).describe("fawa: update only when the model's worst-class validation robust accuracy reaches this."),
  attack: evaluationAttackSchema
    .default({ preset: 'pgd20', name: 'pgd10', overrides: { steps: 10 } })
    .describe("fawa: the attack the worst-class accuracy is measured under."),
});

/**
 * One experiment arm, as written in a config file. Immutable once parsed: an ablation makes
 * new specs, it never mutates one (HOUSE-STYLE B4). Plugin options are validated afterwards
 * by each plugin's own schema, before any training starts.
 */
export const experimentSpecSchema = z.strictObject({
  name: pathSegmentSchema()
    .default('experiment')
    .describe('Name of the experiment: the results directory under --out.'),
  seed: z.number().int().nonnegative().default(0).describe('Seed of every random stream of the arm (data order, initialisation, attack starts).'),
  backend: z.enum(['auto', ...backendIds]).default('auto').describe("TF.js backend; 'auto' takes the best available."),
  /** Modules whose default export is `readonly PluginDescriptor[]`, relative to the config file. */
  plugins: z
    .array(pluginSpecifierSchema())
    .default([])
    .describe(
      'Outside plugins: modules (files relative to this file, "./x.js", or installed package names) whose default export is an array of plugin descriptors. They run as code: see docs/security.md.',
    ),
  dataset: pluginChoiceOf('dataset', 'The dataset plugin and its options.'),
  model: pluginChoiceOf('model', 'The model (student) plugin and its options.'),
  objective: pluginChoiceOf('objective', 'The training objective (sat, trades) when no distiller is set.').default({ id: 'sat' }),
  trainingAttack: pluginChoiceOf('attack', 'The attack that makes the training adversarial examples.').default({ id: 'pgd' }),
  fairness: pluginChoiceOf('fairness-strategy', "The fairness strategy; 'identity' is the baseline.").default({ id: 'identity' }),
  training: trainingSchema.describe('Epochs, batch size, ε (input units), optimizer and learning-rate schedule.'),
  /** A distillation loss (ard, rslad) instead of `objective`; needs `teacher`. */
  distiller: pluginChoiceOf('distiller', 'A distillation loss (ard, rslad) instead of objective; needs teacher.').optional(),
  /**
   * The robust teacher of a distillation arm: trained once from this block on the arm's data
   * (cached by its spec, shared by every arm that names the same teacher).
   */
  teacher: z
    .strictObject({
      model: pluginChoiceOf('model', "The teacher's model plugin and its options."),
      objective: pluginChoiceOf('objective', "The teacher's training objective.").default({ id: 'trades' }),
      trainingAttack: pluginChoiceOf('attack', "The attack of the teacher's adversarial training.").default({ id: 'pgd', options: { init: 'gaussian' } }),
      /** Train the teacher with this schedule… */
      training: trainingSchema.optional().describe("Train the teacher with this schedule (exactly one of 'training' and 'import')."),
      /**
       * …or import a PyTorch checkpoint converted to safetensors (path relative to the config
       * file; `architecture` defaults to the model id, see @robustfair/models' teacher import).
       */
      import: z
        .strictObject({
          file: z.string().min(1).describe('The safetensors file, relative to the config file.'),
          architecture: z.string().optional().describe("The PyTorch architecture the weights come from; default the teacher's model id."),
          /** Hex SHA-256 of the file: the import fails when the file is not this one. */
          sha256: z
            .string()
            .regex(/^[0-9a-f]{64}$/, { message: 'a SHA-256 in 64 lowercase hexadecimal digits' })
            .optional()
            .describe('SHA-256 of the safetensors file (sha256sum); the import fails on any other file.'),
        })
        .optional()
        .describe('Import a PyTorch checkpoint converted to safetensors instead of training the teacher.'),
    })
    .superRefine((teacher, context) => {
      if ((teacher.training === undefined) === (teacher.import === undefined)) {
        context.addIssue({ code: 'custom', path: [], message: "give the teacher exactly one of 'training' (train it) or 'import' (load a safetensors file)" });
      }
    })
    .optional()
    .describe('The robust teacher of a distillation arm: trained from this block, or imported from a safetensors file.'),
  /**
   * Start the student from saved weights instead of its seeded initialisation (FRL's hot start:
   * fine-tune a pre-trained robust model). `weights`: a directory with weights.json/.bin as
   * `robustfair train` saves them (a finished arm's directory works); `import`: a PyTorch
   * checkpoint converted to safetensors, as for the teacher. Paths are relative to the config
   * file. Only the weights (and batch-norm statistics) are loaded; optimizer state starts fresh,
   * and an arm resumed from its own checkpoint ignores this field.
   */
  initialWeights: z
    .union([
      z.strictObject({ weights: z.string().min(1).describe('A directory with weights.json and weights.bin (from robustfair train), relative to this file.') }),
      z.strictObject({
        import: z
          .strictObject({
            file: z.string().min(1).describe('A PyTorch state_dict as safetensors, relative to this file.'),
            architecture: z.string().optional().describe("The file's architecture (a model plugin id); default: the arm's model id."),
          })
          .describe('Import a safetensors file (PyTorch state_dict names and layouts).'),
      }),
    ])
    .optional()
    .describe("Start the student from saved weights (FRL's hot start): { weights: dir } or { import: { file, architecture? } }."),
  /**
   * Which weights the final evaluation uses: the last epoch's, or the epoch that maximised a
   * score on a held-out split (ABSLD/CFA: average + worst-class robust accuracy, docs/methods/checkpoint-selection.md).
   * `split: 'test'` reproduces the reference scripts and is labelled as such in results.
   */
  selection: selectionOptionsSchema
    .default({ rule: 'last', split: 'validation', attack: 'pgd20', every: 1, fromEpoch: 0 })
    .describe("Which weights the final evaluation uses: the last epoch's, or the best on a held-out split."),
  /**
   * Weight averaging (CFA, docs/methods/cfa.md#weight-averaging-ema-and-fawa): `ema` keeps decay·EMA + (1 − decay)·model after every
   * epoch; `fawa` updates only when the model's worst-class validation robust accuracy reaches
   * `threshold`. The average (whole state, batch-norm statistics included) is what is evaluated.
   */
  weightAveraging: weightAveragingOptionsSchema
    .default({ kind: 'none', decay: 0.88, threshold: 0.24, attack: { preset: 'pgd20', name: 'pgd10', overrides: { steps: 10 } } })
    .describe('Weight averaging (ema, or CFA\'s fawa); the average is what is evaluated.'),
  /**
   * Training callbacks (plugins of kind `callback`, built-in or from `plugins`), run in this
   * order after the ones \`selection\` and \`weightAveraging\` configure. Absent from specs that
   * name none, so their hashes (and run directories) stay as they were.
   */
  callbacks: z
    .array(pluginChoiceOf('callback', 'A training callback and its options.'))
    .optional()
    .describe("Training callbacks, by id with options, run in this order after the ones 'selection' and 'weightAveraging' configure (see robustfair list)."),
  evaluation: z
    .strictObject({
      split: z.enum(['test', 'validation']).default('test').describe('The split evaluated.'),
      batchSize: z.number().int().positive().max(maximumBatchSize).default(256).describe('Evaluation batch size.'),
      /** Radius of every evaluation attack (input units); defaults to training.epsilon. */
      epsilon: inputUnits().optional().describe('Radius of every evaluation attack (input units, e.g. "8/255"); default training.epsilon.'),
      attacks: z
        .array(evaluationAttackSchema)
        .default(defaultEvaluationAttacks)
        .describe('The attacks, in order: presets ("pgd20", "cw", "aa"), presets with overrides, or any attack plugin; the per-sample worst case is added.'),
      /** Bootstrap resamples for the worst-class confidence interval. */
      bootstrapResamples: z.number().int().positive().max(maximumBootstrapResamples).default(1000).describe('Bootstrap resamples for the confidence intervals of the class-wise results.'),
    })
    .default({ split: 'test', batchSize: 256, attacks: defaultEvaluationAttacks, bootstrapResamples: 1000 })
    .describe('Class-wise evaluation: the split, and the attacks (presets such as "pgd20", "cw", "aa", or any attack plugin).'),
}).superRefine((spec, context) => {
  if (spec.distiller && !spec.teacher) context.addIssue({ code: 'custom', path: ['teacher'], message: `required when a distiller ('${spec.distiller.id}') is set` });
  if (spec.teacher && !spec.distiller) context.addIssue({ code: 'custom', path: ['distiller'], message: 'required when a teacher is set (ard or rslad)' });
});

export type ExperimentSpec = z.output<typeof experimentSpecSchema>;

/**
 * A comparison. Over one field (an ablation): every arm is the base spec with `field` set to the
 * arm's `value`. Or over methods: each arm `set`s several dotted fields at once (e.g. objective
 * and fairness); a `label` is then required. Either way all arms share the base spec and seed.
 */
export const comparisonSchema = z
  .strictObject({
    /** Dotted path into the spec, e.g. `fairness` or `training.epochs`. */
    field: z.string().min(1).optional().describe('Dotted path into the config that the arms change, e.g. "fairness" or "training.epochs" (an ablation).'),
    arms: z
      .array(
        z.strictObject({
          label: pathSegmentSchema().optional().describe("The arm's name: its results directory and its row in tables."),
          value: z.unknown().optional().describe("The value of 'field' in this arm."),
          set: z.record(z.string(), z.unknown()).optional().describe('Dotted fields this arm sets, e.g. { "objective.id": "trades", "fairness.id": "absld" }; needs a label.'),
        }),
      )
      .min(2, { message: 'a comparison needs at least two arms' })
      .describe('The arms: each is the base config with its value or set applied; all share the seed.'),
  })
  .superRefine((comparison, context) => {
    comparison.arms.forEach((arm, index) => {
      if (arm.set === undefined && comparison.field === undefined) {
        context.addIssue({ code: 'custom', path: ['arms', index], message: "give 'set' (fields to change), or a 'field' for the comparison and a 'value' here" });
      }
      if (arm.set !== undefined && arm.label === undefined) {
        context.addIssue({ code: 'custom', path: ['arms', index, 'label'], message: "required for an arm that uses 'set'" });
      }
    });
  });

/** A config file: one spec, plus an optional `compare` block for `robustfair compare`. */
export const experimentConfigSchema = z.looseObject({ compare: comparisonSchema.optional() });

export type Comparison = z.output<typeof comparisonSchema>;
