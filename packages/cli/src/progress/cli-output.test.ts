import type { ProgressEvent } from '@robustfair/runner';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createCliOutput } from './cli-output.js';

/** A stream that records what is written; `isTTY` (and a width) make it look like a terminal. */
function stream(isTTY: boolean) {
  const chunks: string[] = [];
  const writable = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  Object.assign(writable, { isTTY, columns: 100 });
  return Object.assign(writable, { text: () => chunks.join('') }) as Writable & { isTTY: boolean; text(): string };
}

const events: ProgressEvent[] = [
  { scope: 'batch', arm: 'identity-seed0', current: 1, total: 3, epoch: 0, epochs: 2 },
  { scope: 'batch', arm: 'class-reweight-seed0', current: 2, total: 3, epoch: 1, epochs: 2 },
  { scope: 'epoch', arm: 'identity-seed0', current: 1, total: 2, detail: 'loss 1.0000' },
];
/** The bars redraw on a timer (10 per second). */
const redraw = () => new Promise((resolve) => setTimeout(resolve, 150));
const evaluationDone = (arm: string): ProgressEvent => ({ scope: 'evaluation', arm, current: 2, total: 2, attack: 'pgd20', split: 'test', batch: 1, batches: 1 });

describe(createCliOutput, () => {
  it('writes plain lines to stderr and results to stdout when stderr is not a terminal', () => {
    const stdout = stream(false);
    const stderr = stream(false);
    const output = createCliOutput({}, { stdout, stderr, env: {} });
    expect(output.mode).toBe('lines');
    output.reporter.info('backend: cpu');
    for (const event of events) output.reporter.progress?.(event);
    output.print('the table');
    output.close();
    expect(stderr.text()).toBe('backend: cpu\n[identity-seed0] epoch 1/2 loss 1.0000\n');
    expect(stdout.text()).toBe('the table\n');
  });

  it('draws one labelled bar per running arm on a terminal, with epoch and batch, and removes it when the arm is evaluated', async () => {
    const stdout = stream(false);
    const stderr = stream(true);
    const output = createCliOutput({}, { stdout, stderr, env: {} });
    expect(output.mode).toBe('bars');
    for (const event of events) output.reporter.progress?.(event);
    await redraw();
    output.reporter.progress?.(evaluationDone('identity-seed0'));
    output.reporter.progress?.(evaluationDone('class-reweight-seed0'));
    output.print('the table');
    output.close();
    const text = stderr.text();
    expect(text).toContain('\u001b[36midentity-seed0'); // coloured label
    expect(text).toMatch(/identity-seed0 .* 50% \| epoch 1\/2 done/); // its first epoch ended: 3 of 6 batches
    expect(text).toMatch(/class-reweight-seed0.* 83% \| epoch 2\/2 batch 2\/3/); // 5 of 6 batches
    expect(text).toContain('[identity-seed0] epoch 1/2 loss 1.0000'); // milestones above the bars
    expect(stdout.text()).toBe('the table\n'); // stdout is not the terminal: results stay there
  });

  it('keeps an arm\'s bar through an evaluation inside training and says what it waits for', async () => {
    const stdout = stream(false);
    const stderr = stream(true);
    const output = createCliOutput({}, { stdout, stderr, env: {} });
    output.reporter.progress?.(events[0] as ProgressEvent);
    output.reporter.progress?.({ scope: 'evaluation', arm: 'identity-seed0', current: 1, total: 2, attack: 'pgd20', split: 'validation', batch: 1, batches: 2, during: { epoch: 0, purpose: 'selection' } });
    await redraw();
    output.reporter.progress?.({ scope: 'evaluation', arm: 'identity-seed0', current: 2, total: 2, attack: 'pgd20', split: 'validation', batch: 2, batches: 2, during: { epoch: 0, purpose: 'selection' } });
    await redraw();
    output.close();
    const text = stderr.text();
    expect(text).toMatch(/identity-seed0.* 16% \| epoch 1 selection: pgd20 batch 1\/2/); // still 1 of 6 training batches (floored)
    expect(text).toContain('[identity-seed0] epoch 1 checkpoint selection: evaluated pgd20 on validation (2 batches)');
  });

  it('prints results above the bars when stdout is the same terminal, and has no colour with NO_COLOR', async () => {
    const stdout = stream(true);
    const stderr = stream(true);
    const output = createCliOutput({}, { stdout, stderr, env: { NO_COLOR: '1' } });
    output.reporter.progress?.(events[0] as ProgressEvent);
    await redraw();
    output.print('the table');
    output.close();
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toContain('the table\n');
    expect(stderr.text()).toContain('identity-seed0');
    expect(stderr.text()).not.toContain('\u001b[36m');
  });

  it('turns the bars off with --no-progress and everything off with --quiet', () => {
    const stderr = stream(true);
    const plain = createCliOutput({ progress: false }, { stdout: stream(false), stderr, env: {} });
    expect(plain.mode).toBe('lines');
    for (const event of events) plain.reporter.progress?.(event);
    expect(stderr.text()).toBe('[identity-seed0] epoch 1/2 loss 1.0000\n');
    const quietStderr = stream(true);
    const quiet = createCliOutput({ quiet: true }, { stdout: stream(false), stderr: quietStderr, env: {} });
    quiet.reporter.info('backend: cpu');
    for (const event of events) quiet.reporter.progress?.(event);
    expect(quiet.mode).toBe('silent');
    expect(quietStderr.text()).toBe('');
  });
  it('redraws on events, without waiting for a timer (training in this process keeps the event loop busy)', () => {
    const stderr = stream(true);
    const output = createCliOutput({}, { stdout: stream(false), stderr, env: {} });
    output.reporter.progress?.(events[0] as ProgressEvent);
    expect(stderr.text()).toMatch(/identity-seed0.*\| epoch 1\/2 batch 1\/3/);
    output.close();
  });
});
