import { InvalidOptionsError, type Model, type NamedVariable } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { type Architecture, type ArchitectureOptions, checkArchitectureOptions } from './architecture.js';
import { createAllocatingScope, createShapeRecordingScope, type ParameterShape } from './layer-scope.js';

function checkOrThrow<Options extends ArchitectureOptions>(architecture: Architecture<Options>, options: Options): void {
  const issues = [...checkArchitectureOptions(options), ...architecture.check(options)];
  if (issues.length > 0) throw new InvalidOptionsError(`${architecture.id} options`, issues);
}

/**
 * Builds `architecture` into a `Model`: inputs NHWC in `bounds` [0, 1], optional per-channel
 * normalisation inside (so attacks stay in pixel space), variables named like a PyTorch
 * `state_dict` in registration order. Throws `InvalidOptionsError` naming every bad field.
 */
export function createArchitectureModel<Options extends ArchitectureOptions>(architecture: Architecture<Options>, options: Options): Model {
  checkOrThrow(architecture, options);
  const { numClasses, inputShape, normalization } = options;
  const channels = inputShape[2];
  const allocation = createAllocatingScope(options.seed);
  let forward;
  try {
    forward = architecture.build(allocation.scope, options);
  } catch (error) {
    allocation.dispose();
    throw error;
  }
  const named: readonly NamedVariable[] = allocation.named;
  const trainable = named.filter((entry) => entry.trainable).map((entry) => entry.variable);
  let disposed = false;

  return {
    numClasses,
    inputShape: [inputShape[0], inputShape[1], channels],
    bounds: [0, 1],
    logits: (inputs, { training }) => {
      if (disposed) throw new Error(`${architecture.id}: logits called after dispose()`);
      if (inputs.rank !== 4 || inputs.shape[3] !== channels) {
        throw new RangeError(`${architecture.id}: expected NHWC inputs with ${channels} channel(s), got shape [${inputs.shape.join(', ')}]`);
      }
      return tf.tidy(() => {
        // Small constants made per call rather than kept: nothing long-lived to own or leak.
        const normalised =
          normalization === undefined
            ? inputs
            : tf.div<tf.Tensor4D>(tf.sub(inputs, tf.tensor1d(normalization.mean.slice())), tf.tensor1d(normalization.std.slice()));
        return forward(normalised, training);
      });
    },
    trainableVariables: () => trainable,
    namedVariables: () => named,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      allocation.dispose();
    },
  };
}

/**
 * The parameters `createArchitectureModel(architecture, options)` would create, with names,
 * TF.js shapes and trainability, computed without allocating a tensor (counts of full-size
 * teachers, checkpoint planning).
 */
export function parameterShapes<Options extends ArchitectureOptions>(architecture: Architecture<Options>, options: Options): readonly ParameterShape[] {
  checkOrThrow(architecture, options);
  const recording = createShapeRecordingScope();
  architecture.build(recording.scope, options);
  return recording.shapes;
}

/** Trainable scalars of a shape list, as PyTorch's `sum(p.numel() for p in model.parameters())`. */
export function countTrainableParameters(shapes: readonly ParameterShape[]): number {
  return shapes.filter((entry) => entry.trainable).reduce((total, entry) => total + entry.shape.reduce((product, side) => product * side, 1), 0);
}
