import { readFile } from 'node:fs/promises';
import { DatasetError } from '@robustfair/spec';
import { decode } from 'jpeg-js';
import type { ImageSource } from './image-source.js';

/** What `createJpegFileSource` needs. */
export interface JpegFileSourceOptions {
  readonly files: readonly string[];
  readonly labels: Int32Array;
  /** Every file must decode to `[height, width]`; channels are always 3 (grayscale is expanded). */
  readonly imageShape: readonly [height: number, width: number, channels: 3];
}

/**
 * An image source over JPEG files, decoded with jpeg-js when a batch asks for them: memory holds
 * file names, not Tiny-ImageNet's 1.2 GB of pixels. Grayscale JPEGs come out as RGB. A file that
 * is missing, does not decode, or has another size is a DatasetError naming it.
 */
export function createJpegFileSource({ files, labels, imageShape }: JpegFileSourceOptions): ImageSource {
  const [height, width] = imageShape;
  const imageLength = height * width * 3;
  const decodeFile = async (file: string): Promise<Uint8Array> => {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      throw new DatasetError(`JPEG file '${file}' not found`);
    }
    let image;
    try {
      image = decode(bytes, { useTArray: true, formatAsRGBA: false });
    } catch (error) {
      throw new DatasetError(`JPEG file '${file}' does not decode: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (image.width !== width || image.height !== height) {
      throw new DatasetError(`JPEG file '${file}' is ${image.width}×${image.height}, expected ${width}×${height}`);
    }
    return image.data;
  };
  return {
    size: labels.length,
    labels,
    imageShape,
    read: async (indices) => {
      const images = await Promise.all(indices.map((index) => decodeFile(files[index] as string)));
      const output = new Uint8Array(indices.length * imageLength);
      images.forEach((image, position) => output.set(image.subarray(0, imageLength), position * imageLength));
      return output;
    },
  };
}
