import type { Model } from '@robustfair/spec';

/** Number of trainable scalars (batch-norm running statistics excluded), as PyTorch's `sum(p.numel() for p in model.parameters())`. */
export function countParameters(model: Model): number {
  return model.trainableVariables().reduce((total, variable) => total + variable.size, 0);
}
