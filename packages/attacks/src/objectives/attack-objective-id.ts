import type { AttackObjective } from '@robustfair/spec';
import { crossEntropyObjective } from './cross-entropy-objective.js';
import { createCwMarginObjective } from './cw-margin-objective.js';
import { dlrObjective } from './dlr-objective.js';

/**
 * Objectives an attack can be configured with by name (a config value); `request.objective`
 * overrides it. `cw-margin` reads the `confidence` (κ) option; `dlr` needs ≥ 3 classes.
 */
export const attackObjectiveIds = ['cross-entropy', 'cw-margin', 'dlr'] as const;

/** A named attack objective, as written in attack options. */
export type AttackObjectiveId = (typeof attackObjectiveIds)[number];

/** Settings some named objectives read. */
export interface AttackObjectiveSettings {
  /** κ of `cw-margin` (default 0). */
  readonly confidence?: number;
}

/** The objective function for a configured name. */
export function resolveAttackObjective(id: AttackObjectiveId, settings: AttackObjectiveSettings = {}): AttackObjective {
  switch (id) {
    case 'cross-entropy':
      return crossEntropyObjective;
    case 'cw-margin':
      return createCwMarginObjective(settings.confidence === undefined ? {} : { confidence: settings.confidence });
    case 'dlr':
      return dlrObjective;
  }
}
