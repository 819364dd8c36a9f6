import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisServerMissing, startTestRedis, type TestRedis } from '@robustfair/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interrupt, startCli, startWorker, type CliProcess } from './queue-processes.js';
import { cliBin } from './run-cli.js';

// Issue 17, faults: an arm failing for a real error fails after its attempts, shown by the
// submitter and by `status`, while the other arms finish; Ctrl-C on a worker checkpoints the
// running epoch and puts the arm back, and another worker continues it; `--detach` and `status`.
// Needs Debian's redis-server and the built CLI; skipped with the reason without them.
const missing = redisServerMissing() ?? (existsSync(cliBin) ? undefined : 'the CLI is not built (pnpm build): the queue end-to-end tests are skipped');
if (missing) console.warn(missing);

let directory: string;
let redis: TestRedis;
const workers: CliProcess[] = [];

/** A tiny config; frl-reweight reads the validation split, which `validationPerClass: 0` leaves empty. */
async function writeConfig(name: string, fields: Record<string, unknown>): Promise<string> {
  const file = path.join(directory, `${name}.json`);
  await writeFile(
    file,
    JSON.stringify({
      name,
      backend: 'cpu',
      dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 6, trainPerClass: 4, validationPerClass: 0, testPerClass: 2 } },
      model: { id: 'small-cnn', options: { width: 2 } },
      trainingAttack: { id: 'pgd', options: { steps: 1 } },
      training: { epochs: 1, batchSize: 6 },
      evaluation: { batchSize: 6, attacks: [{ preset: 'pgd20', overrides: { steps: 1 } }] },
      ...fields,
    }),
  );
  return file;
}

beforeAll(async () => {
  if (missing) return;
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-queue-faults-'));
  redis = await startTestRedis();
}, 60_000);
afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  await redis?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(missing !== undefined)('robustfair queue faults', () => {
  it('fails an arm with a real error after its attempts, shown by the submitter and by status; the other arm finishes', async () => {
    const config = await writeConfig('faulty', { compare: { field: 'fairness', arms: [{ value: { id: 'frl-reweight' } }, { value: { id: 'identity' } }] } });
    const out = path.join(directory, 'faulty-runs');
    workers.push(await startWorker(redis.url, directory));
    const submitter = startCli(['compare', config, '--out', out, '--queue', redis.url, '--attempts', '2', '--no-progress'], directory);
    expect(await submitter.exited, submitter.output()).toBe(1);
    expect(submitter.output()).toMatch(/^robustfair: 1 of 2 arm\(s\) of 'faulty' did not finish:\n {2}\[frl-reweight\] failed after 2 attempt\(s\): .*validation split/m);
    expect(existsSync(path.join(out, 'faulty', 'identity', 'result.json'))).toBe(true);
    expect(existsSync(path.join(out, 'faulty', 'comparison.json'))).toBe(false);
    const status = startCli(['status', '--queue', redis.url, path.join(out, 'faulty')], directory);
    expect(await status.exited, status.output()).toBe(1);
    expect(status.output()).toMatch(/^\[frl-reweight\] failed after 2 attempt\(s\): .*validation split/m);
    expect(status.output()).toMatch(/^\[identity\] finished$/m);
    expect(await interrupt(workers.splice(0)[0] as CliProcess)).toBe(0);
  }, 200_000);

  it('Ctrl-C on a worker checkpoints the running epoch and puts the arm back; another worker continues it; status writes the comparison', async () => {
    // Enough work per epoch (3 classes × 40 images, PGD-3) to catch the arm between epochs.
    const config = await writeConfig('interrupted', {
      dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 8, trainPerClass: 40, validationPerClass: 0, testPerClass: 2 } },
      trainingAttack: { id: 'pgd', options: { steps: 3 } },
      training: { epochs: 4, batchSize: 10 },
    });
    const out = path.join(directory, 'interrupted-runs');
    const detached = startCli(['ablate', config, '--seeds', '0', '--out', out, '--queue', redis.url, '--detach'], directory); // one arm
    expect(await detached.exited, detached.output()).toBe(0);
    expect(detached.output()).toMatch(/submitted 'interrupted': follow it with robustfair status --queue redis:\/\/127\.0\.0\.1:\d+ /);
    const { arms } = JSON.parse(await readFile(path.join(out, 'interrupted', 'queue.json'), 'utf8')) as { arms: { label: string; armDirectory: string }[] };
    expect(arms).toHaveLength(1);
    const { label, armDirectory: arm } = arms[0] as { label: string; armDirectory: string };
    const first = await startWorker(redis.url, directory);
    workers.push(first);
    for (let waited = 0; !existsSync(path.join(arm, 'checkpoint.json')); waited += 20) {
      if (waited > 120_000 || first.child.exitCode !== null) throw new Error(`the arm never checkpointed:\n${first.output()}`);
      await sleep(20);
    }
    expect(await interrupt(first)).toBe(0);
    expect(first.output()).toMatch(new RegExp(`^\\[${label}\\] checkpointed after epoch [123]; back in the queue$`, 'm'));
    expect(existsSync(path.join(arm, 'result.json'))).toBe(false);
    const waiting = startCli(['status', '--queue', redis.url, path.join(out, 'interrupted')], directory);
    await waiting.exited;
    expect(waiting.output()).toMatch(new RegExp(`^\\[${label}\\] waiting$`, 'm'));
    const second = await startWorker(redis.url, directory);
    workers.push(second);
    for (let waited = 0; !existsSync(path.join(arm, 'result.json')); waited += 100) {
      if (waited > 120_000 || second.child.exitCode !== null) throw new Error(`the second worker did not finish the arm:\n${second.output()}`);
      await sleep(100);
    }
    expect(second.output()).toMatch(new RegExp(`^\\[${label}\\] resuming after epoch [123]$`, 'm'));
    const status = startCli(['status', '--queue', redis.url, path.join(out, 'interrupted')], directory);
    expect(await status.exited, status.output()).toBe(0);
    expect(status.output()).toContain("1 of 1 arm(s) of 'interrupted' finished");
    expect(existsSync(path.join(out, 'interrupted', 'comparison.json'))).toBe(true);
    await Promise.all(workers.splice(0).map(interrupt));
  }, 300_000);
});
