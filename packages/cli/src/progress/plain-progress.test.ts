import type { ProgressEvent } from '@robustfair/runner';
import { describe, expect, it } from 'vitest';
import { createPlainProgressReporter } from './plain-progress.js';

const batch = (arm: string, current: number): ProgressEvent => ({ scope: 'batch', arm, current, total: 100, epoch: 0, epochs: 2 });

describe(createPlainProgressReporter, () => {
  it('writes one line per epoch and per evaluated attack, and a batch line only after a quiet stretch', () => {
    const lines: string[] = [];
    let now = 0;
    const reporter = createPlainProgressReporter({ write: (line) => lines.push(line), now: () => now, heartbeatMs: 1000 });
    reporter.info('backend: cpu');
    for (let current = 1; current <= 100; current++) {
      now = current * 25; // 40 batches a second: 2.5 s of batches
      reporter.progress?.(batch('a', current));
    }
    reporter.progress?.({ scope: 'epoch', arm: 'a', current: 1, total: 2, detail: 'loss 0.1000' });
    now += 10;
    reporter.progress?.({ scope: 'evaluation', arm: 'a', current: 1, total: 4, attack: 'clean', split: 'test', batch: 1, batches: 2 });
    reporter.progress?.({ scope: 'evaluation', arm: 'a', current: 4, total: 4, attack: 'pgd20', split: 'test', batch: 2, batches: 2 });
    expect(lines).toEqual([
      'backend: cpu',
      // the first batch (t = 25 ms) starts the clock: a line at t ≥ 1025 and at t ≥ 2025
      '[a] epoch 1/2 batch 41/100',
      '[a] epoch 1/2 batch 81/100',
      '[a] epoch 1/2 loss 0.1000',
      '[a] evaluated pgd20 on test (2 batches)',
    ]);
  });

  it('keeps one clock per arm, so parallel arms each get their lines', () => {
    const lines: string[] = [];
    let now = 0;
    const reporter = createPlainProgressReporter({ write: (line) => lines.push(line), now: () => now, heartbeatMs: 1000 });
    reporter.progress?.(batch('a', 1));
    now = 600;
    reporter.progress?.(batch('b', 1));
    now = 1000;
    reporter.progress?.(batch('a', 2));
    reporter.progress?.(batch('b', 2));
    now = 1600;
    reporter.progress?.(batch('b', 3));
    expect(lines).toEqual(['[a] epoch 1/2 batch 2/100', '[b] epoch 1/2 batch 3/100']);
  });

  it('prints a line during a long attack on the last batch from its inner steps (AutoAttack), and "evaluated" only when the row is done', () => {
    const lines: string[] = [];
    let now = 0;
    const reporter = createPlainProgressReporter({ write: (line) => lines.push(line), now: () => now, heartbeatMs: 30_000 });
    const base = { scope: 'evaluation', arm: 't', current: 1, total: 2, attack: 'aa', split: 'test', batch: 1, batches: 1 } as const;
    reporter.progress?.({ ...base, attack: 'clean' });
    for (let target = 1; target <= 9; target++) {
      now += 20_000; // 20 s per APGD-T target
      reporter.progress?.({ ...base, step: `autoattack-standard stage 2/4 apgd-t (80 robust): apgd-t target ${target}/9 done` });
    }
    reporter.progress?.({ ...base, current: 2 });
    expect(lines).toEqual([
      '[t] evaluated clean on test (1 batch)',
      '[t] evaluating aa on test: batch 1/1, autoattack-standard stage 2/4 apgd-t (80 robust): apgd-t target 2/9 done',
      '[t] evaluating aa on test: batch 1/1, autoattack-standard stage 2/4 apgd-t (80 robust): apgd-t target 4/9 done',
      '[t] evaluating aa on test: batch 1/1, autoattack-standard stage 2/4 apgd-t (80 robust): apgd-t target 6/9 done',
      '[t] evaluating aa on test: batch 1/1, autoattack-standard stage 2/4 apgd-t (80 robust): apgd-t target 8/9 done',
      '[t] evaluated aa on test (1 batch)',
    ]);
  });
});
