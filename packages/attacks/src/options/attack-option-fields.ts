import type { AttackInit, ModelMode } from '@robustfair/spec';
import { z } from 'zod';
import { attackNorms } from '../norms/ball-geometry.js';
import { attackObjectiveIds } from '../objectives/attack-objective-id.js';

/** `init`: no noise, U(−ε, ε) then clipped to bounds, or 0.001·N(0, 1) unclipped (docs/methods/conventions.md, PGD-CE and the TRADES KL attack). */
export const attackInitSchema = z.enum(['none', 'uniform', 'gaussian'] as const satisfies readonly AttackInit[]);

/** `modelMode`: eval leaves batch-norm running statistics untouched; train is for ARD, Fair-ARD, CFA. */
export const modelModeSchema = z.enum(['eval', 'train'] as const satisfies readonly ModelMode[]);

/** `objective`: the attack's own objective by name. */
export const attackObjectiveSchema = z.enum(attackObjectiveIds);

/** `restarts`: independent runs, the strongest result per sample is kept. */
export const restartsSchema = z.number().int().min(1);

/** `steps`: iterations of an iterative attack. */
export const stepsSchema = z.number().int().min(1);

/** `confidence`: κ of the CW margin objective, in logit units. */
export const confidenceSchema = z.number().min(0);

/** `norm`: the threat model's ball. */
export const attackNormSchema = z.enum(attackNorms);
