import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
    if (probe.status !== 0) continue;
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
