// @robustfair/attacks: attacks on a per-sample ε (FGSM, PGD L∞/L2, APGD, APGD-T, FAB-T, Square,
// AutoAttack, FAT), their objectives, the evaluation presets and the evaluation suite.
export { createFgsmAttack, fgsmAttackDefaults, type FgsmAttackOptions } from './fgsm/fgsm-attack.js';
export { fgsmOptionsSchema, fgsmPlugin, type FgsmPluginOptions } from './fgsm/fgsm-plugin.js';
export { createPgdAttack, pgdAttackDefaults, type PgdAttackOptions } from './pgd/pgd-attack.js';
export { pgdOptionsSchema, pgdPlugin, type PgdPluginOptions } from './pgd/pgd-plugin.js';
export { createPgdL2Attack, pgdL2AttackDefaults, type PgdL2AttackOptions } from './pgd-l2/pgd-l2-attack.js';
export { pgdL2OptionsSchema, pgdL2Plugin, type PgdL2PluginOptions } from './pgd-l2/pgd-l2-plugin.js';
export {
  apgdAttackDefaults,
  apgdTargetedAttackDefaults,
  createApgdAttack,
  createApgdTargetedAttack,
  type ApgdAttackOptions,
  type ApgdCommonOptions,
  type ApgdLoss,
  type ApgdTargetedAttackOptions,
} from './apgd/apgd-attack.js';
export { apgdCheckpoints } from './apgd/run-apgd.js';
export {
  apgdCePlugin,
  apgdDlrPlugin,
  apgdOptionsSchema,
  apgdTargetedOptionsSchema,
  apgdTargetedPlugin,
  type ApgdPluginOptions,
  type ApgdTargetedPluginOptions,
} from './apgd/apgd-plugins.js';
export { createFabTargetedAttack, fabTargetedAttackDefaults, type FabTargetedAttackOptions } from './fab/fab-targeted-attack.js';
export { fabTargetedOptionsSchema, fabTargetedPlugin, type FabTargetedPluginOptions } from './fab/fab-targeted-plugin.js';
export { projectionLinf } from './fab/projection-linf.js';
export { createSquareAttack, squareAttackDefaults, squareFraction, squareSide, type SquareAttackOptions } from './square/square-attack.js';
export { squareOptionsSchema, squarePlugin, type SquarePluginOptions } from './square/square-plugin.js';
export {
  autoAttackDefaults,
  autoAttackStages,
  createAutoAttack,
  type AutoAttackOptions,
  type AutoAttackVersion,
} from './autoattack/auto-attack.js';
export { autoAttackOptionsSchema, autoAttackPlugin, type AutoAttackPluginOptions } from './autoattack/auto-attack-plugin.js';
export { createFatAttack, fatAttackDefaults, type FatAttackOptions, type FatFreezeRule } from './fat/fat-attack.js';
export { fatOptionsSchema, fatPlugin, type FatPluginOptions } from './fat/fat-plugin.js';
export { attackNorms, type AttackNorm } from './norms/ball-geometry.js';
export { crossEntropyObjective } from './objectives/cross-entropy-objective.js';
export { createKlToTargetObjective } from './objectives/kl-to-target-objective.js';
export { createCwMarginObjective, type CwMarginObjectiveOptions } from './objectives/cw-margin-objective.js';
export { createTargetedDlrObjective, dlrObjective } from './objectives/dlr-objective.js';
export {
  attackObjectiveIds,
  resolveAttackObjective,
  type AttackObjectiveId,
  type AttackObjectiveSettings,
} from './objectives/attack-objective-id.js';
export { builtinAttacks } from './builtin-attacks.js';
export {
  attackPresetIds,
  attackPresets,
  createPresetAttack,
  type AttackPreset,
  type CreatePresetAttackOptions,
  type PresetAttack,
  type ThreatModel,
} from './presets/attack-presets.js';
export {
  countByClass,
  runEvaluationSuite,
  type EvaluationSuiteOptions,
  type SuiteAttack,
  type SuiteProgress,
} from './suite/run-evaluation-suite.js';
export {
  cleanRowId,
  worstCaseRowId,
  type EvaluatedAttack,
  type EvaluationReport,
  type EvaluationRow,
  type SanityFlag,
  type SanityFlagId,
} from './suite/evaluation-report.js';
export { checkBlackBoxStronger, checkModelOnBatch } from './suite/sanity-checks.js';
export { formatEvaluationCsv, formatEvaluationJson } from './suite/write-evaluation-report.js';
