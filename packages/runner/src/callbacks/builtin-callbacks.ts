import type { CallbackPlugin } from '@robustfair/spec';
import { checkpointSelectionPlugin } from './checkpoint-selection.js';
import { weightAveragingPlugin } from './weight-averaging.js';

/** The built-in training callbacks: the single registration list (bound by `callbacksModule`). */
export const builtinCallbacks: readonly CallbackPlugin[] = [checkpointSelectionPlugin, weightAveragingPlugin];
