import { createSeededRandom } from '@robustfair/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createMobileNetV2 } from '../mobilenet-v2/mobilenet-v2.js';
import { createDmWideResNet } from '../wide-resnet/dm-wide-resnet.js';
import { createWideResNet } from '../wide-resnet/wide-resnet.js';
import { CheckpointMismatchError, importSafetensors } from './import-safetensors.js';

// ---------------------------------------------------------------------------------------------
// Fixture writer: the safetensors layout written by hand (not with the parser under test).
// ---------------------------------------------------------------------------------------------

interface FixtureTensor {
  readonly dtype: 'F32' | 'F16' | 'BF16' | 'I64';
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

/** Exact half-precision bits of values that are k/64 with |k| < 2048 (all the fixture uses). */
function halfBits(value: number): number {
  if (value === 0) return 0;
  const sign = value < 0 ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  const exponent = Math.floor(Math.log2(magnitude));
  const fraction = Math.round((magnitude / 2 ** exponent - 1) * 1024);
  return sign | ((exponent + 15) << 10) | fraction;
}

function writeSafetensors(tensors: ReadonlyMap<string, FixtureTensor>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, { dtype, shape, values }] of tensors) {
    const size = { F32: 4, F16: 2, BF16: 2, I64: 8 }[dtype];
    const bytes = new Uint8Array(values.length * size);
    const view = new DataView(bytes.buffer);
    values.forEach((value, index) => {
      if (dtype === 'F32') view.setFloat32(index * 4, value, true);
      else if (dtype === 'F16') view.setUint16(index * 2, halfBits(value), true);
      else if (dtype === 'BF16') view.setUint16(index * 2, new Uint32Array(new Float32Array([value]).buffer)[0]! >>> 16, true);
      else view.setBigInt64(index * 8, BigInt(value), true);
    });
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  // The format pads the header with spaces to a multiple of 8.
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const file = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(file.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  file.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const chunk of chunks) {
    file.set(chunk, position);
    position += chunk.length;
  }
  return file;
}

// ---------------------------------------------------------------------------------------------
// A WRN state_dict in PyTorch layout, as the TRADES WideResNet class would save it.
// ---------------------------------------------------------------------------------------------

const depth = 16; // (16 − 4) / 6 = 2 blocks per group: one with convShortcut, one identity
const widenFactor = 2;
const width = 4; // channels 4 → 8 → 16 → 32
const numClasses = 5;
const groupChannels: readonly (readonly [number, number, number])[] = [
  [width, width * widenFactor, 1],
  [width * widenFactor, 2 * width * widenFactor, 2],
  [2 * width * widenFactor, 4 * width * widenFactor, 2],
];

function trainingStateDict(seed: number): Map<string, FixtureTensor> {
  const random = createSeededRandom(seed);
  const tensors = new Map<string, FixtureTensor>();
  const size = (shape: readonly number[]) => shape.reduce((product, side) => product * side, 1);
  const add = (name: string, shape: readonly number[], draw: () => number, dtype: FixtureTensor['dtype'] = 'F32') =>
    tensors.set(`module.${name}`, { dtype, shape, values: Array.from({ length: size(shape) }, draw) });
  const weight = (fanIn: number) => () => (2 * random.float() - 1) / Math.sqrt(fanIn);
  const norm = (prefix: string, channels: number, dtype: FixtureTensor['dtype'] = 'F32') => {
    add(`${prefix}.weight`, [channels], () => 0.5 + random.float());
    // k/64 values: exact in F16 and BF16, so the reference can use them unrounded.
    add(`${prefix}.bias`, [channels], () => Math.round(random.float() * 64 - 32) / 64, dtype);
    add(`${prefix}.running_mean`, [channels], () => 0.4 * random.float() - 0.2);
    add(`${prefix}.running_var`, [channels], () => 0.5 + random.float());
    add(`${prefix}.num_batches_tracked`, [], () => 391, 'I64');
  };
  const block = (prefix: string, input: number, output: number) => {
    norm(`${prefix}.bn1`, input);
    add(`${prefix}.conv1.weight`, [output, input, 3, 3], weight(9 * input));
    norm(`${prefix}.bn2`, output);
    add(`${prefix}.conv2.weight`, [output, output, 3, 3], weight(9 * output));
    if (input !== output) add(`${prefix}.convShortcut.weight`, [output, input, 1, 1], weight(input));
  };
  add('conv1.weight', [width, 3, 3, 3], weight(27));
  const groups = (name: string, index: number) => {
    const [input, output] = groupChannels[index]!;
    block(`${name}.layer.0`, input, output);
    block(`${name}.layer.1`, output, output);
  };
  groups('block1', 0);
  groups('sub_block1', 0); // in the file, never used
  groups('block2', 1);
  groups('block3', 2);
  norm('bn1', 4 * width * widenFactor, 'BF16');
  add('fc.weight', [numClasses, 4 * width * widenFactor], weight(32));
  add('fc.bias', [numClasses], () => Math.round(random.float() * 64 - 32) / 64, 'F16');
  return tensors;
}

