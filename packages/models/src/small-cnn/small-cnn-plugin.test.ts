import { parseOptions } from '@robustfair/core';
import { InvalidOptionsError } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { countParameters } from '../parameter-count.js';
import { smallCnnPlugin } from './small-cnn-plugin.js';

describe('smallCnnPlugin', () => {
  it('defaults width to 32 and rejects bad or unknown options by field', () => {
    expect(parseOptions(smallCnnPlugin.optionsSchema, {}, 'small-cnn options')).toEqual({ width: 32 });
    expect(() => parseOptions(smallCnnPlugin.optionsSchema, { width: 0 }, 'small-cnn options')).toThrow(InvalidOptionsError);
    expect(() => parseOptions(smallCnnPlugin.optionsSchema, { width: 0 }, 'small-cnn options')).toThrow(/width:/);
    expect(() => parseOptions(smallCnnPlugin.optionsSchema, { depth: 3 }, 'small-cnn options')).toThrow(/unknown field\(s\) 'depth'/);
  });

  it('creates a model from its options and the context', () => {
    const model = smallCnnPlugin.create({ width: 2 }, { numClasses: 4, inputShape: [4, 4, 1], seed: 3 });
    expect(model.numClasses).toBe(4);
    expect(model.inputShape).toEqual([4, 4, 1]);
    // conv1 9·1·2 + bn1 4 + conv2 9·2·4 + bn2 8 + conv3 9·4·8 + bn3 16 + fc 8·4 + 4
    expect(countParameters(model)).toBe(18 + 4 + 72 + 8 + 288 + 16 + 36);
    model.dispose();
  });
});
