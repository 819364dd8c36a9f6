import { isDeepStrictEqual } from 'node:util';
import type { FairnessStrategy, JsonValue, StrategyContext } from '@robustfair/spec';
import { allClassSignals } from './class-signals.js';
import { assertJsonValue, deepFreeze, jsonRoundTrip } from './json-checks.js';
import { assertValidKnobs, setVectors, setWeights } from './knob-checks.js';
import { createRandomClassStatistics, createUniformClassStatistics } from './random-class-statistics.js';

/** Options of {@link fairnessStrategyChecks} and `describeFairnessStrategy`; every field has a default. */
export interface DescribeFairnessStrategyOptions {
  /** The suite runs once per entry; default `[3, 10]` (catches hard-coded class counts). */
  readonly numClasses?: readonly number[];
  /** Base radius passed to `init`; default 8 / 255. */
  readonly epsilon?: number;
  /** Epoch budget passed to `init`; default 10. */
  readonly epochs?: number;
  /** How many updates with random statistics the round-trip test runs; default 5. */
  readonly updates?: number;
  /** Seed of the random statistics; default 0. */
  readonly seed?: number;
  /** Check that uniform statistics give weights of 1 (within 1e-9); default true. */
  readonly neutralOnUniformStatistics?: boolean;
  /**
   * Check that uniform statistics give the same value to every class in EVERY knob vector the
   * strategy sets (weights, ε, temperatures; within 1e-9 relative); default true. Turn it off
   * only for strategies whose knobs do not come from statistics (e.g. fixed manual vectors).
   */
  readonly equalOnUniformStatistics?: boolean;
}

/**
 * One conformance check: `run` throws (an Error saying what is wrong) when it fails. `group` is
 * the part of the suite it belongs to (`with 3 classes`), or undefined for checks of the whole
 * strategy. The vitest suites turn each check into an `it`; `robustfair test-plugin` runs them
 * without vitest and prints a line per check.
 */
export interface ConformanceCheck {
  readonly group?: string;
  readonly name: string;
  readonly run: () => void | Promise<void>;
}

/** Throws a readable error unless `actual` and `expected` are deeply equal. */
function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/**
 * The fairness-strategy conformance checks (HOUSE-STYLE B8), as plain functions; see
 * `describeFairnessStrategy` for what they check.
 *
 * @example
 * for (const check of fairnessStrategyChecks(() => createClassReweightStrategy())) await check.run();
 */