// ---------------------------------------------------------------------------------------------
// Independent reference: the TRADES WideResNet forward in plain JS over NCHW arrays and the
// PyTorch-layout tensors (no TF.js, no code of this package).
// ---------------------------------------------------------------------------------------------

type Image = number[][][]; // [channel][row][column]

/** `padding`: p on every side, or [before, after] for top/left and bottom/right (F.pad (0, 1, 0, 1) is [0, 1]). */
function referenceConvolution(input: Image, tensor: FixtureTensor, stride: number, padding: number | readonly [number, number]): Image {
  const [outputs, inputs, kernel] = tensor.shape as [number, number, number, number];
  const height = input[0]!.length;
  const [before, after] = typeof padding === 'number' ? [padding, padding] : padding;
  const side = Math.floor((height + before + after - kernel) / stride) + 1;
  const weight = (o: number, i: number, a: number, b: number) => tensor.values[((o * inputs + i) * kernel + a) * kernel + b]!;
  return Array.from({ length: outputs }, (_, o) =>
    Array.from({ length: side }, (_, row) =>
      Array.from({ length: side }, (_, column) => {
        let total = 0;
        for (let i = 0; i < inputs; i++) {
          for (let a = 0; a < kernel; a++) {
            for (let b = 0; b < kernel; b++) {
              const y = stride * row + a - before;
              const x = stride * column + b - before;
              if (y >= 0 && y < height && x >= 0 && x < height) total += input[i]![y]![x]! * weight(o, i, a, b);
            }
          }
        }
        return total;
      }),
    ),
  );
}

function referenceForward(state: ReadonlyMap<string, FixtureTensor>, image: Image): number[] {
  const get = (name: string) => state.get(`module.${name}`)!;
  const normRelu = (input: Image, prefix: string): Image =>
    input.map((plane, channel) => {
      const [gamma, beta, mean, variance] = ['weight', 'bias', 'running_mean', 'running_var'].map((field) => get(`${prefix}.${field}`).values[channel]!);
      return plane.map((line) => line.map((value) => Math.max(0, ((value - mean!) / Math.sqrt(variance! + 1e-5)) * gamma! + beta!)));
    });
  const add = (first: Image, second: Image) => first.map((plane, c) => plane.map((line, y) => line.map((value, x) => value + second[c]![y]![x]!)));
  const block = (x: Image, prefix: string, stride: number): Image => {
    const shortcut = state.get(`module.${prefix}.convShortcut.weight`);
    // TRADES BasicBlock.forward: with a shortcut conv, x itself is replaced by relu(bn1(x)).
    const activated = normRelu(x, `${prefix}.bn1`);
    const out = referenceConvolution(normRelu(referenceConvolution(activated, get(`${prefix}.conv1.weight`), stride, 1), `${prefix}.bn2`), get(`${prefix}.conv2.weight`), 1, 1);
    return add(shortcut === undefined ? x : referenceConvolution(activated, shortcut, stride, 0), out);
  };
  let features = referenceConvolution(image, get('conv1.weight'), 1, 1);
  ['block1', 'block2', 'block3'].forEach((group, index) => {
    features = block(features, `${group}.layer.0`, groupChannels[index]![2]);
    features = block(features, `${group}.layer.1`, 1);
  });
  features = normRelu(features, 'bn1');
  const pooled = features.map((plane) => plane.flat().reduce((total, value) => total + value, 0) / plane.flat().length);
  const fcWeight = get('fc.weight');
  return Array.from({ length: numClasses }, (_, o) => pooled.reduce((total, value, i) => total + value * fcWeight.values[o * pooled.length + i]!, get('fc.bias').values[o]!));
}

