import { parseOptions } from '@robustfair/core';
import { InvalidOptionsError } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../builtin-models.js';
import { mobileNetV2Plugin } from '../mobilenet-v2/mobilenet-v2-plugin.js';
import { countParameters } from '../parameter-count.js';
import { preActResNet18Plugin } from '../preact-resnet/preact-resnet18-plugin.js';
import { resNet18Plugin } from '../resnet/resnet18-plugin.js';
import { dmWideResNetPlugin } from '../wide-resnet/dm-wide-resnet-plugin.js';
import { wideResNetPlugin } from '../wide-resnet/wide-resnet-plugin.js';
import { cifar10Normalization } from './input-normalization.js';

const context = { numClasses: 4, inputShape: [8, 8, 3] as const, seed: 3 };

describe('model plugins', () => {
  it('are all listed once in builtinModels', () => {
    expect(builtinModels.map((plugin) => plugin.id)).toEqual(['small-cnn', 'resnet18', 'preact-resnet18', 'mobilenet-v2', 'wide-resnet', 'dm-wide-resnet']);
  });

  it('default to the papers’ full-size settings', () => {
    expect(parseOptions(resNet18Plugin.optionsSchema, {}, 'resnet18 options')).toEqual({ width: 64 });
    expect(parseOptions(preActResNet18Plugin.optionsSchema, {}, 'o')).toEqual({ width: 64, finalBatchNorm: true });
    expect(parseOptions(mobileNetV2Plugin.optionsSchema, {}, 'o')).toEqual({ width: 32 });
    expect(parseOptions(wideResNetPlugin.optionsSchema, {}, 'o')).toEqual({ depth: 34, widenFactor: 10, width: 16 });
    expect(parseOptions(dmWideResNetPlugin.optionsSchema, {}, 'o')).toEqual({
      depth: 70,
      widenFactor: 16,
      width: 16,
      activation: 'swish',
      normalization: { mean: [0.4914, 0.4822, 0.4465], std: [0.2471, 0.2435, 0.2616] },
    });
  });

  it('reject bad or unknown options by field', () => {
    expect(() => parseOptions(wideResNetPlugin.optionsSchema, { depth: 33 }, 'wide-resnet options')).toThrow(InvalidOptionsError);
    expect(() => parseOptions(wideResNetPlugin.optionsSchema, { depth: 33 }, 'wide-resnet options')).toThrow(/depth: must be 6n \+ 4/);
    expect(() => parseOptions(resNet18Plugin.optionsSchema, { widthMultiplier: 2 }, 'resnet18 options')).toThrow(/unknown field\(s\) 'widthMultiplier'/);
    expect(() => parseOptions(mobileNetV2Plugin.optionsSchema, { normalization: { mean: [0], std: [0] } }, 'o')).toThrow(/normalization\.std/);
    expect(() => parseOptions(dmWideResNetPlugin.optionsSchema, { activation: 'gelu' }, 'o')).toThrow(/activation/);
  });

  it('create models from options and the context', () => {
    const models = [
      resNet18Plugin.create(parseOptions(resNet18Plugin.optionsSchema, { width: 2 }, 'o'), context),
      preActResNet18Plugin.create(parseOptions(preActResNet18Plugin.optionsSchema, { width: 2, finalBatchNorm: false }, 'o'), context),
      mobileNetV2Plugin.create(parseOptions(mobileNetV2Plugin.optionsSchema, { width: 4, normalization: cifar10Normalization }, 'o'), context),
      wideResNetPlugin.create(parseOptions(wideResNetPlugin.optionsSchema, { depth: 10, widenFactor: 1, width: 2 }, 'o'), context),
      dmWideResNetPlugin.create(parseOptions(dmWideResNetPlugin.optionsSchema, { depth: 10, widenFactor: 1, width: 2, normalization: null }, 'o'), context),
    ];
    for (const model of models) {
      expect(model.numClasses).toBe(4);
      expect(model.inputShape).toEqual([8, 8, 3]);
      expect(countParameters(model)).toBeGreaterThan(0);
      model.dispose();
    }
    // wide-resnet 10-1 at width 2, by hand: conv1 54; one block per group with a shortcut except
    // the first (2 → 2): group1 4 + 36 + 4 + 36 = 80; group2 (2 → 4) 4 + 72 + 8 + 144 + 8 = 236;
    // group3 (4 → 8) 8 + 288 + 16 + 576 + 32 = 920; bn1 16; fc 8·4 + 4 = 36.
    const wide = wideResNetPlugin.create(parseOptions(wideResNetPlugin.optionsSchema, { depth: 10, widenFactor: 1, width: 2 }, 'o'), context);
    expect(countParameters(wide)).toBe(54 + 80 + 236 + 920 + 16 + 36);
    wide.dispose();
  });
});
