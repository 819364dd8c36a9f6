import { spawn, type SpawnOptions } from 'node:child_process';

/** What a child process left: its exit status (null when a signal ended it) and its output. */
export interface NodeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the child could not start, or was killed at `timeoutMs`. */
  readonly error?: Error;
}

/**
 * Runs `node <args>` without blocking the test's event loop. Tests that start builds or other
 * Node processes must not use spawnSync: a vitest worker blocked for a minute misses its RPC
 * deadline to the main process ("Timeout calling onTaskUpdate"), which fails the whole run.
 */
export function runNode(args: readonly string[], options: Pick<SpawnOptions, 'cwd' | 'env'> & { readonly timeoutMs?: number } = {}): Promise<NodeRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let error: Error | undefined;
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            error = new Error(`node ${args.join(' ')} did not end within ${options.timeoutMs} ms`);
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.on('error', (cause) => (error = cause));
    child.on('close', (status) => {
      if (timer) clearTimeout(timer);
      resolve({ status, stdout, stderr, ...(error ? { error } : {}) });
    });
  });
}