/**
 * The DeepMind WRN forward (RSLAD `cifar100_models/wideresnet.py`) in plain JS: (x − mean)/std,
 * `init_conv`, blocks that pad (1,1,1,1) at stride 1 and (0,1,0,1) at stride 2 before a
 * padding-0 conv, Swish, `batchnorm`, mean pool, `logits`. One block per group (depth 10).
 */
function referenceDmForward(state: ReadonlyMap<string, FixtureTensor>, image: Image, mean: readonly number[], std: readonly number[]): number[] {
  const get = (name: string) => state.get(name)!;
  const swish = (value: number) => value / (1 + Math.exp(-value));
  const normSwish = (input: Image, prefix: string): Image =>
    input.map((plane, channel) => {
      const [gamma, beta, runningMean, variance] = ['weight', 'bias', 'running_mean', 'running_var'].map((field) => get(`${prefix}.${field}`).values[channel]!);
      return plane.map((line) => line.map((value) => swish(((value - runningMean!) / Math.sqrt(variance! + 1e-5)) * gamma! + beta!)));
    });
  const add = (first: Image, second: Image) => first.map((plane, c) => plane.map((line, y) => line.map((value, x) => value + second[c]![y]![x]!)));
  let features = referenceConvolution(
    image.map((plane, c) => plane.map((line) => line.map((value) => (value - mean[c]!) / std[c]!))),
    get('init_conv.weight'),
    1,
    1,
  );
  [1, 2, 2].forEach((stride, group) => {
    const prefix = `layer.${group}.block.0`;
    const shortcut = state.get(`${prefix}.shortcut.weight`);
    const activated = normSwish(features, `${prefix}.batchnorm_0`);
    const hidden = referenceConvolution(activated, get(`${prefix}.conv_0.weight`), stride, stride === 1 ? 1 : [0, 1]);
    const out = referenceConvolution(normSwish(hidden, `${prefix}.batchnorm_1`), get(`${prefix}.conv_1.weight`), 1, 1);
    features = add(shortcut === undefined ? features : referenceConvolution(activated, shortcut, stride, 0), out);
  });
  features = normSwish(features, 'batchnorm');
  const pooled = features.map((plane) => plane.flat().reduce((total, value) => total + value, 0) / plane.flat().length);
  const weight = get('logits.weight');
  return Array.from({ length: weight.shape[0]! }, (_, o) => pooled.reduce((total, value, i) => total + value * weight.values[o * pooled.length + i]!, get('logits.bias').values[o]!));
}

