import type { EpochRecord, JsonValue, Model, TrainingCallback } from '@robustfair/spec';
import { captureModelWeights, restoreModelWeights } from '../tensor/model-weights.js';
import type { FitCheckpoint } from './fit-options.js';
import type { SgdOptimizer } from './sgd.js';

/** The whole training state after an epoch: weights, momentum, strategy state, records and callback states. */
export async function captureCheckpoint(
  completedEpochs: number,
  strategyState: JsonValue,
  records: readonly EpochRecord[],
  model: Model,
  optimizer: SgdOptimizer,
  callbacks: readonly TrainingCallback[],
): Promise<FitCheckpoint> {
  const weights = await captureModelWeights(model);
  const callbackStates: Record<string, JsonValue> = {};
  for (const callback of callbacks) if (callback.state) callbackStates[callback.id] = callback.state();
  return { completedEpochs, strategyState, records: [...records], callbackStates, weights, momentum: await optimizer.exportBuffers() };
}

/** Loads a checkpoint into the model, the optimizer and every callback that saved a state. */
export function restoreCheckpoint(checkpoint: FitCheckpoint, model: Model, optimizer: SgdOptimizer, callbacks: readonly TrainingCallback[]): void {
  restoreModelWeights(model, checkpoint.weights);
  optimizer.importBuffers(checkpoint.momentum);
  for (const callback of callbacks) {
    const saved = checkpoint.callbackStates[callback.id];
    if (saved !== undefined) callback.restore?.(saved);
  }
}
