import { describe, expect, it } from 'vitest';
import { createLineReporter, isMilestone, progressLine, reportProgress, type ProgressEvent } from './progress-reporter.js';

const batch: ProgressEvent = { scope: 'batch', arm: 'identity', current: 2, total: 5, epoch: 1, epochs: 3 };
const epoch: ProgressEvent = { scope: 'epoch', arm: 'identity', current: 2, total: 3, detail: 'loss 0.5000' };
const evaluation = (batchNumber: number): ProgressEvent => ({
  scope: 'evaluation',
  arm: 'identity',
  current: batchNumber * 2,
  total: 6,
  attack: 'pgd20',
  split: 'test',
  batch: batchNumber,
  batches: 3,
});

describe('progress events', () => {
  it('an epoch end and an evaluation row’s last batch are milestones; batches are not', () => {
    expect([batch, epoch, evaluation(2), evaluation(3)].map(isMilestone)).toEqual([false, true, false, true]);
  });

  it('an attack step inside the last batch is not a milestone, and its line says what finished', () => {
    const step: ProgressEvent = {
      scope: 'evaluation',
      arm: 'identity',
      current: 5,
      total: 6,
      attack: 'pgd20',
      split: 'test',
      batch: 3,
      batches: 3,
      step: 'autoattack-standard stage 2/4 apgd-t (12 robust): apgd-t target 3/9 done',
    };
    expect(isMilestone(step)).toBe(false);
    expect(progressLine(step)).toBe('[identity] evaluating pgd20 on test: batch 3/3, autoattack-standard stage 2/4 apgd-t (12 robust): apgd-t target 3/9 done');
  });

  it('describes every scope in one line', () => {
    expect(progressLine(epoch)).toBe('[identity] epoch 2/3 loss 0.5000');
    expect(progressLine(batch)).toBe('[identity] epoch 2/3 batch 2/5');
    expect(progressLine(evaluation(2))).toBe('[identity] evaluating pgd20 on test: batch 2/3');
    expect(progressLine(evaluation(3))).toBe('[identity] evaluated pgd20 on test (3 batches)');
    const during = (batchNumber: number): ProgressEvent => ({
      scope: 'evaluation',
      arm: 'frl',
      current: batchNumber,
      total: 2,
      attack: 'pgd',
      split: 'validation',
      batch: batchNumber,
      batches: 2,
      during: { epoch: 0, purpose: 'validation' },
    });
    expect(progressLine(during(1))).toBe('[frl] epoch 1 validation for the strategy: evaluating pgd on validation: batch 1/2');
    expect(progressLine(during(2))).toBe('[frl] epoch 1 validation for the strategy: evaluated pgd on validation (2 batches)');
  });
});

describe(createLineReporter, () => {
  it('writes info lines and milestones, never a line per batch', () => {
    const lines: string[] = [];
    const reporter = createLineReporter((line) => lines.push(line));
    reporter.info('backend: cpu');
    for (const event of [batch, batch, epoch, evaluation(1), evaluation(3)]) reporter.progress?.(event);
    expect(lines).toEqual(['backend: cpu', '[identity] epoch 2/3 loss 0.5000', '[identity] evaluated pgd20 on test (3 batches)']);
  });
});

describe(reportProgress, () => {
  it('gives a reporter without `progress` the milestone lines', () => {
    const lines: string[] = [];
    for (const event of [batch, epoch, evaluation(2)]) reportProgress({ info: (line) => lines.push(line) }, event);
    expect(lines).toEqual(['[identity] epoch 2/3 loss 0.5000']);
  });

  it('passes events through to a reporter that takes them', () => {
    const events: ProgressEvent[] = [];
    reportProgress({ info: () => undefined, progress: (event) => events.push(event) }, batch);
    expect(events).toEqual([batch]);
  });
});
