import type { ExperimentSpec } from '../config/experiment-spec.js';

type Choice = { readonly id: string; readonly options?: unknown };

/** The strategy and, for a `chain`, its members (nested chains flattened). */
function strategiesOf(choice: Choice | undefined): Choice[] {
  if (!choice) return [];
  if (choice.id !== 'chain') return [choice];
  const members = (choice.options as { strategies?: Choice[] } | undefined)?.strategies ?? [];
  return members.flatMap((member) => strategiesOf(member));
}

/**
 * Where an arm, as configured, departs from its method's reference code (issue 14): written
 * into the arm's result.json as `deviations`, so a study table can say which arms are not the
 * reference. `fairness` is the arm's resolved fairness choice (defaults filled).
 */
export function methodDeviations(spec: ExperimentSpec, fairness: Choice | undefined): string[] {
  const deviations: string[] = [];
  for (const strategy of strategiesOf(fairness)) {
    if (!strategy.id.startsWith('frl-')) continue;
    const options = (strategy.options ?? {}) as Record<string, unknown>;
    if (!spec.initialWeights) {
      deviations.push(
        `${strategy.id}: trains from the model's seeded initialisation; the reference fine-tunes a pre-trained robust model (hot start) at lr 0.001 (set initialWeights)`,
      );
    }
    if (options['validationAttack'] === 'training') {
      deviations.push(`${strategy.id}: validates with the arm's training attack; the reference uses PGD-20 with cross-entropy`);
    }
    if (options['validationEpsilon'] === 'per-class') {
      deviations.push(`${strategy.id}: validates at the class-wise ε; the reference validates every class at 8/255`);
    }
    if (options['updateBeforeTraining'] === false) {
      deviations.push(`${strategy.id}: no multiplier update before the first epoch; the reference updates once on the hot-start model`);
    }
    const attackOptions = (spec.trainingAttack.options ?? {}) as Record<string, unknown>;
    if (strategy.id === 'frl-reweight-remargin' && attackOptions['relativeStepSize'] !== 0.25) {
      deviations.push(`${strategy.id}: the training attack does not step by max_i(ε_i)/4 (pgd relativeStepSize: 0.25) as the reference`);
    }
  }
  return deviations;
}
