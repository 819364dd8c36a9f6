import {
  IncompatiblePluginsError,
  type ClassKnobs,
  type ClassSignal,
  type ClassStatistics,
  type ClassVector,
  type FairnessStrategy,
  type JsonValue,
  type StrategyContext,
  type ValidationRequirements,
} from '@robustfair/spec';

/** The tuple of the members' states, in member order. */
export type ChainState = JsonValue[];

const id = 'chain';

/**
 * Combines fairness strategies, as Optax's `chain` (HOUSE-STYLE B5; docs/methods/chain.md):
 * e.g. ABSLD's temperatures with CFA-CCM's class-wise radii, or CFA = chain(cfa-ccm, cfa-ccr).
 *
 * - State: the tuple of the members' states; `update` hands the same statistics to each member.
 * - `requires.signals`: the union of the members' signals, in first-seen order.
 * - `requires.split`: the split of the members that read signals. Members reading different
 *   splits (e.g. `frl-reweight` on validation with `absld` on train) are rejected when the chain
 *   is created, with an IncompatiblePluginsError naming both: the loop computes one split per
 *   epoch and hands a strategy one `ClassStatistics`. Members without signals (identity, manual
 *   ABSLD) fit either split.
 * - CFA: next to `cfa-ccr`, `cfa-ccm`'s weights (its TRADES scale 1/(1 + β) for when CCR is
 *   off) are dropped, since CCR already carries that scale: chain(cfa-ccm, cfa-ccr) is the
 *   reference's CCM + CCR loss exactly.
 * - `requires.validation`: the one member's that sets it (FRL); two members setting different
 *   ones are rejected when the chain is created.
 * - Knobs: `naturalWeight` and `robustWeight` multiply elementwise (absent = 1). `epsilon` and
 *   `temperature` may come from one member only, and two different `reduction`s conflict; a
 *   conflict throws IncompatiblePluginsError at `init`, naming both members and the knob (and
 *   again at `knobs`, should a member start setting a knob later).
 *
 * @example
 * chainStrategies(createAbsldStrategy(), createCfaCcmStrategy());
 */
export function chainStrategies(...strategies: readonly FairnessStrategy[]): FairnessStrategy<ChainState> {
  if (strategies.length === 0) throw new RangeError('chainStrategies needs at least one strategy');
  const names = memberNames(strategies);
  const split = commonSplit(strategies, names);
  const signals: ClassSignal[] = [...new Set(strategies.flatMap((strategy) => strategy.requires.signals))];
  const validation = commonValidation(strategies, names);

  const withCcr = strategies.some((strategy) => strategy.id === 'cfa-ccr');
  const combine = (states: readonly JsonValue[]): ClassKnobs =>
    combineKnobs(
      strategies.map((strategy, index) => {
        const knobs = strategy.knobs(states[index] ?? null);
        return withCcr && strategy.id === 'cfa-ccm' ? withoutWeights(knobs) : knobs;
      }),
      names,
    );

  return {
    specificationVersion: 'v1',
    id,
    requires: { split, signals, ...(validation ? { validation } : {}) },
    init: (context: StrategyContext) => {
      const states = strategies.map((strategy) => strategy.init(context));
      combine(states);
      return states;
    },
    update: (state: ChainState, statistics: ClassStatistics) => {
      assertTuple(state, strategies.length);
      return strategies.map((strategy, index) => strategy.update(state[index] ?? null, statistics));
    },
    knobs: (state: ChainState) => {
      assertTuple(state, strategies.length);
      return combine(state);
    },
  };
}

/** `'absld'`, or `'absld' (member 2)` when an id occurs more than once. */
function memberNames(strategies: readonly FairnessStrategy[]): string[] {
  const ids = strategies.map((strategy) => strategy.id);
  return ids.map((memberId, index) => (ids.indexOf(memberId) === ids.lastIndexOf(memberId) ? `'${memberId}'` : `'${memberId}' (member ${index + 1})`));
}

