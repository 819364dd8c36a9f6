import type { LayerScope, ModalFeatureMap } from '../architecture/layer-scope.js';

/**
 * `count` blocks in a row, named `0`, `1`, … inside `scope` (a PyTorch `nn.Sequential`); the
 * first one takes `stride` and the input channels, the rest stride 1 (`_make_layer`).
 */
export function stage(
  scope: LayerScope,
  count: number,
  { inputChannels, outputChannels, stride }: { readonly inputChannels: number; readonly outputChannels: number; readonly stride: number },
  makeBlock: (scope: LayerScope, shape: { inputChannels: number; outputChannels: number; stride: number }) => ModalFeatureMap,
): ModalFeatureMap {
  const blocks = Array.from({ length: count }, (_, index) =>
    makeBlock(scope.within(index), { inputChannels: index === 0 ? inputChannels : outputChannels, outputChannels, stride: index === 0 ? stride : 1 }),
  );
  return (inputs, training) => blocks.reduce((features, block) => block(features, training), inputs);
}

