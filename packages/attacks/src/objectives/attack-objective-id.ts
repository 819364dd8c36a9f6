import type { AttackObjective } from '@robustfair/spec';
import { crossEntropyObjective } from './cross-entropy-objective.js';

/** Objectives an attack can be configured with by name (a config value); `request.objective` overrides it. */
export const attackObjectiveIds = ['cross-entropy'] as const;

/** A named attack objective, as written in attack options. */
export type AttackObjectiveId = (typeof attackObjectiveIds)[number];

const objectivesById: Readonly<Record<AttackObjectiveId, AttackObjective>> = {
  'cross-entropy': crossEntropyObjective,
};

/** The objective function for a configured name. */
export function resolveAttackObjective(id: AttackObjectiveId): AttackObjective {
  return objectivesById[id];
}
