import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { armLockFileName } from '@robustfair/runner';
import { redisServerMissing, startTestRedis, type TestRedis } from '@robustfair/queue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, interrupt, resultsWritten, startCli, startWorker, withoutTimings, type CliProcess } from './queue-processes.js';
import { cliBin } from './run-cli.js';

// Issue 17, acceptance 1 and 2: the quickstart's arms × 2 seeds (shrunk to CI size) through a
// real Redis by 2 real worker processes give the local run's results, byte for byte but for
// timings, and so does a sweep during which a worker is killed (-9) in the middle of an arm: the
// other worker continues that arm from its last checkpoint. Needs Debian's redis-server and the
// built CLI; skipped with the reason without them.
const missing = redisServerMissing() ?? (existsSync(cliBin) ? undefined : 'the CLI is not built (pnpm build): the queue end-to-end tests are skipped');
if (missing) console.warn(missing);

const quickstart = fileURLToPath(new URL('../../../../examples/quickstart/robustfair.config.json', import.meta.url));
const sweep = [
  'compare', quickstart, '--seeds', '0,1', '--backend', 'cpu', '--no-progress',
  ...['dataset.options.trainPerClass=10', 'dataset.options.testPerClass=2', 'dataset.options.imageSize=8', 'model.options.width=2', 'training.epochs=3', 'training.batchSize=25'].flatMap((value) => ['--set', value]),
];
const labels = ['identity-seed0', 'identity-seed1', 'class-reweight-seed0', 'class-reweight-seed1'];
const password = 'queue-e2e-secret';

let directory: string;
let redis: TestRedis;
const workers: CliProcess[] = [];
// Every sweep writes to the same --out (then moved aside), so that even the paths in the files agree.
const out = () => path.join(directory, 'runs');

/** Runs a submitter to the end and resolves with its output; fails with that output. */
async function submit(args: readonly string[]): Promise<string> {
  const submitter = startCli([...sweep, '--out', out(), ...args], directory);
  const code = await submitter.exited;
  if (code !== 0) throw new Error(`the submitter exited with ${code}:\n${submitter.output()}`);
  return submitter.output();
}

/** The sweep moved to `<directory>/<name>` has the local run's files, equal but for timings. */
async function expectSameAsLocal(name: string): Promise<void> {
  const local = path.join(directory, 'local', 'quickstart');
  const queued = path.join(directory, name, 'quickstart');
  const files = (await filesUnder(local)).filter((file) => !file.endsWith('checkpoint.json') && !file.endsWith('.bin'));
  expect((await filesUnder(queued)).filter((file) => files.includes(file))).toEqual(files);
  for (const file of files) {
    if (file.endsWith('.json') || file.endsWith('.jsonl')) {
      if (file.endsWith('.jsonl')) {
        const lines = async (root: string) => (await readFile(path.join(root, file), 'utf8')).trim().split('\n').map((line) => JSON.parse(line, (key, value: unknown) => (key === 'seconds' ? undefined : value)) as unknown);
        expect(await lines(queued), file).toEqual(await lines(local));
      } else {
        expect(await withoutTimings(path.join(queued, file)), file).toEqual(await withoutTimings(path.join(local, file)));
      }
    } else {
      expect((await readFile(path.join(queued, file))).equals(await readFile(path.join(local, file))), file).toBe(true);
    }
  }
}

beforeAll(async () => {
  if (missing) return;
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-queue-e2e-'));
  redis = await startTestRedis({ password });
  const local = startCli([...sweep, '--out', out()], directory);
  expect(await local.exited, local.output()).toBe(0);
  await rename(out(), path.join(directory, 'local'));
}, 300_000);
afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  await redis?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe.skipIf(missing !== undefined)('robustfair compare --queue with robustfair worker', () => {
  it('gives the local comparison with 2 workers; submitting again reuses every arm; the password is never shown', async () => {
    workers.push(await startWorker(redis.url, directory), await startWorker(redis.url, directory));
    const first = await submit(['--queue', redis.url]);
    expect(first).toContain("comparison over 'method'");
    const written = workers.flatMap((worker) => resultsWritten(worker.output()));
    expect(written.sort()).toEqual([...labels].sort()); // each arm once
    for (const worker of workers) expect(resultsWritten(worker.output()).length, 'both workers took arms').toBeGreaterThan(0);
    // the same sweep again: nothing is queued, every arm's result is reused
    const second = await submit(['--queue', redis.url]);
    expect(second).toContain('0 arm(s) queued');
    expect(second.match(/already finished: reusing/g)).toHaveLength(4);
    for (const text of [first, second, ...workers.map((worker) => worker.output())]) {
      expect(text).not.toContain(password);
      expect(text).toContain(':***@127.0.0.1');
    }
    for (const file of await filesUnder(out())) expect(await readFile(path.join(out(), file), 'latin1'), file).not.toContain(password);
    // Ctrl-C on an idle worker: it stops cleanly
    expect(await Promise.all(workers.splice(0).map(interrupt))).toEqual([0, 0]);
    await rename(out(), path.join(directory, 'queued'));
    await expectSameAsLocal('queued');
  }, 300_000);

  it('survives kill -9 of a worker in the middle of an arm: the other worker resumes it from its checkpoint, same comparison', async () => {
    workers.push(await startWorker(redis.url, directory, ['--lock-seconds', '4']), await startWorker(redis.url, directory, ['--lock-seconds', '4']));
    const submitter = startCli([...sweep, '--out', out(), '--queue', redis.url], directory);
    // An arm with a checkpoint and no result, locked by one of the workers: kill that worker.
    let killed: { label: string; worker: CliProcess } | undefined;
    for (let waited = 0; !killed; waited += 20) {
      if (waited > 240_000 || submitter.child.exitCode !== null) throw new Error(`no arm was caught between a checkpoint and its result:\n${submitter.output()}`);
      for (const label of labels) {
        const arm = path.join(out(), 'quickstart', label);
        if (!existsSync(path.join(arm, 'checkpoint.json')) || existsSync(path.join(arm, 'result.json'))) continue;
        const lock = await readFile(path.join(arm, armLockFileName), 'utf8').catch(() => undefined);
        const pid = lock === undefined ? undefined : (JSON.parse(lock) as { pid: number }).pid;
        const worker = workers.find((candidate) => candidate.child.pid === pid);
        if (!worker) continue;
        worker.child.kill('SIGKILL');
        killed = { label, worker };
        break;
      }
      await sleep(20);
    }
    expect(await submitter.exited, submitter.output()).toBe(0);
    const survivor = workers.find((worker) => worker !== killed?.worker) as CliProcess;
    expect(survivor.output()).toMatch(new RegExp(`^\\[${killed.label}\\] resuming after epoch [12]$`, 'm'));
    expect(resultsWritten(survivor.output())).toContain(killed.label);
    expect(resultsWritten(killed.worker.output())).not.toContain(killed.label);
    expect(await interrupt(survivor)).toBe(0);
    workers.splice(0);
    await expectSameAsLocal('runs');
  }, 400_000);
});
