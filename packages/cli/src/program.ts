import { existsSync } from 'node:fs';
import path from 'node:path';
import { backendIds, type BackendChoice } from '@robustfair/core';
import {
  armsOf,
  createRootContainer,
  evaluateSavedModel,
  crossComparison,
  defaultTeacherCacheDirectory,
  teacherCacheVariable,
  datasetFileProblems,
  parseAxis,
  pluginRegistriesByKind,
  loadOutsidePlugins,
  readArmManifest,
  describePlugin,
  runExperiments,
  resumeArm,
  specHash,
  specRegistries,
  validateSpecPlugins,
} from '@robustfair/runner';
import { submitSweep } from '@robustfair/queue';
import { Command, Option } from 'commander';
import { collect, loadWithFlags, parseWorkers, withOutput, type CommonFlags } from './commands/common-options.js';
import { registerExportCommand } from './commands/export.js';
import { loadSafetensorsEvaluation } from './commands/safetensors-evaluation.js';
import { registerInfoCommand } from './commands/info.js';
import { trainIgnoresCompareNotice } from './commands/notices.js';
import { checkPluginFiles } from './commands/plugin-files.js';
import { requirePluginConsent } from './commands/plugin-consent.js';
import { queueOption, registerQueueCommands } from './commands/queue.js';
import { registerReportCommand } from './commands/report.js';
import { registerSchemaCommand } from './commands/schema.js';
import { registerTestPluginCommand } from './commands/test-plugin.js';

const print = (text: string) => process.stdout.write(`${text}\n`);

function withCommonFlags(command: Command): Command {
  return command
    .option('--out <dir>', 'results directory', 'runs')
    .addOption(new Option('--backend <id>', 'TF.js backend (default: the config, else auto)').choices(['auto', ...backendIds]))
    .option('--seed <n>', 'override the config seed')
    .option('--set <key=value>', 'override a config field (dotted path, JSON value); repeatable', collect, [])
    .option('-q, --quiet', 'no progress lines')
    .option('--no-progress', 'plain progress lines instead of bars (bars only when stderr is a terminal)');
}

const workersOption = () =>
  new Option('--workers <n>', 'arms trained at once, each in its own process (bounded by the cores); teachers train first').argParser(parseWorkers).default(1);

/** `--teacher-cache DIR` / `--no-teacher-cache`, for the commands that may train teachers. */
const teacherCacheOptions = (command: Command): Command =>
  command
    .option('--teacher-cache <dir>', `trained teachers shared across runs (default: $${teacherCacheVariable}, else ~/.cache/robustfair/teachers)`)
    .option('--no-teacher-cache', 'train teachers without the shared cache (they are still reused within --out)');

type TeacherCacheFlags = { teacherCache?: string | false };
const teacherCacheOf = (flags: TeacherCacheFlags): { teacherCache?: string } => {
  if (flags.teacherCache === false) return {};
  const directory = typeof flags.teacherCache === 'string' ? path.resolve(flags.teacherCache) : defaultTeacherCacheDirectory();
  return directory === undefined ? {} : { teacherCache: directory };
};

const backendOf = (flags: CommonFlags): { backend?: BackendChoice } => (flags.backend ? { backend: flags.backend } : {});

type QueueFlags = { queue?: string; detach?: boolean; attempts: number };
const queueOptionForSweeps = () => queueOption().conflicts('workers');
const detachOption = () => new Option('--detach', 'with --queue: submit the arms and exit (follow them with robustfair status)');
const attemptsOption = () => new Option('--attempts <n>', "with --queue: tries per arm before it fails for good (a worker's death does not count)").argParser(parseWorkers).default(3);

/** `ablate|compare --queue URL`: the arms go to the queue's workers instead of this process. */
async function submitToQueue(config: Parameters<typeof submitSweep>[0], flags: CommonFlags & TeacherCacheFlags & QueueFlags): Promise<void> {
  await withOutput(flags, ({ reporter, print }) =>
    submitSweep(config, {
      queue: flags.queue as string,
      out: flags.out,
      reporter,
      print,
      detach: flags.detach === true,
      attempts: flags.attempts,
      ...backendOf(flags),
      ...teacherCacheOf(flags),
    }),
  );
}

