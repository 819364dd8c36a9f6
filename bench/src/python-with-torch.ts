import { spawnSync } from 'node:child_process';

/** The first Python with torch (Debian's python3-torch lives under /usr/bin/python3), or undefined. */
export function pythonWithTorch(): string | undefined {
  return ['/usr/bin/python3', 'python3'].find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}
