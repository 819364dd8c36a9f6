import { RobustfairError, type Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { decodableDtypes, decodeFloat32, hasNonFiniteValue, parseSafetensors, type SafetensorsEntry } from './safetensors.js';
import { layoutOf, pytorchLayout } from './pytorch-layout.js';
import { type TeacherArchitecture, teacherArchitectures, type TeacherArchitectureId } from './teacher-architectures.js';

/** A checkpoint does not fit the model; every problem is listed, and nothing was loaded. */
export class CheckpointMismatchError extends RobustfairError {
  constructor(
    readonly architecture: string,
    /** Model variables the checkpoint lacks. */
    readonly missing: readonly string[],
    /** Checkpoint keys the model has no variable for (and not on the ignore-list). */
    readonly unexpected: readonly string[],
    /** `name: why` for shape, dtype and value problems. */
    readonly mismatched: readonly string[],
    /** The file, named first in the message when known. */
    readonly source?: string,
  ) {
    const section = (title: string, items: readonly string[]) => (items.length === 0 ? [] : [`${title} (${items.length}):`, ...items.map((item) => `  - ${item}`)]);
    super(
      [
        `${source === undefined ? '' : `${source}: `}checkpoint does not match the ${architecture} model; nothing was loaded`,
        ...section('missing from the checkpoint', missing),
        ...section('unexpected in the checkpoint', unexpected),
        ...section('mismatched', mismatched),
      ].join('\n'),
    );
    this.name = 'CheckpointMismatchError';
  }
}

/** Options of `importSafetensors`. */
export interface ImportSafetensorsOptions {
  /** Picks the ignore-list and the depthwise kernels (`teacherArchitectures`). */
  readonly architecture: TeacherArchitectureId;
  /** The file the bytes came from: every error names it. */
  readonly source?: string;
}

/** What an import did. */
export interface ImportReport {
  /** Our variable names, all of them. */
  readonly loaded: readonly string[];
  /** Checkpoint keys skipped by the ignore-list, as written in the file. */
  readonly ignored: readonly string[];
}

const sameShape = (first: readonly number[], second: readonly number[]) => first.length === second.length && first.every((side, index) => side === second[index]);
const formatShape = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * Loads a PyTorch `state_dict` saved as safetensors into a model built by this package (its
 * variables named like the `state_dict`). Keys lose a leading `module.` (DataParallel); keys on
 * the architecture's ignore-list are skipped; layouts are converted (conv OIHW → HWIO, depthwise
 * `[C, 1, k, k]` → `[k, k, C, 1]`, linear `[out, in]` → `[in, out]`, BN weight, bias,
 * running_mean and running_var as they are); F16 and BF16 are widened to float32.
 *
 * Everything is checked before any variable is written: a checkpoint with missing, unexpected,
 * mis-shaped or non-finite tensors throws one `CheckpointMismatchError` listing all of them.
 *
 * To convert a PyTorch checkpoint (one line; for a file that nests the weights, e.g.
 * `{'state_dict': …}`, index it first):
 *
 *     from safetensors.torch import save_file; save_file({k: v.contiguous() for k, v in torch.load(path, map_location='cpu').items()}, out)
 */
export function importSafetensors(model: Model, file: Uint8Array, options: ImportSafetensorsOptions): ImportReport {
  const architecture: TeacherArchitecture = teacherArchitectures[options.architecture];
  const entries = new Map<string, { readonly key: string; readonly entry: SafetensorsEntry }>();
  const ignored: string[] = [];
  const unexpected: string[] = [];
  const mismatched: string[] = [];
  for (const [key, entry] of parseSafetensors(file, options.source)) {
    const name = key.startsWith('module.') ? key.slice('module.'.length) : key;
    if (architecture.ignoredKeys.some(({ pattern }) => pattern.test(name))) {
      ignored.push(key);
      continue;
    }
    if (entries.has(name)) mismatched.push(`${name}: present both with and without the 'module.' prefix`);
    entries.set(name, { key, entry });
  }

  const variables = model.namedVariables();
  const known = new Set(variables.map(({ name }) => name));
  for (const name of entries.keys()) if (!known.has(name)) unexpected.push(entries.get(name)!.key);
  const missing: string[] = [];
  const plan: { readonly variable: tf.Variable; readonly entry: SafetensorsEntry; readonly name: string; readonly permutation?: readonly number[] }[] = [];
  for (const { name, variable } of variables) {
    const found = entries.get(name);
    if (found === undefined) {
      missing.push(name);
      continue;
    }
    const layout = layoutOf(name, variable.rank, architecture);
    if (layout === undefined) {
      mismatched.push(`${name}: the model's variable has rank ${variable.rank}, which has no PyTorch layout rule`);
      continue;
    }
    const expected = pytorchLayout(layout, variable.shape);
    if (!sameShape(found.entry.shape, expected.shape)) {
      mismatched.push(`${name}: checkpoint ${formatShape(found.entry.shape)}, model expects ${formatShape(expected.shape)} in PyTorch layout (${formatShape(variable.shape)} here)`);
    } else if (!decodableDtypes.includes(found.entry.dtype)) {
      mismatched.push(`${name}: dtype ${found.entry.dtype}, expected one of ${decodableDtypes.join(', ')}`);
    } else if (hasNonFiniteValue(found.entry, name)) {
      // A diverged teacher would make every distilled student NaN: refuse it here, by name.
      mismatched.push(`${name}: holds a value that is not finite as float32 (NaN or infinity)`);
    } else {
      plan.push({ variable, entry: found.entry, name, ...(expected.permutation === undefined ? {} : { permutation: expected.permutation }) });
    }
  }
  if (missing.length > 0 || unexpected.length > 0 || mismatched.length > 0) {
    throw new CheckpointMismatchError(options.architecture, missing, unexpected, mismatched, options.source);
  }

  for (const { variable, entry, name, permutation } of plan) {
    tf.tidy(() => {
      const source = tf.tensor(decodeFloat32(entry, name), entry.shape.slice(), 'float32');
      variable.assign(permutation === undefined ? source : tf.transpose(source, permutation.slice()));
    });
  }
  return { loaded: plan.map(({ name }) => name), ignored };
}
