import type { AttackObjective } from '@robustfair/spec';
import { crossEntropyPerSample } from '@robustfair/core';

/**
 * The default attack objective: per-sample softmax cross-entropy −log softmax(z)_y on the
 * request's labels (docs/methods/conventions.md#pgd-with-cross-entropy-and-a-uniform-start-pgd-ce). Returns a new [batch] tensor; never disposes its inputs.
 */
export const crossEntropyObjective: AttackObjective = (logits, labels) => crossEntropyPerSample(logits, labels);
