import { deriveSeed } from '@robustfair/core';
import type { NamedVariable } from '@robustfair/spec';
import type * as tf from '@tensorflow/tfjs-core';
import { type BatchNormOptions, createBatchNorm } from '../layers/batch-norm.js';
import { type Conv2dOptions, createConv2d } from '../layers/conv2d.js';
import { createDense, type DenseOptions } from '../layers/dense.js';
import { createDepthwiseConv2d, type DepthwiseConv2dOptions } from '../layers/depthwise-conv2d.js';

/** A map of NHWC feature maps (a convolution, a block without batch norm). */
export type FeatureMap = (inputs: tf.Tensor4D) => tf.Tensor4D;
/** A map of NHWC feature maps that depends on the mode (anything with batch norm inside). */
export type ModalFeatureMap = (inputs: tf.Tensor4D, training: boolean) => tf.Tensor4D;
/** A map of `[batch, features]` matrices. */
export type LinearMap = (inputs: tf.Tensor2D) => tf.Tensor2D;

/** A parameter's PyTorch name, TF.js shape and trainability, without values. */
export interface ParameterShape {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
}

/**
 * Where architectures declare their layers. Names are PyTorch `state_dict` prefixes
 * (`within('layer1').within(0).conv2d('conv1', …)` owns `layer1.0.conv1.weight`), and layers
 * must be declared in the PyTorch module's registration order so `namedVariables()` lists them
 * in `state_dict` order. Seeds are derived from the full name, so adding a layer elsewhere does
 * not change the initial weights of the others.
 *
 * The same architecture code runs against an allocating scope (a real model) or a
 * shape-recording one (`parameterShapes`, which allocates nothing: WRN-70-16 has 267 M floats).
 */
export interface LayerScope {
  /** A scope whose names are prefixed with `prefix.`. */
  within(prefix: string | number): LayerScope;
  conv2d(name: string, options: Omit<Conv2dOptions, 'seed'>): FeatureMap;
  depthwiseConv2d(name: string, options: Omit<DepthwiseConv2dOptions, 'seed'>): FeatureMap;
  batchNorm(name: string, options: BatchNormOptions): ModalFeatureMap;
  dense(name: string, options: Omit<DenseOptions, 'seed'>): LinearMap;
}

/** What a scope hands its layers to; the two implementations below allocate or only record. */
interface LayerSink {
  conv2d(name: string, options: Omit<Conv2dOptions, 'seed'>): FeatureMap;
  depthwiseConv2d(name: string, options: Omit<DepthwiseConv2dOptions, 'seed'>): FeatureMap;
  batchNorm(name: string, options: BatchNormOptions): ModalFeatureMap;
  dense(name: string, options: Omit<DenseOptions, 'seed'>): LinearMap;
}

const joinName = (prefix: string, name: string | number) => (prefix === '' ? String(name) : `${prefix}.${name}`);

function scopeOver(sink: LayerSink, prefix: string): LayerScope {
  return {
    within: (inner) => scopeOver(sink, joinName(prefix, inner)),
    conv2d: (name, options) => sink.conv2d(joinName(prefix, name), options),
    depthwiseConv2d: (name, options) => sink.depthwiseConv2d(joinName(prefix, name), options),
    batchNorm: (name, options) => sink.batchNorm(joinName(prefix, name), options),
    dense: (name, options) => sink.dense(joinName(prefix, name), options),
  };
}

/** A scope that creates real layers; `named` lists their variables, `dispose` frees them all. */
export function createAllocatingScope(seed: number): { readonly scope: LayerScope; readonly named: NamedVariable[]; dispose(): void } {
  const named: NamedVariable[] = [];
  const owned: { dispose(): void }[] = [];
  const adopt = <L extends { variables(): readonly NamedVariable[]; dispose(): void }>(name: string, layer: L): L => {
    owned.push(layer);
    for (const entry of layer.variables()) named.push({ ...entry, name: `${name}.${entry.name}` });
    return layer;
  };
  const sink: LayerSink = {
    conv2d: (name, options) => adopt(name, createConv2d({ ...options, seed: deriveSeed(seed, name) })).apply,
    depthwiseConv2d: (name, options) => adopt(name, createDepthwiseConv2d({ ...options, seed: deriveSeed(seed, name) })).apply,
    batchNorm: (name, options) => {
      const norm = adopt(name, createBatchNorm(options));
      return (inputs, training) => norm.apply(inputs, { training });
    },
    dense: (name, options) => adopt(name, createDense({ ...options, seed: deriveSeed(seed, name) })).apply,
  };
  return {
    scope: scopeOver(sink, ''),
    named,
    dispose: () => {
      for (const layer of owned) layer.dispose();
    },
  };
}

/**
 * A scope that records parameter shapes and allocates nothing. Its layers cannot run: calling
 * one is a programming error (the forward pass of a shape-only build is never used).
 */
export function createShapeRecordingScope(): { readonly scope: LayerScope; readonly shapes: ParameterShape[] } {
  const shapes: ParameterShape[] = [];
  const record = (name: string, entries: readonly (readonly [string, readonly number[], boolean])[]) => {
    for (const [suffix, shape, trainable] of entries) shapes.push({ name: `${name}.${suffix}`, shape, trainable });
  };
  const cannotRun = (name: string) => () => {
    throw new Error(`${name}: layers of a shape-recording scope have no weights and cannot run`);
  };
  const sink: LayerSink = {
    conv2d: (name, { inputChannels, outputChannels, kernelSize, bias = true }) => {
      record(name, [['weight', [kernelSize, kernelSize, inputChannels, outputChannels], true], ...(bias ? [['bias', [outputChannels], true] as const] : [])]);
      return cannotRun(name);
    },
    depthwiseConv2d: (name, { channels, kernelSize }) => {
      record(name, [['weight', [kernelSize, kernelSize, channels, 1], true]]);
      return cannotRun(name);
    },
    batchNorm: (name, { channels }) => {
      record(name, [
        ['weight', [channels], true],
        ['bias', [channels], true],
        ['running_mean', [channels], false],
        ['running_var', [channels], false],
      ]);
      return cannotRun(name);
    },
    dense: (name, { inputFeatures, outputFeatures, bias = true }) => {
      record(name, [['weight', [inputFeatures, outputFeatures], true], ...(bias ? [['bias', [outputFeatures], true] as const] : [])]);
      return cannotRun(name);
    },
  };
  return { scope: scopeOver(sink, ''), shapes };
}
