import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (bench/dist or bench/src is two levels down). */
const root = fileURLToPath(new URL('../../', import.meta.url));

/** The built robustfair CLI (`pnpm bench` builds it with the bench's dependencies). */
export const cliBin = path.join(root, 'packages', 'cli', 'dist', 'bin.js');

/** One of the cifar10-cpu study's PyTorch scripts (studies/cifar10-cpu/torch/), which the end-to-end measures reuse. */
export function studyTorchScript(name: string): string {
  return path.join(root, 'studies', 'cifar10-cpu', 'torch', name);
}
