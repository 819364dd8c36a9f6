import { DatasetError } from '@robustfair/spec';

/**
 * Images of one split kept in whatever form is cheapest to hold (uint8 records, file paths),
 * turned into pixels only for the images a batch asks for. Datasets over files build on this so
 * that memory holds bytes, not float32 tensors of a whole split.
 */
export interface ImageSource {
  /** Number of images. */
  readonly size: number;
  /** One class id per image, index order. */
  readonly labels: Int32Array;
  /** `[height, width, channels]` of every image. */
  readonly imageShape: readonly [height: number, width: number, channels: number];
  /**
   * The images at `indices`, in that order, as uint8 HWC values (0–255) back to back:
   * `indices.length · height · width · channels` bytes.
   */
  read(indices: readonly number[]): Promise<Uint8Array>;
}

/**
 * The images of `source` at `indices` (in that order) as a new source. Nothing is copied but
 * the index list, so a validation split or a per-class subset of CIFAR costs no extra pixels.
 */
export function selectImages(source: ImageSource, indices: readonly number[]): ImageSource {
  for (const index of indices) {
    if (!Number.isInteger(index) || index < 0 || index >= source.size) {
      throw new DatasetError(`selectImages: index ${index} is outside [0, ${source.size - 1}]`);
    }
  }
  const mapping = Int32Array.from(indices);
  const labels = new Int32Array(mapping.length);
  mapping.forEach((index, position) => (labels[position] = source.labels[index] as number));
  return {
    size: mapping.length,
    labels,
    imageShape: source.imageShape,
    read: (wanted) => source.read(wanted.map((index) => mapping[index] as number)),
  };
}

/** A source with no images (an absent split). */
export function emptyImageSource(imageShape: readonly [number, number, number]): ImageSource {
  return { size: 0, labels: new Int32Array(0), imageShape, read: async () => new Uint8Array(0) };
}