export function fairnessStrategyChecks<State extends JsonValue>(
  makeStrategy: () => FairnessStrategy<State>,
  options: DescribeFairnessStrategyOptions = {},
): ConformanceCheck[] {
  const {
    numClasses: classCases = [3, 10],
    epsilon = 8 / 255,
    epochs = 10,
    updates = 5,
    seed = 0,
    neutralOnUniformStatistics = true,
    equalOnUniformStatistics = true,
  } = options;
  const checks: ConformanceCheck[] = [
    {
      name: 'declares its id, specification version and requirements',
      run: () => {
        const strategy = makeStrategy();
        if (strategy.specificationVersion !== 'v1') throw new Error(`specificationVersion is '${String(strategy.specificationVersion)}', expected 'v1'`);
        if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(strategy.id)) throw new Error(`id '${strategy.id}' is not kebab-case (a-z, 0-9, single '-')`);
        if (!['train', 'validation'].includes(strategy.requires.split)) {
          throw new Error(`requires.split is '${String(strategy.requires.split)}', expected 'train' or 'validation'`);
        }
        const known: readonly string[] = allClassSignals;
        for (const signal of strategy.requires.signals) {
          if (!known.includes(signal)) throw new Error(`requires.signals has '${signal}'; known signals: ${known.join(', ')}`);
        }
        if (new Set(strategy.requires.signals).size !== strategy.requires.signals.length) throw new Error('requires.signals lists a signal twice');
      },
    },
  ];

  for (const numClasses of classCases) {
    const group = `with ${numClasses} classes`;
    const context: StrategyContext = deepFreeze({ numClasses, epsilon, epochs });
    const split = () => makeStrategy().requires.split;
    const random = (epoch: number) => deepFreeze(createRandomClassStatistics({ numClasses, epoch, split: split(), seed: seed * 7919 + epoch }));
    const add = (name: string, run: () => void) => checks.push({ group, name, run });

    add('init returns plain JSON that round-trips unchanged', () => {
      const state = makeStrategy().init(context);
      assertJsonValue(state);
      assertEqual(jsonRoundTrip(state), state, 'the state after a JSON round trip');
    });

    add('gives valid knobs before the first update', () => {
      const strategy = makeStrategy();
      assertValidKnobs(strategy.knobs(deepFreeze(strategy.init(context))), numClasses);
    });

    add('update is pure: same input, same output, inputs not mutated', () => {
      const strategy = makeStrategy();
      const state = deepFreeze(strategy.init(context));
      const statistics = random(0);
      const snapshot = structuredClone({ state, statistics });
      const first = strategy.update(state, statistics);
      assertEqual(strategy.update(state, statistics), first, 'a second update with the same input');
      assertEqual({ state, statistics }, snapshot, 'the inputs after update');
      // A fresh instance made the same way agrees too (no hidden state in the closure).
      assertEqual(makeStrategy().update(state, statistics), first, 'update by a fresh instance');
    });

    add('knobs is pure: same state, same knobs, state not mutated', () => {
      const strategy = makeStrategy();
      const state = deepFreeze(strategy.update(deepFreeze(strategy.init(context)), random(0)));
      const snapshot = structuredClone(state);
      assertEqual(strategy.knobs(state), strategy.knobs(state), 'knobs of the same state twice');
      assertEqual(state, snapshot, 'the state after knobs');
    });

    add(`keeps JSON state and valid knobs over ${updates} updates with random statistics`, () => {
      const strategy = makeStrategy();
      let state = deepFreeze(strategy.init(context));
      for (let epoch = 0; epoch < updates; epoch++) {
        state = deepFreeze(strategy.update(state, random(epoch)));
        assertJsonValue(state, `state after epoch ${epoch}`);
        const restored = jsonRoundTrip(state);
        assertEqual(restored, state, `state after epoch ${epoch} round-trips`);
        const knobs = strategy.knobs(state);
        assertValidKnobs(knobs, numClasses);
        assertEqual(strategy.knobs(restored), knobs, `knobs of the round-tripped state after epoch ${epoch}`);
        const next = random(epoch + 1);
        assertEqual(strategy.update(restored, next), strategy.update(state, next), `update of the round-tripped state after epoch ${epoch}`);
      }
    });

    if (equalOnUniformStatistics) {
      add('gives every class the same value of every knob it sets when every class has the same statistics', () => {
        const strategy = makeStrategy();
        let state = deepFreeze(strategy.init(context));
        for (let epoch = 0; epoch < 3; epoch++) {
          state = deepFreeze(strategy.update(state, deepFreeze(createUniformClassStatistics({ numClasses, epoch, split: split() }))));
          for (const { name: knob, values } of setVectors(strategy.knobs(state))) {
            const first = values[0] ?? Number.NaN;
            values.forEach((value, classIndex) => {
              if (!(Math.abs(value - first) <= 1e-9 * Math.max(1, Math.abs(first)))) {
                throw new Error(`${knob}[${classIndex}] after epoch ${epoch} is ${value}, ${knob}[0] is ${first}: expected the same value for every class`);
              }
            });
          }
        }
      });
    }

    if (neutralOnUniformStatistics) {
      add('gives weights of 1 when every class has the same statistics', () => {
        const strategy = makeStrategy();
        let state = deepFreeze(strategy.init(context));
        for (let epoch = 0; epoch < 3; epoch++) {
          state = deepFreeze(strategy.update(state, deepFreeze(createUniformClassStatistics({ numClasses, epoch, split: split() }))));
          for (const { name: knob, values } of setWeights(strategy.knobs(state))) {
            values.forEach((value, classIndex) => {
              if (!(Math.abs(value - 1) <= 1e-9)) throw new Error(`${knob}[${classIndex}] after epoch ${epoch} is ${value}, expected 1 (within 1e-9)`);
            });
          }
        }
      });
    }
  }
  return checks;
}
