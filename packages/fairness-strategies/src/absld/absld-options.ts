import { z } from 'zod';
import { parseStrategyOptions } from '../shared/parse-strategy-options.js';

/**
 * Options of `absld` (docs/methods/absld.md), with the
 * official code's defaults:
 * - `learningRate` (0.1): the temperature learning rate β of the update rule.
 * - `range` ([0.5, 5]): every temperature is clamped to [min, max] after each update.
 * - `initialTemperature` (1): every class's temperature before the first update.
 * - `rateDecayEpochs` ('schedule') and `rateDecayFactor` (0.1): the official code multiplies the
 *   temperature rate by 0.1 at the same epochs as the learning rate. 'schedule' takes the
 *   milestones of the run's own `multistep` learning-rate schedule (core, 0-based: the lr of
 *   epoch e is base · factor^#{m ≤ e}), so a 30-epoch run decays at its own milestones and the
 *   300-epoch recipe at 215, 260, 285. A constant or cosine schedule has no milestones, so the
 *   rate then stays at `learningRate` for the whole run (no decay). An explicit array of epochs
 *   overrides the schedule. The update after epoch e uses the rate that goes with the lr of the
 *   NEXT epoch, learningRate · factor^#{m ≤ e + 1}, because the official code decays the lr and
 *   the rate together before the update (1-based: 0.1 after epochs 1–214, 0.01 after 215–259…).
 * - `temperatureCoupling` ('separate'): 'separate' divides the adversarial soft labels by T_adv[y]
 *   and the natural ones by T_nat[y] (the paper's intent); 'product' reproduces the official
 *   code's aliasing, where both soft labels (and the attack target) use T_adv[y]·T_nat[y].
 * - `mode` ('adaptive'): 'manual' keeps `manualTemperatures` (one per class; Table 6's Manual
 *   row) for both soft labels and never updates them; it then reads no signals.
 * - `classLoss` ('sum'): the error risk R_k is the per-class SUM of the student's hard-label CE,
 *   as in the official code; 'mean' divides by the class count. The rule normalises the gap by
 *   its largest absolute value, so the two agree whenever the classes are balanced.
 */
export const absldOptionsSchema = z
  .strictObject({
    learningRate: z.number().positive().default(0.1).describe('The temperature learning rate β of the update rule.'),
    range: z
      .tuple([z.number().positive(), z.number().positive()])
      .default([0.5, 5])
      .describe('[min, max]: every temperature is clamped to it after each update.'),
    initialTemperature: z.number().positive().default(1).describe("Every class's temperature before the first update."),
    rateDecayEpochs: z
      .union([z.literal('schedule'), z.array(z.number().int().nonnegative())])
      .default('schedule')
      .describe("Epochs (0-based) at which the temperature rate decays; 'schedule' (default): the run's own multistep learning-rate milestones."),
    rateDecayFactor: z.number().positive().max(1).default(0.1).describe('Factor of the temperature rate at each of rateDecayEpochs.'),
    temperatureCoupling: z
      .enum(['separate', 'product'])
      .default('separate')
      .describe("'separate': adversarial soft labels use T_adv[y], natural ones T_nat[y] (the paper); 'product': both use T_adv[y]·T_nat[y] (the official code)."),
    mode: z.enum(['adaptive', 'manual']).default('adaptive').describe("'adaptive': temperatures follow the class errors; 'manual': fixed manualTemperatures, never updated."),
    manualTemperatures: z.array(z.number().positive()).min(1).optional().describe("mode 'manual': one temperature per class."),
    classLoss: z
      .enum(['sum', 'mean'])
      .default('sum')
      .describe("The class error risk: the per-class sum of the student's cross-entropy (the official code) or its mean."),
  })
  .refine((options) => options.range[0] <= options.range[1], { message: 'range must be [min, max] with min ≤ max', path: ['range'] })
  .refine((options) => options.initialTemperature >= options.range[0] && options.initialTemperature <= options.range[1], {
    message: 'initialTemperature must lie inside range',
    path: ['initialTemperature'],
  })
  .refine((options) => options.mode !== 'manual' || options.manualTemperatures !== undefined, {
    message: "mode 'manual' needs manualTemperatures (one temperature per class)",
    path: ['manualTemperatures'],
  })
  .refine((options) => options.mode === 'manual' || options.manualTemperatures === undefined, {
    message: "manualTemperatures is only used with mode 'manual'",
    path: ['manualTemperatures'],
  });

/** Resolved options of `absld` (every default filled). */
export type AbsldOptions = z.output<typeof absldOptionsSchema>;

/** What a caller may pass: every field optional. */
export type AbsldOptionsInput = z.input<typeof absldOptionsSchema>;

/** Validates and fills defaults; throws InvalidOptionsError naming each bad field. */
export function parseAbsldOptions(raw: unknown): AbsldOptions {
  return parseStrategyOptions(absldOptionsSchema, 'absld', raw);
}
