// @robustfair/attacks: L∞ FGSM and PGD on a per-sample ε, and the objectives they maximise.
export { createFgsmAttack, fgsmAttackDefaults, type FgsmAttackOptions } from './fgsm/fgsm-attack.js';
export { fgsmOptionsSchema, fgsmPlugin, type FgsmPluginOptions } from './fgsm/fgsm-plugin.js';
export { createPgdAttack, pgdAttackDefaults, type PgdAttackOptions } from './pgd/pgd-attack.js';
export { pgdOptionsSchema, pgdPlugin, type PgdPluginOptions } from './pgd/pgd-plugin.js';
export { crossEntropyObjective } from './objectives/cross-entropy-objective.js';
export { createKlToTargetObjective } from './objectives/kl-to-target-objective.js';
export { attackObjectiveIds, type AttackObjectiveId } from './objectives/attack-objective-id.js';
export { builtinAttacks } from './builtin-attacks.js';
