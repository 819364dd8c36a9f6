import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisServerMissing, startTestRedis, type TestRedis } from '@robustfair/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, interrupt, resultsWritten, startCli, startWorker, type CliProcess } from './queue-processes.js';
import { cliBin } from './run-cli.js';

// Issue 17, acceptance 3: 40 tiny arms over 3 worker processes, Redis restarted (with its
// append-only file, as a production Redis must persist) while they run: every arm's result is
// written exactly once, none is lost, and the submitter ends with the full comparison. Needs
// Debian's redis-server and the built CLI; skipped with the reason without them.
const missing = redisServerMissing() ?? (existsSync(cliBin) ? undefined : 'the CLI is not built (pnpm build): the queue end-to-end tests are skipped');
if (missing) console.warn(missing);

const rates = Array.from({ length: 20 }, (_, index) => (0.01 * (index + 1)).toFixed(2));
let directory: string;
let config: string;
let redis: TestRedis;
const workers: CliProcess[] = [];

beforeAll(async () => {
  if (missing) return;
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-queue-restart-'));
  config = path.join(directory, 'tiny.json');
  // As small as an arm gets: 2 classes of 6×6 images, 2 training and 1 test image each, 1 epoch.
  await writeFile(
    config,
    JSON.stringify({
      name: 'tiny',
      backend: 'cpu',
      dataset: { id: 'synthetic', options: { numClasses: 2, imageSize: 6, trainPerClass: 2, validationPerClass: 0, testPerClass: 1 } },
      model: { id: 'small-cnn', options: { width: 1 } },
      trainingAttack: { id: 'pgd', options: { steps: 1 } },
      training: { epochs: 1, batchSize: 4 },
      evaluation: { batchSize: 2, attacks: [{ preset: 'pgd20', overrides: { steps: 1 } }] },
    }),
  );
  redis = await startTestRedis({ appendOnly: true });
}, 60_000);
afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  await redis?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(missing !== undefined)('robustfair ablate --queue across a Redis restart', () => {
  it('runs 40 arms on 3 workers, each result written exactly once, and ends with the full comparison', async () => {
    workers.push(...(await Promise.all([0, 1, 2].map(() => startWorker(redis.url, directory)))));
    const out = path.join(directory, 'runs');
    const submitter = startCli(['ablate', config, '--axis', `training.optimizer.learningRate=${rates.join(',')}`, '--seeds', '0,1', '--out', out, '--queue', redis.url, '--no-progress'], directory);
    const finished = async () => (await filesUnder(out).catch(() => [])).filter((file) => file.endsWith('result.json')).length;
    for (let waited = 0; (await finished()) < 8; waited += 100) {
      if (waited > 240_000 || submitter.child.exitCode !== null) throw new Error(`the sweep did not get going:\n${submitter.output()}`);
      await sleep(100);
    }
    const before = await finished();
    await redis.restart({ downMilliseconds: 1500 });
    expect(await submitter.exited, submitter.output()).toBe(0);
    expect(before, 'the restart came in the middle').toBeLessThan(40);
    // the restart cut every one of them off, and each carried on
    for (const participant of [submitter, ...workers]) expect(participant.output()).toMatch(/^queue redis:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED .*\(retrying\)$/m);
    const comparison = JSON.parse(await readFile(path.join(out, 'tiny', 'comparison.json'), 'utf8')) as { arms: { label: string }[] };
    expect(comparison.arms).toHaveLength(40);
    const labels = comparison.arms.map((arm) => arm.label);
    expect(new Set(labels).size).toBe(40);
    const written = workers.flatMap((worker) => resultsWritten(worker.output()));
    expect(written.sort()).toEqual([...labels].sort()); // every arm once: none lost, none twice
    expect(await Promise.all(workers.splice(0).map(interrupt))).toEqual([0, 0, 0]);
  }, 400_000);
});
