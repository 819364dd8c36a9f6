import { describe, expect, it } from 'vitest';
import { type Augmentation, augmentationSchema, drawAugmentations, toUnitPixels } from './augmentation.js';

// A 3×4 one-channel image with values 1..12:
//    1  2  3  4
//    5  6  7  8
//    9 10 11 12
const image = Uint8Array.from({ length: 12 }, (_, index) => index + 1);
const shape = [3, 4, 1] as const;

/** The augmented image as rows of byte values (×255 undoes toUnitPixels' scaling). */
function augment(mode: 'zero' | 'reflect', top: number, left: number, flip: boolean): number[][] {
  const options: Augmentation = { crop: { padding: 1, mode }, flip: true };
  const pixels = toUnitPixels(image, 1, shape, { options, draws: [{ top, left, flip }] });
  return [0, 1, 2].map((row) => Array.from(pixels.subarray(row * 4, row * 4 + 4), (value) => Math.round(value * 255)));
}

describe(toUnitPixels, () => {
  it('scales bytes to [0, 1] by /255 without augmentation', () => {
    expect(Array.from(toUnitPixels(Uint8Array.from([0, 51, 255]), 3, [1, 1, 1]))).toEqual([0, Math.fround(51 / 255), 1]);
  });

  describe('zero padding (padding 1: the padded image is 5×6 with a border of zeros)', () => {
    it('is the identity at the centre offset', () => {
      expect(augment('zero', 1, 1, false)).toEqual([
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
      ]);
    });

    it('crops from rows 2–4, columns 1–4 of the padded image', () => {
      expect(augment('zero', 2, 1, false)).toEqual([
        [5, 6, 7, 8],
        [9, 10, 11, 12],
        [0, 0, 0, 0],
      ]);
    });

    it('crops from rows 1–3, columns 2–5, then mirrors', () => {
      expect(augment('zero', 1, 2, false)).toEqual([
        [2, 3, 4, 0],
        [6, 7, 8, 0],
        [10, 11, 12, 0],
      ]);
      expect(augment('zero', 1, 2, true)).toEqual([
        [0, 4, 3, 2],
        [0, 8, 7, 6],
        [0, 12, 11, 10],
      ]);
    });
  });

  describe('reflect padding (the edge is not repeated: row −1 is row 1, column −1 is column 1)', () => {
    // Padded 5×6:   6  5  6  7  8  7 /  2  1  2  3  4  3 /  6  5  6  7  8  7 / 10  9 10 11 12 11 /  6  5  6  7  8  7
    it('crops the top-left corner of the reflected image', () => {
      expect(augment('reflect', 0, 0, false)).toEqual([
        [6, 5, 6, 7],
        [2, 1, 2, 3],
        [6, 5, 6, 7],
      ]);
    });

    it('mirrors after cropping, and reflects the bottom and right edges too', () => {
      expect(augment('reflect', 0, 0, true)).toEqual([
        [7, 6, 5, 6],
        [3, 2, 1, 2],
        [7, 6, 5, 6],
      ]);
      expect(augment('reflect', 2, 2, false)).toEqual([
        [6, 7, 8, 7],
        [10, 11, 12, 11],
        [6, 7, 8, 7],
      ]);
    });
  });

  it('moves whole pixels: every channel of a pixel goes together', () => {
    // 1×2 image, two channels: pixel 0 = (10, 20), pixel 1 = (30, 40); flipped → (30, 40), (10, 20).
    const pixels = toUnitPixels(Uint8Array.from([10, 20, 30, 40]), 1, [1, 2, 2], { options: { flip: true }, draws: [{ top: 0, left: 0, flip: true }] });
    expect(Array.from(pixels, (value) => Math.round(value * 255))).toEqual([30, 40, 10, 20]);
  });
});

describe(drawAugmentations, () => {
  const options = augmentationSchema.parse({ crop: {}, flip: true });

  it('defaults the crop to 4 pixels of zero padding', () => {
    expect(options).toEqual({ crop: { padding: 4, mode: 'zero' }, flip: true });
  });

  it('draws offsets in [0, 2·padding] and flips about half the images, the same for the same seed', () => {
    const draws = drawAugmentations(4000, options, 3);
    expect(drawAugmentations(4000, options, 3)).toEqual(draws);
    expect(drawAugmentations(4000, options, 4)).not.toEqual(draws);
    const tops = new Set(draws.map((draw) => draw.top));
    expect([...tops].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(new Set(draws.map((draw) => draw.left)).size).toBe(9);
    const flipped = draws.filter((draw) => draw.flip).length / draws.length;
    expect(Math.abs(flipped - 0.5)).toBeLessThan(0.05);
  });

  it('draws nothing for a step that is off', () => {
    expect(drawAugmentations(3, { flip: false }, 1)).toEqual([
      { top: 0, left: 0, flip: false },
      { top: 0, left: 0, flip: false },
      { top: 0, left: 0, flip: false },
    ]);
  });
});