/** The `robustfair` command. Thin: it parses flags and calls the runner. */
export function createProgram(): Command {
  const program = new Command('robustfair')
    .description('Adversarial robust fairness: train, evaluate and compare methods class-wise.')
    .showHelpAfterError();

  teacherCacheOptions(withCommonFlags(program.command('train').argument('[config]', 'experiment config (JSON or YAML); optional with --resume')))
    .option('--resume <dir>', 'continue the arm in this results directory (wherever it is now) from its last checkpoint')
    .option('--allow-plugins', "with --resume and no config: load the outside plugins the run directory's spec.json names (they run as code)")
    .description("train the config's experiment (its base spec), evaluate it class-wise, save weights; checkpoints every epoch")
    .action(async (file: string | undefined, flags: CommonFlags & TeacherCacheFlags & { resume?: string; allowPlugins?: boolean }) => {
      if (flags.resume) {
        const directory = flags.resume;
        // The arm directory records its spec and config file: nothing else is needed to continue.
        const manifest = await readArmManifest(directory);
        if (!file) requirePluginConsent(manifest, directory, flags.allowPlugins, `robustfair train CONFIG --resume ${directory}`);
        const config = file ? await loadWithFlags(file, flags) : { file: manifest.configFile, raw: manifest.spec as Record<string, unknown>, spec: manifest.spec };
        if (specHash(config.spec) !== manifest.specHash) {
          throw new Error(`--resume ${directory}: the config differs from the one this run was started with`);
        }
        // DIR itself continues, not the `out` it was started under: a moved run stays where it is.
        await withOutput(flags, ({ reporter, print }) =>
          resumeArm({ file: config.file, raw: config.raw, spec: config.spec }, manifest, directory, { reporter, print, saveWeights: true, ...backendOf(flags) }),
        );
        return;
      }
      if (!file) throw new Error("train needs a config file (or --resume DIR)");
      const config = await loadWithFlags(file, flags);
      const { compare, ...single } = config; // train runs the base spec only
      if (compare) process.stderr.write(`${trainIgnoresCompareNotice(file, compare)}\n`);
      await withOutput(flags, ({ reporter, print }) => runExperiments(single, { out: flags.out, reporter, print, saveWeights: true, ...backendOf(flags), ...teacherCacheOf(flags) }));
    });

  teacherCacheOptions(withCommonFlags(program.command('compare').argument('<config>', 'config with a "compare" block')))
    .option('--resume', 'continue an interrupted comparison in --out: finished arms are reused, the others continue from their checkpoints')
    .option('--seeds <list>', 'run every arm with each of these seeds, e.g. 0,1,2 (arms labelled <arm>-seed<k>)')
    .addOption(workersOption())
    .addOption(queueOptionForSweeps())
    .addOption(detachOption())
    .addOption(attemptsOption())
    .description('run an ablation: arms that differ in one field, same seed; prints a class-wise comparison')
    .action(async (file: string, flags: CommonFlags & TeacherCacheFlags & QueueFlags & { resume?: boolean; seeds?: string; workers: number }) => {
      const config = await loadWithFlags(file, flags);
      if (!config.compare) throw new Error(`${config.file} has no "compare" block; use 'robustfair train' for a single run`);
      const compare = flags.seeds ? crossComparison(config.compare, [parseAxis(`seed=${flags.seeds}`)]) : config.compare;
      if (flags.queue) return submitToQueue({ ...config, compare }, flags);
      await withOutput(flags, ({ reporter, print }) =>
        runExperiments({ ...config, compare }, { out: flags.out, reporter, print, resume: flags.resume === true, workers: flags.workers, ...backendOf(flags), ...teacherCacheOf(flags) }),
      );
    });

  teacherCacheOptions(withCommonFlags(program.command('ablate').argument('<config>', 'the base experiment config')))
    .option('--axis <field=values>', 'an axis: a dotted field and its values (v1,v2 or a JSON array); repeatable', collect, [])
    .option('--seeds <list>', 'seeds to repeat every arm with, e.g. 0,1,2')
    .option('--fresh', 'retrain finished arms instead of reusing them')
    .addOption(
      new Option('--resume', 'continue an interrupted ablation in --out (an error when it holds none): finished arms are reused, the others continue from their checkpoints').conflicts('fresh'),
    )
    .addOption(workersOption())
    .addOption(queueOptionForSweeps())
    .addOption(detachOption())
    .addOption(attemptsOption())
    .description('expand a base config over axes (and seeds) into arms, run them, print one comparison; reruns reuse finished arms and continue unfinished ones')
    .action(async (file: string, flags: CommonFlags & TeacherCacheFlags & QueueFlags & { axis: string[]; seeds?: string; fresh?: boolean; resume?: boolean; workers: number }) => {
      const config = await loadWithFlags(file, flags);
      const axes = [...flags.axis.map(parseAxis), ...(flags.seeds ? [parseAxis(`seed=${flags.seeds}`)] : [])];
      // The config's own arms (its compare block) run at every axis value; without one, the base spec does.
      const compare = crossComparison(config.compare, axes);
      const directory = path.resolve(flags.out, config.spec.name);
      if (flags.resume && !existsSync(directory)) throw new Error(`ablate --resume: ${directory} holds no earlier run of '${config.spec.name}'; start it without --resume`);
      if (flags.queue) {
        if (flags.fresh) throw new Error('ablate --queue reuses finished arms; --fresh is for local runs (delete the arm directories to retrain them)');
        return submitToQueue({ ...config, compare }, flags);
      }
      // Without --fresh every rerun resumes: finished arms are reused, unfinished ones continue from their checkpoints.
      await withOutput(flags, ({ reporter, print }) =>
        runExperiments({ ...config, compare }, { out: flags.out, reporter, print, resume: flags.fresh !== true, workers: flags.workers, ...backendOf(flags), ...teacherCacheOf(flags) }),
      );
    });

  withCommonFlags(program.command('eval').argument('[config]', 'the config the weights were trained with (optional with --checkpoint, or with a .safetensors file and --model)'))
    .option('--weights <path>', 'a directory holding weights.json and weights.bin (from train), or a PyTorch state_dict as .safetensors')
    .option('--model <id>', 'with a .safetensors file: the architecture (model plugin id; options through --set model.options.…)')
    .option('--checkpoint <dir>', "an arm's results directory: evaluate its latest checkpoint")
    .option('--force', 'replace an earlier evaluation of the same weights (in <dir>/evaluations/)')
    .option('--allow-plugins', "with --checkpoint and no config: load the outside plugins the run directory's spec.json names (they run as code)")
    .description(
      "evaluate saved weights class-wise: clean, every attack of the config's evaluation and the per-sample worst case; written to <dir>/evaluations/checkpoint-<epochs>/ or <dir>/evaluations/weights/",
    )
    .action(async (file: string | undefined, flags: CommonFlags & { weights?: string; checkpoint?: string; model?: string; force?: boolean; allowPlugins?: boolean }) => {
      if ((flags.weights === undefined) === (flags.checkpoint === undefined)) throw new Error('eval needs exactly one of --weights DIR or --checkpoint DIR');
      const force = flags.force === true;
      if (flags.checkpoint) {
        const checkpoint = flags.checkpoint;
        const manifest = await readArmManifest(checkpoint);
        if (!file) requirePluginConsent(manifest, checkpoint, flags.allowPlugins, `robustfair eval CONFIG --checkpoint ${checkpoint}`);
        const config = file ? await loadWithFlags(file, flags) : { file: manifest.configFile, raw: manifest.spec as Record<string, unknown>, spec: manifest.spec };
        // The arm keeps its own label (a comparison's arm is not named after the config).
        await withOutput(flags, ({ reporter, print }) =>
          evaluateSavedModel({ file: config.file, raw: config.raw, spec: config.spec }, { checkpoint }, { out: flags.out, reporter, print, label: manifest.label, force, ...backendOf(flags) }),
        );
        return;
      }
      const weights = flags.weights as string;
      if (weights.endsWith('.safetensors')) {
        // Any PyTorch checkpoint of a supported architecture: the config (or the default
        // CIFAR-10 evaluation) says what to evaluate on, --model which architecture it is.
        const config = await loadSafetensorsEvaluation(file, weights, flags);
        await withOutput(flags, ({ reporter, print }) =>
          evaluateSavedModel(config, { safetensors: path.resolve(weights) }, { out: flags.out, reporter, print, force, ...backendOf(flags) }),
        );
        return;
      }
      if (flags.model) throw new Error('--model is for a .safetensors file; a weights directory is evaluated with the config it was trained with');
      if (!file) throw new Error('eval --weights needs the config file the weights were trained with');
      const config = await loadWithFlags(file, flags);
      await withOutput(flags, ({ reporter, print }) =>
        evaluateSavedModel(config, { weights }, { out: flags.out, reporter, print, force, ...backendOf(flags) }),
      );
    });

  program
    .command('validate')
    .argument('<config>', 'experiment config (JSON or YAML)')
    .option('--set <key=value>', 'override a config field', collect, [])
    .option('--allow-plugins', "import the config's outside plugins (runs their code) to check the options of the plugins they register")
    .description("check a config and every arm's plugin options without training; outside plugins are not imported unless --allow-plugins")
    .action(async (file: string, flags: { set: string[]; allowPlugins?: boolean }) => {
      const config = await loadWithFlags(file, { out: 'runs', set: flags.set });
      const { plugins } = config.spec;
      // Checking an untrusted config must not run it: its plugins are only looked at on disk.
      const importPlugins = flags.allowPlugins === true || plugins.length === 0;
      if (!importPlugins) await checkPluginFiles(config.file, plugins);
      const root = createRootContainer(importPlugins ? { plugins: await loadOutsidePlugins(config.file, plugins) } : {});
      const registries = specRegistries(root);
      const arms = armsOf(config);
      const unchecked: string[] = [];
      for (const arm of arms) {
        const before = unchecked.length;
        validateSpecPlugins(arm.spec, registries, `arm '${arm.label}' of ${config.file}`, importPlugins ? {} : { unchecked });
        for (let index = before; index < unchecked.length; index++) unchecked[index] = `arm '${arm.label}' ${unchecked[index]}`;
      }
      // A config that parses but whose data is not on disk would fail at the start of train: say what to get.
      const missingData = datasetFileProblems(arms.map((arm) => arm.spec), registries);
      if (missingData.length > 0) throw new Error(`${config.file}: the config is valid, but its data is missing:\n  ${missingData.join('\n  ')}`);
      print(`${config.file}: valid (${arms.length} arm${arms.length === 1 ? '' : 's'}: ${arms.map((arm) => arm.label).join(', ')})`);
      if (!importPlugins) {
        print(`outside plugins not imported (they run as code; --allow-plugins imports them): ${plugins.map((specifier) => describePlugin(config.file, specifier)).join(', ')}`);
        if (unchecked.length > 0) print(`not checked (provided by those plugins): ${unchecked.join('; ')}`);
      }
    });

  program
    .command('list')
    .description('list the registered plugins of every kind')
    .action(() => {
      const kinds = pluginRegistriesByKind(createRootContainer());
      const width = Math.max(...kinds.flatMap(([, registry]) => registry.ids().map((id) => id.length)));
      for (const [kind, registry] of kinds) {
        print(`${kind}:`);
        if (registry.ids().length === 0) print('  (none registered)');
        for (const id of registry.ids()) print(`  ${id.padEnd(width)}  ${registry.get(id).summary}`);
      }
    });

  registerInfoCommand(program);
  registerSchemaCommand(program);
  registerTestPluginCommand(program);
  registerReportCommand(program);
  registerQueueCommands(program);
  registerExportCommand(program);

  return program;
}
