import { RobustfairError, type Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { layoutOf, pytorchLayout } from './pytorch-layout.js';
import { teacherArchitectures, type TeacherArchitectureId } from './teacher-architectures.js';

/** Options of `exportSafetensors`. */
export interface ExportSafetensorsOptions {
  /** Picks the depthwise kernels (`teacherArchitectures`); the model plugin id. */
  readonly architecture: TeacherArchitectureId;
  /** String pairs stored in the header's `__metadata__` (e.g. the run that made the weights). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** One tensor to write: little-endian bytes of `dtype` in `shape`. */
export interface SafetensorsTensor {
  readonly name: string;
  readonly dtype: 'F32' | 'I64';
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/**
 * Writes the safetensors layout: an 8-byte little-endian header length, the JSON header (padded
 * with spaces to a multiple of 8, as the format allows, so the data stays aligned), then each
 * tensor's bytes back to back in the given order.
 */
export function serializeSafetensors(tensors: readonly SafetensorsTensor[], metadata?: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = metadata && Object.keys(metadata).length > 0 ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const { name, dtype, shape, bytes } of tensors) {
    if (name in header) throw new RobustfairError(`safetensors export: tensor '${name}' appears twice`);
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.byteLength] };
    offset += bytes.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const file = new Uint8Array(8 + padded + offset);
  new DataView(file.buffer).setBigUint64(0, BigInt(padded), true);
  file.set(json, 8);
  file.fill(0x20, 8 + json.byteLength, 8 + padded);
  let position = 8 + padded;
  for (const { bytes } of tensors) {
    file.set(bytes, position);
    position += bytes.byteLength;
  }
  return file;
}

const littleEndianFloat32 = (values: Float32Array): Uint8Array => {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, index) => view.setFloat32(4 * index, value, true));
  return bytes;
};

/** The permutation that undoes `permutation` (ours → PyTorch's layout). */
const inverse = (permutation: readonly number[]) => {
  const result = new Array<number>(permutation.length);
  permutation.forEach((axis, index) => (result[axis] = index));
  return result;
};

/**
 * The model's weights as a PyTorch `state_dict` in safetensors: our variable names (already the
 * `state_dict` keys), layouts converted back (HWIO → OIHW, `[k, k, C, 1]` → `[C, 1, k, k]`,
 * `[in, out]` → `[out, in]`), float32. Each batch norm also gets the `num_batches_tracked` counter
 * (int64 0) that PyTorch's strict `load_state_dict` expects and our import ignores, so the file
 * loads unchanged into the PyTorch class of the same architecture. The inverse of
 * `importSafetensors`: importing the result restores the same values bit for bit.
 */
export function exportSafetensors(model: Model, options: ExportSafetensorsOptions): Uint8Array {
  const architecture = teacherArchitectures[options.architecture];
  const tensors: SafetensorsTensor[] = [];
  for (const { name, variable } of model.namedVariables()) {
    const layout = layoutOf(name, variable.rank, architecture);
    if (layout === undefined) throw new RobustfairError(`safetensors export: variable '${name}' has rank ${variable.rank}, which has no PyTorch layout rule`);
    const target = pytorchLayout(layout, variable.shape);
    const values = tf.tidy(() => (target.permutation === undefined ? variable.clone() : tf.transpose(variable, inverse(target.permutation))));
    const data = values.dataSync() as Float32Array;
    values.dispose();
    tensors.push({ name, dtype: 'F32', shape: target.shape, bytes: littleEndianFloat32(data) });
    if (name.endsWith('.running_var')) {
      tensors.push({ name: `${name.slice(0, -'running_var'.length)}num_batches_tracked`, dtype: 'I64', shape: [], bytes: new Uint8Array(8) });
    }
  }
  return serializeSafetensors(tensors, options.metadata);
}
