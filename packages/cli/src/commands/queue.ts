import { redactRedisUrl, runQueueWorker, serveDashboard, sweepStatus } from '@robustfair/queue';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createCliOutput } from '../progress/cli-output.js';
import { parseWorkers } from './common-options.js';

// The commands of a sweep on a queue (issue 17): `worker`, `status` and `dashboard`; submitting is
// `ablate|compare --queue` (program.ts). Every Redis URL they print goes through redactRedisUrl.

/** `--queue <url>`, the Redis a sweep's arms are queued on. */
export const queueOption = () =>
  new Option('--queue <url>', 'Redis of the arms queue: redis://[user:password@]host:port[/db] (rediss:// for TLS); the password is never printed').argParser(
    (value: string) => {
      if (!/^rediss?:\/\//.test(value)) throw new InvalidArgumentError(`expected redis://… or rediss://…, got '${redactRedisUrl(value)}'`);
      return value;
    },
  );

const outputFlags = (command: Command) =>
  command.option('-q, --quiet', 'no progress lines').option('--no-progress', 'plain progress lines instead of bars (bars only when stderr is a terminal)');

/**
 * Calls `first` on the first SIGINT or SIGTERM and `second` on the next one. Returns a function
 * that removes the handlers.
 */
function onInterrupt(first: () => void, second: () => void): () => void {
  let seen = false;
  const handler = () => {
    if (seen) second();
    seen = true;
    first();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** `robustfair worker`, `robustfair status` and `robustfair dashboard`. */
export function registerQueueCommands(program: Command): void {
  outputFlags(program.command('worker'))
    .addOption(queueOption().makeOptionMandatory())
    .addOption(new Option('--concurrency <n>', 'arms run at once in this process').argParser(parseWorkers).default(1))
    .addOption(
      new Option('--lock-seconds <s>', "a running arm's lock on its job, renewed at half of it; a killed worker's arm moves to another worker after about this long")
        .argParser(parseWorkers)
        .default(30),
    )
    .description(
      'take arms from the queue and run them (checkpoints every epoch under the shared --out the arms were submitted with); Ctrl-C checkpoints the running epoch and puts the arm back, a second Ctrl-C stops at once',
    )
    .action(async (flags: { queue: string; concurrency: number; lockSeconds: number; quiet?: boolean; progress?: boolean }) => {
      const output = createCliOutput(flags);
      const controller = new AbortController();
      const release = onInterrupt(
        () => controller.abort(),
        () => process.exit(130),
      );
      try {
        await runQueueWorker({
          queue: flags.queue,
          concurrency: flags.concurrency,
          lockMilliseconds: flags.lockSeconds * 1000,
          reporter: output.reporter,
          print: output.print,
          signal: controller.signal,
        });
      } finally {
        release();
        output.close();
      }
      // Redis connections may still be closing (or retrying a Redis that is away): nothing is left to do.
      process.exit(0);
    });

  outputFlags(program.command('status').argument('<dir>', "the sweep's directory, <out>/<name> (where the submitter wrote queue.json)"))
    .addOption(queueOption().makeOptionMandatory())
    .description("each arm of a queued sweep: finished, waiting, running (with progress) or failed (with its error); writes the comparison once every arm has finished")
    .action(async (directory: string, flags: { queue: string; quiet?: boolean; progress?: boolean }) => {
      const output = createCliOutput(flags);
      try {
        const status = await sweepStatus(flags.queue, directory, output);
        if (status.arms.some((arm) => arm.state === 'failed' || arm.state === 'missing')) process.exitCode = 1;
      } finally {
        output.close();
      }
    });

  program
    .command('dashboard')
    .addOption(queueOption().makeOptionMandatory())
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--port <n>', 'port to listen on').argParser(parseWorkers).default(3000))
    .option('--allow-remote', 'allow a --host that is not loopback (the page has no login and can retry or remove jobs)')
    .description("serve a local page of the arms queue (jobs, states, progress, failures) until Ctrl-C; loopback only unless --allow-remote")
    .action(async (flags: { queue: string; host: string; port: number; allowRemote?: boolean }) => {
      const dashboard = await serveDashboard({
        queue: flags.queue,
        host: flags.host,
        port: flags.port,
        allowRemote: flags.allowRemote === true,
        onError: (message) => process.stderr.write(`${message}\n`),
      });
      process.stdout.write(`dashboard of ${redactRedisUrl(flags.queue)} on ${dashboard.url} (Ctrl-C stops it)\n`);
      let release = () => undefined as void;
      await new Promise<void>((resolve) => {
        release = onInterrupt(resolve, () => process.exit(130));
      });
      release();
      await dashboard.close();
    });
}
