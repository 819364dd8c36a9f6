import type { TeacherArchitecture } from './teacher-architectures.js';

/** How a variable of ours is laid out in a PyTorch `state_dict`. */
export type Layout = 'conv' | 'depthwise' | 'dense' | 'vector';

/** The PyTorch shape of a tensor we store as `shape`, and the permutation from PyTorch's layout to ours. */
export function pytorchLayout(layout: Layout, shape: readonly number[]): { readonly shape: readonly number[]; readonly permutation?: readonly number[] } {
  switch (layout) {
    case 'conv': {
      const [height, width, input, output] = shape as [number, number, number, number];
      return { shape: [output, input, height, width], permutation: [2, 3, 1, 0] }; // OIHW → HWIO
    }
    case 'depthwise': {
      const [height, width, channels, multiplier] = shape as [number, number, number, number];
      return { shape: [channels, multiplier, height, width], permutation: [2, 3, 0, 1] }; // [C,1,kh,kw] → [kh,kw,C,1]
    }
    case 'dense': {
      const [input, output] = shape as [number, number];
      return { shape: [output, input], permutation: [1, 0] }; // [out, in] → [in, out]
    }
    case 'vector':
      return { shape };
  }
}

/** The layout rule for a variable of rank `rank`; undefined when PyTorch has none for it. */
export function layoutOf(name: string, rank: number, architecture: TeacherArchitecture): Layout | undefined {
  if (rank === 4) return architecture.depthwiseKernels?.test(name) ? 'depthwise' : 'conv';
  if (rank === 2) return 'dense';
  if (rank === 1) return 'vector';
  return undefined;
}
