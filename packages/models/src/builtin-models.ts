import type { ModelPlugin } from '@robustfair/spec';
import { smallCnnPlugin } from './small-cnn/small-cnn-plugin.js';

/** Every model plugin this package provides: the one place to add one. */
export const builtinModels: readonly ModelPlugin[] = [smallCnnPlugin];
