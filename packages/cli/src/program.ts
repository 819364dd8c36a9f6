import { existsSync } from 'node:fs';
import path from 'node:path';
import { backendIds, type BackendChoice } from '@robustfair/core';
import {
  armsOf,
  createRootContainer,
  evaluateSavedModel,
  expandAblation,
  parseAxis,
  pluginRegistriesByKind,
  loadOutsidePlugins,
  readArmManifest,
  runExperiments,
  specHash,
  specRegistries,
  validateSpecPlugins,
} from '@robustfair/runner';
import { Command, Option } from 'commander';
import { collect, loadWithFlags, parseWorkers, withOutput, type CommonFlags } from './commands/common-options.js';
import { registerInfoCommand } from './commands/info.js';
import { registerReportCommand } from './commands/report.js';
import { registerSchemaCommand } from './commands/schema.js';

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

const backendOf = (flags: CommonFlags): { backend?: BackendChoice } => (flags.backend ? { backend: flags.backend } : {});

/** The `robustfair` command. Thin: it parses flags and calls the runner. */
export function createProgram(): Command {
  const program = new Command('robustfair')
    .description('Adversarial robust fairness: train, evaluate and compare methods class-wise.')
    .showHelpAfterError();

  withCommonFlags(program.command('train').argument('[config]', 'experiment config (JSON or YAML); optional with --resume'))
    .option('--resume <dir>', 'continue the arm in this results directory from its last checkpoint')
    .description("train the config's experiment (its base spec), evaluate it class-wise, save weights; checkpoints every epoch")
    .action(async (file: string | undefined, flags: CommonFlags & { resume?: string }) => {
      if (flags.resume) {
        // The arm directory records its spec and config file: nothing else is needed to continue.
        const manifest = await readArmManifest(flags.resume);
        const config = file ? await loadWithFlags(file, flags) : { file: manifest.configFile, raw: manifest.spec as Record<string, unknown>, spec: manifest.spec };
        if (specHash(config.spec) !== manifest.specHash) {
          throw new Error(`--resume ${flags.resume}: the config differs from the one this run was started with`);
        }
        await withOutput(flags, ({ reporter, print }) =>
          runExperiments({ file: config.file, raw: config.raw, spec: config.spec }, {
            out: manifest.out,
            reporter,
            print,
            saveWeights: true,
            resume: true,
            ...backendOf(flags),
          }),
        );
        return;
      }
      if (!file) throw new Error("train needs a config file (or --resume DIR)");
      const config = await loadWithFlags(file, flags);
      const { compare: _compare, ...single } = config; // train runs the base spec only
      await withOutput(flags, ({ reporter, print }) => runExperiments(single, { out: flags.out, reporter, print, saveWeights: true, ...backendOf(flags) }));
    });

  withCommonFlags(program.command('compare').argument('<config>', 'config with a "compare" block'))
    .option('--resume', 'continue an interrupted comparison in --out: finished arms are reused, the others continue from their checkpoints')
    .addOption(workersOption())
    .description('run an ablation: arms that differ in one field, same seed; prints a class-wise comparison')
    .action(async (file: string, flags: CommonFlags & { resume?: boolean; workers: number }) => {
      const config = await loadWithFlags(file, flags);
      if (!config.compare) throw new Error(`${config.file} has no "compare" block; use 'robustfair train' for a single run`);
      await withOutput(flags, ({ reporter, print }) =>
        runExperiments(config, { out: flags.out, reporter, print, resume: flags.resume === true, workers: flags.workers, ...backendOf(flags) }),
      );
    });

  withCommonFlags(program.command('ablate').argument('<config>', 'the base experiment config'))
    .option('--axis <field=values>', 'an axis: a dotted field and its values (v1,v2 or a JSON array); repeatable', collect, [])
    .option('--seeds <list>', 'seeds to repeat every arm with, e.g. 0,1,2')
    .option('--fresh', 'retrain finished arms instead of reusing them')
    .addOption(
      new Option('--resume', 'continue an interrupted ablation in --out (an error when it holds none): finished arms are reused, the others continue from their checkpoints').conflicts('fresh'),
    )
    .addOption(workersOption())
    .description('expand a base config over axes (and seeds) into arms, run them, print one comparison; reruns reuse finished arms and continue unfinished ones')
    .action(async (file: string, flags: CommonFlags & { axis: string[]; seeds?: string; fresh?: boolean; resume?: boolean; workers: number }) => {
      const config = await loadWithFlags(file, flags);
      const axes = [...flags.axis.map(parseAxis), ...(flags.seeds ? [parseAxis(`seed=${flags.seeds}`)] : [])];
      const compare = expandAblation(axes);
      const directory = path.resolve(flags.out, config.spec.name);
      if (flags.resume && !existsSync(directory)) throw new Error(`ablate --resume: ${directory} holds no earlier run of '${config.spec.name}'; start it without --resume`);
      // Without --fresh every rerun resumes: finished arms are reused, unfinished ones continue from their checkpoints.
      await withOutput(flags, ({ reporter, print }) =>
        runExperiments({ ...config, compare }, { out: flags.out, reporter, print, resume: flags.fresh !== true, workers: flags.workers, ...backendOf(flags) }),
      );
    });

  withCommonFlags(program.command('eval').argument('[config]', 'the config the weights were trained with (optional with --checkpoint)'))
    .option('--weights <dir>', 'directory holding weights.json and weights.bin (from train)')
    .option('--checkpoint <dir>', "an arm's results directory: evaluate its latest checkpoint")
    .description("evaluate saved weights class-wise: clean, every attack of the config's evaluation and the per-sample worst case")
    .action(async (file: string | undefined, flags: CommonFlags & { weights?: string; checkpoint?: string }) => {
      if ((flags.weights === undefined) === (flags.checkpoint === undefined)) throw new Error('eval needs exactly one of --weights DIR or --checkpoint DIR');
      if (flags.checkpoint) {
        const checkpoint = flags.checkpoint;
        const manifest = await readArmManifest(checkpoint);
        const config = file ? await loadWithFlags(file, flags) : { file: manifest.configFile, raw: manifest.spec as Record<string, unknown>, spec: manifest.spec };
        await withOutput(flags, ({ reporter, print }) =>
          evaluateSavedModel({ file: config.file, raw: config.raw, spec: config.spec }, { checkpoint }, { out: flags.out, reporter, print, ...backendOf(flags) }),
        );
        return;
      }
      if (!file) throw new Error('eval --weights needs the config file the weights were trained with');
      const config = await loadWithFlags(file, flags);
      await withOutput(flags, ({ reporter, print }) =>
        evaluateSavedModel(config, { weights: flags.weights as string }, { out: flags.out, reporter, print, ...backendOf(flags) }),
      );
    });

  program
    .command('validate')
    .argument('<config>', 'experiment config (JSON or YAML)')
    .option('--set <key=value>', 'override a config field', collect, [])
    .description('check a config and every arm\'s plugin options without training')
    .action(async (file: string, flags: { set: string[] }) => {
      const config = await loadWithFlags(file, { out: 'runs', set: flags.set });
      const root = createRootContainer({ plugins: await loadOutsidePlugins(config.file, config.spec.plugins) });
      const registries = specRegistries(root);
      const arms = armsOf(config);
      for (const arm of arms) validateSpecPlugins(arm.spec, registries, `arm '${arm.label}' of ${config.file}`);
      print(`${config.file}: valid (${arms.length} arm${arms.length === 1 ? '' : 's'}: ${arms.map((arm) => arm.label).join(', ')})`);
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
  registerReportCommand(program);

  return program;
}
