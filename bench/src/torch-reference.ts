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
 * Runs bench/torch/bench_torch.py with the first Python that has torch (Debian's python3-torch
 * lives under /usr/bin/python3), same models, batch and thread count. Undefined when none has it.
 */
export function runTorchReference(models: readonly string[], steps: readonly string[], batch: number, threads: number): { version: string; results: TorchResult[] } | undefined {
  const python = pythonWithTorch();
  if (python !== undefined) {
    const run = spawnSync(
      python,
      [script, '--models', models.join(','), '--steps', steps.join(','), '--batch', String(batch), '--threads', String(threads)],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (run.status !== 0) throw new Error(`torch reference failed: ${run.stderr}`);
    const parsed = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { torch: string; results: TorchResult[] };
    return { version: parsed.torch, results: parsed.results };
  }
  return undefined;
}