describe(importSafetensors, () => {
  const size = 8;
  const pixels = (() => {
    const random = createSeededRandom(99);
    return Array.from({ length: 2 * size * size * 3 }, () => random.float());
  })();
  /** NHWC pixel [n][y][x][c] as NCHW image n. */
  const nchw = (n: number): Image =>
    Array.from({ length: 3 }, (_, c) => Array.from({ length: size }, (_, y) => Array.from({ length: size }, (_, x) => pixels[((n * size + y) * size + x) * 3 + c]!)));

  it('loads a PyTorch-layout WRN (module. prefix, num_batches_tracked, unused sub_block1, F16/BF16) and gives the reference logits', () => {
    const state = trainingStateDict(7);
    const model = createWideResNet({ numClasses, inputShape: [size, size, 3], seed: 1, depth, widenFactor, width });
    const report = importSafetensors(model, writeSafetensors(state), { architecture: 'wide-resnet' });
    expect(report.loaded).toHaveLength(model.namedVariables().length);
    expect(report.ignored.filter((key) => key.startsWith('module.sub_block1.'))).toHaveLength(
      [...state.keys()].filter((key) => key.startsWith('module.sub_block1.')).length,
    );
    expect(report.ignored).toContain('module.block2.layer.0.bn2.num_batches_tracked');

    const x = tf.tensor4d(pixels, [2, size, size, 3]);
    const logits = model.logits(x, { training: false });
    const actual = logits.dataSync();
    for (let n = 0; n < 2; n++) {
      const expected = referenceForward(state, nchw(n));
      expected.forEach((value, o) => expect(Math.abs(actual[n * numClasses + o]! - value), `image ${n} class ${o}: ${actual[n * numClasses + o]} vs ${value}`).toBeLessThan(1e-4 * (1 + Math.abs(value))));
    }
    // The logits are not trivially alike (the check above would pass weakly on a constant model).
    expect(new Set(Array.from(actual).map((value) => value.toFixed(3))).size).toBeGreaterThan(5);
    tf.dispose([x, logits]);
    model.dispose();
  });

  it('loads a PyTorch-layout DeepMind WRN (Swish, asymmetric stride-2 padding, normalisation inside) and gives the reference logits', () => {
    const random = createSeededRandom(21);
    const state = new Map<string, FixtureTensor>();
    const add = (name: string, shape: readonly number[], draw: () => number) =>
      state.set(name, { dtype: 'F32', shape, values: Array.from({ length: shape.reduce((product, side) => product * side, 1) }, draw) });
    const weight = (fanIn: number) => () => (2 * random.float() - 1) * (1.5 / Math.sqrt(fanIn));
    const norm = (prefix: string, channels: number) => {
      add(`${prefix}.weight`, [channels], () => 0.5 + random.float());
      add(`${prefix}.bias`, [channels], () => random.float() - 0.5);
      add(`${prefix}.running_mean`, [channels], () => random.float() - 0.5);
      add(`${prefix}.running_var`, [channels], () => 0.5 + random.float());
      state.set(`${prefix}.num_batches_tracked`, { dtype: 'I64', shape: [], values: [7] });
    };
    add('init_conv.weight', [4, 3, 3, 3], weight(27));
    for (const [group, input, output] of [[0, 4, 4], [1, 4, 8], [2, 8, 16]] as const) {
      const prefix = `layer.${group}.block.0`;
      norm(`${prefix}.batchnorm_0`, input);
      add(`${prefix}.conv_0.weight`, [output, input, 3, 3], weight(9 * input));
      norm(`${prefix}.batchnorm_1`, output);
      add(`${prefix}.conv_1.weight`, [output, output, 3, 3], weight(9 * output));
      if (input !== output) add(`${prefix}.shortcut.weight`, [output, input, 1, 1], weight(input));
    }
    norm('batchnorm', 16);
    add('logits.weight', [numClasses, 16], weight(16));
    add('logits.bias', [numClasses], () => random.float() - 0.5);
    const normalization = { mean: [0.4914, 0.4822, 0.4465], std: [0.2471, 0.2435, 0.2616] };
    const model = createDmWideResNet({ numClasses, inputShape: [size, size, 3], seed: 1, depth: 10, widenFactor: 1, width: 4, normalization });
    importSafetensors(model, writeSafetensors(state), { architecture: 'dm-wide-resnet' });
    const x = tf.tensor4d(pixels, [2, size, size, 3]);
    const logits = model.logits(x, { training: false });
    const actual = logits.dataSync();
    for (let n = 0; n < 2; n++) {
      const expected = referenceDmForward(state, nchw(n), normalization.mean, normalization.std);
      expected.forEach((value, o) => expect(Math.abs(actual[n * numClasses + o]! - value), `image ${n} class ${o}: ${actual[n * numClasses + o]} vs ${value}`).toBeLessThan(1e-4 * (1 + Math.abs(value))));
    }
    tf.dispose([x, logits]);
    model.dispose();
  });

  it('lists every missing, unexpected and mis-shaped key in one error and loads nothing', () => {
    const state = trainingStateDict(8);
    state.delete('module.block2.layer.1.conv2.weight');
    state.delete('module.fc.bias');
    state.set('module.block4.layer.0.conv1.weight', { dtype: 'F32', shape: [1], values: [0] });
    const wrong = state.get('module.block1.layer.0.conv1.weight')!;
    state.set('module.block1.layer.0.conv1.weight', { ...wrong, shape: [wrong.shape[1]!, wrong.shape[0]!, 3, 3] }); // transposed I/O
    const model = createWideResNet({ numClasses, inputShape: [size, size, 3], seed: 1, depth, widenFactor, width });
    const before = model.namedVariables().map(({ variable }) => Array.from(variable.dataSync()));
    let error: unknown;
    try {
      importSafetensors(model, writeSafetensors(state), { architecture: 'wide-resnet' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CheckpointMismatchError);
    const mismatch = error as CheckpointMismatchError;
    expect(mismatch.missing).toEqual(['block2.layer.1.conv2.weight', 'fc.bias']);
    expect(mismatch.unexpected).toEqual(['module.block4.layer.0.conv1.weight']);
    expect(mismatch.mismatched).toEqual(['block1.layer.0.conv1.weight: checkpoint [4, 8, 3, 3], model expects [8, 4, 3, 3] in PyTorch layout ([3, 3, 4, 8] here)']);
    expect(mismatch.message).toMatch(/missing from the checkpoint \(2\)[\s\S]*unexpected in the checkpoint \(1\)[\s\S]*mismatched \(1\)/);
    expect(model.namedVariables().map(({ variable }) => Array.from(variable.dataSync()))).toEqual(before);
    model.dispose();
  });

  // Issue 13 item 7: a diverged (NaN) teacher is refused by name, not distilled from.
  it('refuses a teacher with a non-finite value, naming the file and the tensor, and loads nothing', () => {
    const state = trainingStateDict(8);
    const weight = state.get('module.fc.weight')!;
    state.set('module.fc.weight', { ...weight, values: weight.values.map((value, index) => (index === 1 ? Number.NaN : value)) });
    const model = createWideResNet({ numClasses, inputShape: [size, size, 3], seed: 1, depth, widenFactor, width });
    const before = model.namedVariables().map(({ variable }) => Array.from(variable.dataSync()));
    expect(() => importSafetensors(model, writeSafetensors(state), { architecture: 'wide-resnet', source: 'teacher.safetensors' })).toThrow(
      /^teacher\.safetensors: checkpoint does not match[\s\S]*fc\.weight: holds a value that is not finite/,
    );
    expect(model.namedVariables().map(({ variable }) => Array.from(variable.dataSync()))).toEqual(before);
    model.dispose();
  });

  it('refuses the sub_block1 keys for an architecture whose ignore-list lacks them', () => {
    const state = trainingStateDict(9);
    const model = createWideResNet({ numClasses, inputShape: [size, size, 3], seed: 1, depth, widenFactor, width });
    expect(() => importSafetensors(model, writeSafetensors(state), { architecture: 'dm-wide-resnet' })).toThrow(/unexpected in the checkpoint[\s\S]*module\.sub_block1\.layer\.0\.conv1\.weight/);
    model.dispose();
  });

  it('maps depthwise [C, 1, k, k], conv OIHW and linear [out, in] to our layouts (MobileNetV2)', () => {
    const model = createMobileNetV2({ numClasses: 3, inputShape: [8, 8, 3], seed: 2, width: 4 });
    // PyTorch shapes from ours, written out per layout; values = flat index / 1000 in PyTorch order.
    const pytorchShape = (name: string, shape: readonly number[]) => {
      if (shape.length === 4) {
        const [h, w, i, o] = shape as [number, number, number, number];
        return /^layers\.\d+\.conv2\.weight$/.test(name) ? [i, o, h, w] : [o, i, h, w];
      }
      return shape.length === 2 ? [shape[1]!, shape[0]!] : [...shape];
    };
    const state = new Map<string, FixtureTensor>();
    for (const { name, variable } of model.namedVariables()) {
      const shape = pytorchShape(name, variable.shape);
      state.set(name, { dtype: 'F32', shape, values: Array.from({ length: variable.size }, (_, index) => index / 1000) });
    }
    importSafetensors(model, writeSafetensors(state), { architecture: 'mobilenet-v2' });
    const byName = new Map(model.namedVariables().map(({ name, variable }) => [name, variable]));
    const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 6);
    // Depthwise layers.1.conv2: ours [kh, kw, C, 1][a][b][c][0] = PyTorch [C, 1, kh, kw][c][0][a][b].
    const depthwise = byName.get('layers.1.conv2.weight')!;
    const [, , channels] = depthwise.shape as [number, number, number, number];
    const depthwiseValues = depthwise.dataSync();
    for (const [a, b, c] of [[0, 0, 0], [2, 1, 5], [1, 2, channels - 1]] as const) close(depthwiseValues[(a * 3 + b) * channels + c]!, ((c * 3 + a) * 3 + b) / 1000);
    // Conv conv1 (3×3, 3 → 4): ours [a][b][i][o] = PyTorch [o][i][a][b].
    const conv = byName.get('conv1.weight')!.dataSync();
    for (const [a, b, i, o] of [[0, 1, 2, 3], [2, 2, 0, 1]] as const) close(conv[((a * 3 + b) * 3 + i) * 4 + o]!, (((o * 3 + i) * 3 + a) * 3 + b) / 1000);
    // Linear (40 → 3): ours [i][o] = PyTorch [o][i].
    const [features] = byName.get('linear.weight')!.shape as [number, number];
    const linear = byName.get('linear.weight')!.dataSync();
    close(linear[7 * 3 + 2]!, (2 * features + 7) / 1000);
    model.dispose();
  });
});