function commonSplit(strategies: readonly FairnessStrategy[], names: readonly string[]): 'train' | 'validation' {
  let chosen: { split: 'train' | 'validation'; name: string } | undefined;
  strategies.forEach((strategy, index) => {
    if (strategy.requires.signals.length === 0) return;
    const name = names[index] ?? strategy.id;
    if (chosen === undefined) chosen = { split: strategy.requires.split, name };
    else if (chosen.split !== strategy.requires.split) {
      throw new IncompatiblePluginsError(
        `chain: ${chosen.name} reads the ${chosen.split} split but ${name} reads the ${strategy.requires.split} split; the loop computes one split per epoch, so they cannot be chained`,
      );
    }
  });
  return chosen?.split ?? 'train';
}

function commonValidation(strategies: readonly FairnessStrategy[], names: readonly string[]): ValidationRequirements | undefined {
  let chosen: { validation: ValidationRequirements; name: string } | undefined;
  strategies.forEach((strategy, index) => {
    const validation = strategy.requires.validation;
    if (validation === undefined) return;
    const name = names[index] ?? strategy.id;
    if (chosen === undefined) chosen = { validation, name };
    else if (JSON.stringify(chosen.validation) !== JSON.stringify(validation)) {
      throw new IncompatiblePluginsError(`chain: ${chosen.name} and ${name} ask for different validation passes (attack, ε or timing); the loop runs one`);
    }
  });
  return chosen?.validation;
}

/**
 * `cfa-ccm` alone carries CFA's TRADES scale 1/(1 + β) as weights (the reference applies it
 * whenever CCR is off); next to `cfa-ccr`, which folds that scale into its class-wise weights,
 * CCM contributes its radii only.
 */
function withoutWeights(knobs: ClassKnobs): ClassKnobs {
  const { naturalWeight: _natural, robustWeight: _robust, ...rest } = knobs;
  return rest;
}

function assertTuple(state: ChainState, members: number): void {
  if (!Array.isArray(state) || state.length !== members) {
    throw new RangeError(`fairness strategy '${id}': the state must be a tuple of ${members} member states`);
  }
}

/** Multiplies weights; lets `epsilon`, `temperature` and `reduction` come from one member only. */
export function combineKnobs(knobs: readonly ClassKnobs[], names: readonly string[]): ClassKnobs {
  const owners = new Map<string, number>();
  const claim = (knob: string, index: number) => {
    const owner = owners.get(knob);
    if (owner !== undefined) {
      throw new IncompatiblePluginsError(
        `chain: both ${names[owner]} and ${names[index]} set the '${knob}' knob; only one member may set it (weights multiply, '${knob}' cannot be combined)`,
      );
    }
    owners.set(knob, index);
  };
  let naturalWeight: number[] | undefined;
  let robustWeight: number[] | undefined;
  let combined: { -readonly [Key in keyof ClassKnobs]: ClassKnobs[Key] } = {};
  knobs.forEach((member, index) => {
    if (member.epsilon !== undefined) {
      claim('epsilon', index);
      combined = { ...combined, epsilon: member.epsilon.slice() };
    }
    if (member.temperature !== undefined) {
      claim('temperature', index);
      combined = { ...combined, temperature: copyTemperature(member.temperature) };
    }
    if (member.reduction !== undefined && member.reduction !== combined.reduction) {
      if (combined.reduction !== undefined) claim('reduction', index);
      owners.set('reduction', index);
      combined = { ...combined, reduction: member.reduction };
    }
    if (member.naturalWeight !== undefined) naturalWeight = multiply(naturalWeight, member.naturalWeight);
    if (member.robustWeight !== undefined) robustWeight = multiply(robustWeight, member.robustWeight);
  });
  return {
    ...combined,
    ...(naturalWeight === undefined ? {} : { naturalWeight }),
    ...(robustWeight === undefined ? {} : { robustWeight }),
  };
}

function multiply(current: readonly number[] | undefined, factor: ClassVector): number[] {
  if (current === undefined) return factor.slice();
  if (current.length !== factor.length) throw new RangeError(`chain: members give weight vectors of ${current.length} and ${factor.length} classes`);
  return current.map((value, classIndex) => value * (factor[classIndex] ?? 1));
}

function copyTemperature(temperature: NonNullable<ClassKnobs['temperature']>): NonNullable<ClassKnobs['temperature']> {
  return {
    ...(temperature.natural === undefined ? {} : { natural: temperature.natural.slice() }),
    ...(temperature.adversarial === undefined ? {} : { adversarial: temperature.adversarial.slice() }),
  };
}
