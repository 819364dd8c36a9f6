import { deriveSeed, instantiatePlugin } from '@robustfair/core';
import {
  AttackRegistry,
  Dataset,
  DatasetRegistry,
  FairnessStrategy,
  FairnessStrategyRegistry,
  ModelRegistry,
  ObjectiveRegistry,
  StudentModel,
  TrainingAttack,
  TrainingObjective,
  DistillerRegistry,
  type Attack,
  type Distiller,
  type Model,
} from '@robustfair/spec';
import { ContainerModule } from 'inversify';
import { createEvaluationAttacks } from '../config/evaluation-attacks.js';
import { ExperimentRunner } from '../experiment-runner.js';
import { ArmDistiller, EvaluationAttacks, ExperimentSpec, ResolvedOptions, TeacherModel } from '../tokens.js';

type Resolved = Map<string, { id: string; options: unknown }>;

/**
 * Everything one experiment arm needs, built from its immutable spec (HOUSE-STYLE B4): loaded
 * into a child container per arm, so arms never share a model, a strategy or a runner.
 * Every plugin is made through its registry, which validates its options first.
 */
export function experimentModule(spec: ExperimentSpec): ContainerModule {
  return new ContainerModule((options) => {
    const { bind } = options;
    bind<ExperimentSpec>(ExperimentSpec).toConstantValue(spec);
    bind<Resolved>(ResolvedOptions).toConstantValue(new Map());

    bind<Dataset>(Dataset)
      .toResolvedValue(
        (registry: DatasetRegistry, resolved: Resolved) => {
          const made = instantiatePlugin(registry, spec.dataset, { seed: deriveSeed(spec.seed, 'dataset') }, 'dataset');
          resolved.set('dataset', { id: made.id, options: made.options });
          return made.instance;
        },
        [DatasetRegistry, ResolvedOptions],
      )
      .inSingletonScope();

    bind<Model>(StudentModel)
      .toResolvedValue(
        (registry: ModelRegistry, dataset: Dataset, resolved: Resolved) => {
          const context = { seed: deriveSeed(spec.seed, 'model'), numClasses: dataset.numClasses, inputShape: dataset.inputShape };
          const made = instantiatePlugin(registry, spec.model, context, 'model');
          resolved.set('model', { id: made.id, options: made.options });
          return made.instance;
        },
        [ModelRegistry, Dataset, ResolvedOptions],
      )
      .inSingletonScope()
      .onDeactivation((model) => {
        // Braces: a non-undefined return would be awaited as a Promise (HOUSE-STYLE B4 note 2).
        model.dispose();
      });

    bind<Attack>(TrainingAttack)
      .toResolvedValue(
        (registry: AttackRegistry, resolved: Resolved) => {
          const made = instantiatePlugin(registry, spec.trainingAttack, { seed: deriveSeed(spec.seed, 'attack') }, 'trainingAttack');
          resolved.set('trainingAttack', { id: made.id, options: made.options });
          return made.instance;
        },
        [AttackRegistry, ResolvedOptions],
      )
      .inSingletonScope();

    bind<TrainingObjective>(TrainingObjective)
      .toResolvedValue(
        (registry: ObjectiveRegistry, resolved: Resolved) => {
          const made = instantiatePlugin(registry, spec.objective, { seed: deriveSeed(spec.seed, 'objective') }, 'objective');
          resolved.set('objective', { id: made.id, options: made.options });
          return made.instance;
        },
        [ObjectiveRegistry, ResolvedOptions],
      )
      .inSingletonScope();

    bind<FairnessStrategy>(FairnessStrategy)
      .toResolvedValue(
        (registry: FairnessStrategyRegistry, resolved: Resolved) => {
          const made = instantiatePlugin(registry, spec.fairness, { seed: deriveSeed(spec.seed, 'fairness') }, 'fairness');
          resolved.set('fairness', { id: made.id, options: made.options });
          return made.instance;
        },
        [FairnessStrategyRegistry, ResolvedOptions],
      )
      .inSingletonScope();

    bind(EvaluationAttacks)
      .toResolvedValue(
        (registry: AttackRegistry, resolved: Resolved) => {
          const attacks = createEvaluationAttacks(spec.evaluation.attacks, registry, (name) => ({ seed: deriveSeed(spec.seed, 'evaluation', name) }));
          for (const attack of attacks) resolved.set(`evaluation.${attack.id}`, { id: attack.plugin ?? attack.id, options: attack.options ?? null });
          return attacks;
        },
        [AttackRegistry, ResolvedOptions],
      )
      .inSingletonScope();

    if (spec.teacher) {
      const teacher = spec.teacher;
      bind<Model | null>(TeacherModel)
        .toResolvedValue(
          (registry: ModelRegistry, dataset: Dataset, resolved: Resolved) => {
            const context = { seed: deriveSeed(spec.seed, 'teacher'), numClasses: dataset.numClasses, inputShape: dataset.inputShape };
            const made = instantiatePlugin(registry, teacher.model, context, 'teacher.model');
            resolved.set('teacher.model', { id: made.id, options: made.options });
            return made.instance;
          },
          [ModelRegistry, Dataset, ResolvedOptions],
        )
        .inSingletonScope()
        .onDeactivation((model) => {
          model?.dispose();
        });
    } else {
      bind<Model | null>(TeacherModel).toConstantValue(null);
    }
    const distiller = spec.distiller;
    if (distiller) {
      bind<Distiller | null>(ArmDistiller)
        .toResolvedValue(
          (registry: DistillerRegistry, resolved: Resolved) => {
            const made = instantiatePlugin(registry, distiller, { seed: deriveSeed(spec.seed, 'distiller') }, 'distiller');
            resolved.set('distiller', { id: made.id, options: made.options });
            return made.instance;
          },
          [DistillerRegistry, ResolvedOptions],
        )
        .inSingletonScope();
    } else {
      bind<Distiller | null>(ArmDistiller).toConstantValue(null);
    }

    // Bound per arm on purpose: a root singleton would keep the first arm's model (B10.14).
    bind(ExperimentRunner).toSelf().inSingletonScope();
  });
}
