import type { FairnessStrategy, JsonValue, StrategyContext } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { allClassSignals } from './class-signals.js';
import { assertJsonValue, deepFreeze, jsonRoundTrip } from './json-checks.js';
import { assertValidKnobs, setVectors, setWeights } from './knob-checks.js';
import { createRandomClassStatistics, createUniformClassStatistics } from './random-class-statistics.js';

/** Options of {@link describeFairnessStrategy}; every field has a default. */
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
 * The conformance suite every fairness strategy runs (HOUSE-STYLE B8). For each class count it
 * checks that: the strategy declares a valid id, version and requirements; `init` returns
 * plain JSON that round-trips through `JSON.stringify`/`JSON.parse` unchanged; `update` and
 * `knobs` are pure (deep-frozen inputs, so any mutation throws; the same input gives the same
 * output); knob vectors have `numClasses` finite entries and no unknown fields; the state stays
 * JSON and round-trips after several updates with seeded random statistics carrying every
 * `ClassSignal` as sums with counts (and a round-tripped state behaves like the original); and
 * statistics equal across classes give every class the same value in every knob vector set
 * (weights, ε, temperatures) and neutral weights (all 1 within 1e-9, where set).
 *
 * @example
 * describeFairnessStrategy('class-reweight', () => createClassReweightStrategy());
 */
export function describeFairnessStrategy<State extends JsonValue>(
  name: string,
  makeStrategy: () => FairnessStrategy<State>,
  options: DescribeFairnessStrategyOptions = {},
): void {
  const {
    numClasses: classCases = [3, 10],
    epsilon = 8 / 255,
    epochs = 10,
    updates = 5,
    seed = 0,
    neutralOnUniformStatistics = true,
    equalOnUniformStatistics = true,
  } = options;

  describe(`${name} (fairness strategy conformance)`, () => {
    it('declares its id, specification version and requirements', () => {
      const strategy = makeStrategy();
      expect(strategy.specificationVersion).toBe('v1');
      expect(strategy.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(['train', 'validation']).toContain(strategy.requires.split);
      const known: readonly string[] = allClassSignals;
      for (const signal of strategy.requires.signals) expect(known).toContain(signal);
      expect(new Set(strategy.requires.signals).size).toBe(strategy.requires.signals.length);
    });

    for (const numClasses of classCases) {
      describe(`with ${numClasses} classes`, () => {
        const context: StrategyContext = deepFreeze({ numClasses, epsilon, epochs });
        const split = () => makeStrategy().requires.split;
        const random = (epoch: number) =>
          deepFreeze(createRandomClassStatistics({ numClasses, epoch, split: split(), seed: seed * 7919 + epoch }));

        it('init returns plain JSON that round-trips unchanged', () => {
          const state = makeStrategy().init(context);
          assertJsonValue(state);
          expect(jsonRoundTrip(state)).toEqual(state);
        });

        it('gives valid knobs before the first update', () => {
          const strategy = makeStrategy();
          assertValidKnobs(strategy.knobs(deepFreeze(strategy.init(context))), numClasses);
        });

        it('update is pure: same input, same output, inputs not mutated', () => {
          const strategy = makeStrategy();
          const state = deepFreeze(strategy.init(context));
          const statistics = random(0);
          const snapshot = structuredClone({ state, statistics });
          const first = strategy.update(state, statistics);
          const second = strategy.update(state, statistics);
          expect(second).toEqual(first);
          expect({ state, statistics }).toEqual(snapshot);
          // A fresh instance made the same way agrees too (no hidden state in the closure).
          expect(makeStrategy().update(state, statistics)).toEqual(first);
        });

        it('knobs is pure: same state, same knobs, state not mutated', () => {
          const strategy = makeStrategy();
          const state = deepFreeze(strategy.update(deepFreeze(strategy.init(context)), random(0)));
          const snapshot = structuredClone(state);
          expect(strategy.knobs(state)).toEqual(strategy.knobs(state));
          expect(state).toEqual(snapshot);
        });

        it(`keeps JSON state and valid knobs over ${updates} updates with random statistics`, () => {
          const strategy = makeStrategy();
          let state = deepFreeze(strategy.init(context));
          for (let epoch = 0; epoch < updates; epoch++) {
            state = deepFreeze(strategy.update(state, random(epoch)));
            assertJsonValue(state, `state after epoch ${epoch}`);
            const restored = jsonRoundTrip(state);
            expect(restored, `state after epoch ${epoch} round-trips`).toEqual(state);
            const knobs = strategy.knobs(state);
            assertValidKnobs(knobs, numClasses);
            expect(strategy.knobs(restored)).toEqual(knobs);
            const next = random(epoch + 1);
            expect(strategy.update(restored, next)).toEqual(strategy.update(state, next));
          }
        });

        if (equalOnUniformStatistics) {
          it('gives every class the same value of every knob it sets when every class has the same statistics', () => {
            const strategy = makeStrategy();
            let state = deepFreeze(strategy.init(context));
            for (let epoch = 0; epoch < 3; epoch++) {
              state = deepFreeze(strategy.update(state, deepFreeze(createUniformClassStatistics({ numClasses, epoch, split: split() }))));
              for (const { name: knob, values } of setVectors(strategy.knobs(state))) {
                const first = values[0] ?? Number.NaN;
                values.forEach((value, classIndex) => {
                  expect(Math.abs(value - first), `${knob}[${classIndex}] after epoch ${epoch} is ${value}, ${knob}[0] is ${first}`).toBeLessThanOrEqual(
                    1e-9 * Math.max(1, Math.abs(first)),
                  );
                });
              }
            }
          });
        }

        if (neutralOnUniformStatistics) {
          it('gives weights of 1 when every class has the same statistics', () => {
            const strategy = makeStrategy();
            let state = deepFreeze(strategy.init(context));
            for (let epoch = 0; epoch < 3; epoch++) {
              state = deepFreeze(strategy.update(state, deepFreeze(createUniformClassStatistics({ numClasses, epoch, split: split() }))));
              for (const { name: knob, values } of setWeights(strategy.knobs(state))) {
                values.forEach((value, classIndex) => {
                  expect(Math.abs(value - 1), `${knob}[${classIndex}] after epoch ${epoch} is ${value}`).toBeLessThanOrEqual(1e-9);
                });
              }
            }
          });
        }
      });
    }
  });
}
