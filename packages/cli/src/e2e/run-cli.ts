import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The CLI's end-to-end tests run the built command (`dist/bin.js`, the real entry point) in a
// child process: they skip when it is not built (`pnpm build`).

/** The built `robustfair` entry point. */
export const cliBin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** Runs `robustfair <args>` in `cwd` and resolves with its exit code and everything it wrote to stderr. */
export function runCliForStderr(args: readonly string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliBin, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}
