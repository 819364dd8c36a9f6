import { token, type Distiller, type Model, type Token } from '@robustfair/spec';
import type * as config from './config/experiment-spec.js';
import type * as progress from './progress/progress-reporter.js';

// Runner-internal tokens (HOUSE-STYLE B4): the plugin contract tokens live in @robustfair/spec.
export type ExperimentSpec = config.ExperimentSpec;
export const ExperimentSpec = token<ExperimentSpec>('runner.ExperimentSpec');
export type ProgressReporter = progress.ProgressReporter;
export const ProgressReporter = token<ProgressReporter>('runner.ProgressReporter');
/** Resolved options of every plugin an arm created, keyed by config field, for results. */
export const ResolvedOptions = token<Map<string, { id: string; options: unknown }>>('runner.ResolvedOptions');
/** The evaluation attacks of an arm, created from `evaluation.attacks` (presets or plugins). */
export const EvaluationAttacks = token<readonly import('@robustfair/attacks').SuiteAttack[]>('runner.EvaluationAttacks');
/** The frozen teacher of a distillation arm, or null when the arm has none. */
export const TeacherModel: Token<Model | null> = token<Model | null>('runner.TeacherModel');
/** The arm's distiller, or null when it trains with an objective. */
export const ArmDistiller: Token<Distiller | null> = token<Distiller | null>('runner.ArmDistiller');
