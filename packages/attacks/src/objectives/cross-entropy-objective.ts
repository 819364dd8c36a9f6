import type { AttackObjective } from '@robustfair/spec';
import { crossEntropyPerSample } from '@robustfair/core';

/**
 * The default attack objective: per-sample softmax cross-entropy −log softmax(z)_y on the
 * request's labels (ALGORITHMS 1.1). Returns a new [batch] tensor; never disposes its inputs.
 */
export const crossEntropyObjective: AttackObjective = (logits, labels) => crossEntropyPerSample(logits, labels);
