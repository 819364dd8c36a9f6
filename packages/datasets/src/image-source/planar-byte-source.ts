import type { ImageSource } from './image-source.js';

/** What `createPlanarByteSource` needs. */
export interface PlanarByteSourceOptions {
  /** `size · channels · height · width` bytes: each image as channel planes (CHW), image after image. */
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
  readonly imageShape: readonly [height: number, width: number, channels: number];
}

/**
 * An image source over uint8 images stored channel-planar (CHW), as the CIFAR binary files store
 * them. The records stay uint8 (CIFAR-10's 60,000 images are 184 MB this way, 737 MB as float32);
 * `read` transposes only the requested images to HWC.
 */
export function createPlanarByteSource({ pixels, labels, imageShape }: PlanarByteSourceOptions): ImageSource {
  const [height, width, channels] = imageShape;
  const plane = height * width;
  const imageLength = plane * channels;
  return {
    size: labels.length,
    labels,
    imageShape,
    read: async (indices) => {
      const output = new Uint8Array(indices.length * imageLength);
      indices.forEach((index, position) => {
        const source = index * imageLength;
        const target = position * imageLength;
        for (let pixel = 0; pixel < plane; pixel++) {
          for (let channel = 0; channel < channels; channel++) {
            output[target + pixel * channels + channel] = pixels[source + channel * plane + pixel] as number;
          }
        }
      });
      return output;
    },
  };
}
