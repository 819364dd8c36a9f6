import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pythonWithTorch } from './python-with-torch.js';

export interface TorchResult {
  readonly model: string;
  readonly step: string;
  readonly imagesPerSecond: number;
}

const script = fileURLToPath(new URL('../torch/bench_torch.py', import.meta.url));

/**
 * Runs bench/torch/bench_torch.py `processes` times (default 3) with the first Python that has
 * torch (Debian's python3-torch lives under /usr/bin/python3), same models, batch and thread
 * count, and keeps each step's fastest process. On this kind of VM one torch process can run 2-6×
 * slower than the next for its whole life (the same script, seed and machine gave small-cnn
 * forward 1,110 and 8,918 img/s in consecutive processes; ours varies ±10 %): the fastest of a few
 * is torch's speed, and never flatters our RATIO lines. Every process's numbers are kept in
 * `runs`. Undefined when no Python has torch.
 */
export function runTorchReference(
  models: readonly string[],
  steps: readonly string[],
  batch: number,
  threads: number,
  processes = 3,
): { version: string; results: TorchResult[]; runs: TorchResult[][] } | undefined {
  const python = pythonWithTorch();
  if (python === undefined) return undefined;
  let version = '';
  const runs: TorchResult[][] = [];
  for (let process = 0; process < processes; process++) {
    const run = spawnSync(
      python,
      [script, '--models', models.join(','), '--steps', steps.join(','), '--batch', String(batch), '--threads', String(threads)],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (run.status !== 0) throw new Error(`torch reference failed: ${run.stderr}`);
    const parsed = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { torch: string; results: TorchResult[] };
    version = parsed.torch;
    runs.push(parsed.results);
  }
  const results = (runs[0] ?? []).map(({ model, step }) => {
    const fastest = Math.max(...runs.map((run) => run.find((result) => result.model === model && result.step === step)?.imagesPerSecond ?? 0));
    return { model, step, imagesPerSecond: fastest };
  });
  return { version, results, runs };
}
