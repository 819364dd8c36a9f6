import { createSeededRandom } from '@robustfair/core';
import { z } from 'zod';

/**
 * Training-split augmentation (docs/methods/conventions.md): `RandomCrop(size, padding)` with zero
 * padding (every method but CFA) or reflect padding (CFA), then a horizontal flip with
 * probability 1/2. Leave a field out to skip that step.
 */
export const augmentationSchema = z.strictObject({
  crop: z
    .strictObject({
      /** Pixels added on each side before cropping back to the original size. */
      padding: z.number().int().min(0).default(4).describe('Pixels added on each side before cropping back to the original size.'),
      /** `zero`: pad with 0 (torchvision's default); `reflect`: mirror without repeating the edge (CFA). */
      mode: z.enum(['zero', 'reflect']).default('zero').describe('`zero`: pad with 0 (torchvision\'s default); `reflect`: mirror without repeating the edge (CFA).'),
    })
    .optional(),
  flip: z.boolean().default(false),
});

/** Raw augmentation options as written in a config. */
export type AugmentationInput = z.input<typeof augmentationSchema>;
/** Parsed augmentation options. */
export type Augmentation = z.output<typeof augmentationSchema>;

/** The random choices for one image. */
export interface ImageAugmentation {
  /** Row of the padded image where the crop starts, in [0, 2·padding]. */
  readonly top: number;
  /** Column of the padded image where the crop starts, in [0, 2·padding]. */
  readonly left: number;
  /** Mirror left–right after the crop. */
  readonly flip: boolean;
}

/**
 * Draws the augmentation of `count` images from `seed` alone, image after image (crop row, crop
 * column, then flip, each only when enabled), so the same seed gives the same augmentations.
 */
export function drawAugmentations(count: number, augmentation: Augmentation, seed: number): ImageAugmentation[] {
  const random = createSeededRandom(seed);
  const span = 2 * (augmentation.crop?.padding ?? 0);
  return Array.from({ length: count }, () => {
    const top = augmentation.crop === undefined ? 0 : random.int(0, span);
    const left = augmentation.crop === undefined ? 0 : random.int(0, span);
    const flip = augmentation.flip ? random.float() < 0.5 : false;
    return { top, left, flip };
  });
}

/** Index into [0, size) of padded coordinate `position` (already shifted by −padding), or −1 for a zero pad. */
function sourceIndex(position: number, size: number, reflect: boolean): number {
  if (position >= 0 && position < size) return position;
  if (!reflect) return -1;
  // numpy/PyTorch 'reflect': the edge is not repeated (−1 → 1, size → size − 2); padding < size.
  return position < 0 ? -position : 2 * (size - 1) - position;
}

/**
 * Turns `count` uint8 HWC images into float32 pixels in [0, 1] (value / 255), applying
 * `augmentations[i]` to image i when given: out(y, x) = padded(y + top, x' + left) with
 * x' = width − 1 − x when flipped (crop first, then flip, as torchvision composes them).
 */
export function toUnitPixels(
  bytes: Uint8Array,
  count: number,
  [height, width, channels]: readonly [number, number, number],
  augmentation?: { readonly options: Augmentation; readonly draws: readonly ImageAugmentation[] },
): Float32Array {
  const imageLength = height * width * channels;
  const output = new Float32Array(count * imageLength);
  if (augmentation === undefined) {
    for (let index = 0; index < output.length; index++) output[index] = (bytes[index] as number) / 255;
    return output;
  }
  const padding = augmentation.options.crop?.padding ?? 0;
  const reflect = augmentation.options.crop?.mode === 'reflect';
  for (let image = 0; image < count; image++) {
    const { top, left, flip } = augmentation.draws[image] ?? { top: padding, left: padding, flip: false };
    const base = image * imageLength;
    for (let y = 0; y < height; y++) {
      const row = sourceIndex(y + top - padding, height, reflect);
      for (let x = 0; x < width; x++) {
        const column = sourceIndex((flip ? width - 1 - x : x) + left - padding, width, reflect);
        const target = base + (y * width + x) * channels;
        if (row < 0 || column < 0) continue; // zero padding: the output is already 0
        const source = base + (row * width + column) * channels;
        for (let channel = 0; channel < channels; channel++) output[target + channel] = (bytes[source + channel] as number) / 255;
      }
    }
  }
  return output;
}
