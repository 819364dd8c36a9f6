import type { AttackInit, ModelMode } from '@robustfair/spec';
import { z } from 'zod';
import { attackObjectiveIds } from '../objectives/attack-objective-id.js';

/** `init`: no noise, U(−ε, ε) then clipped to bounds, or 0.001·N(0, 1) unclipped (ALGORITHMS 1.1, 1.2). */
export const attackInitSchema = z.enum(['none', 'uniform', 'gaussian'] as const satisfies readonly AttackInit[]);

/** `modelMode`: eval leaves batch-norm running statistics untouched; train is for ARD, Fair-ARD, CFA. */
export const modelModeSchema = z.enum(['eval', 'train'] as const satisfies readonly ModelMode[]);

/** `objective`: the attack's own objective by name. */
export const attackObjectiveSchema = z.enum(attackObjectiveIds);
