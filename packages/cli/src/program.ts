import { backendIds, selectBackend, type BackendChoice } from '@robustfair/core';
import {
  AttackRegistry,
  DatasetRegistry,
  DistillerRegistry,
  FairnessStrategyRegistry,
  MetricRegistry,
  ModelRegistry,
  ObjectiveRegistry,
  type PluginRegistry,
} from '@robustfair/spec';
import {
  armsOf,
  createRootContainer,
  evaluateSavedModel,
  expandAblation,
  parseAxis,
  loadOutsidePlugins,
  readArmManifest,
  resolve,
  runExperiments,
  specHash,
  specRegistries,
  validateSpecPlugins,
} from '@robustfair/runner';
import { Command, Option } from 'commander';
import { collect, loadWithFlags, reporterFor, type CommonFlags } from './commands/common-options.js';

const print = (text: string) => process.stdout.write(`${text}\n`);

function withCommonFlags(command: Command): Command {
  return command
    .option('--out <dir>', 'results directory', 'runs')
    .addOption(new Option('--backend <id>', 'TF.js backend (default: the config, else auto)').choices(['auto', ...backendIds]))
    .option('--seed <n>', 'override the config seed')
    .option('--set <key=value>', 'override a config field (dotted path, JSON value); repeatable', collect, [])
    .option('-q, --quiet', 'no progress lines');
}

const backendOf = (flags: CommonFlags): { backend?: BackendChoice } => (flags.backend ? { backend: flags.backend } : {});

/** The `robustfair` command. Thin: it parses flags and calls the runner. */
export function createProgram(): Command {
  const program = new Command('robustfair')
    .description('Adversarial robust fairness: train, evaluate and compare methods class-wise.')
    .showHelpAfterError();

  withCommonFlags(program.command('train').argument('[config]', 'experiment config (JSON); optional with --resume'))
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
        await runExperiments({ file: config.file, raw: config.raw, spec: config.spec }, {
          out: manifest.out,
          reporter: reporterFor(flags),
          print,
          saveWeights: true,
          resume: true,
          ...backendOf(flags),
        });
        return;
      }
      if (!file) throw new Error("train needs a config file (or --resume DIR)");
      const config = await loadWithFlags(file, flags);
      const { compare: _compare, ...single } = config; // train runs the base spec only
      await runExperiments(single, { out: flags.out, reporter: reporterFor(flags), print, saveWeights: true, ...backendOf(flags) });
    });

  withCommonFlags(program.command('compare').argument('<config>', 'config with a "compare" block'))
    .option('--resume', 'continue an interrupted comparison in --out: finished arms are reused, the others continue from their checkpoints')
    .description('run an ablation: arms that differ in one field, same seed; prints a class-wise comparison')
    .action(async (file: string, flags: CommonFlags & { resume?: boolean }) => {
      const config = await loadWithFlags(file, flags);
      if (!config.compare) throw new Error(`${config.file} has no "compare" block; use 'robustfair train' for a single run`);
      await runExperiments(config, { out: flags.out, reporter: reporterFor(flags), print, resume: flags.resume === true, ...backendOf(flags) });
    });

  withCommonFlags(program.command('ablate').argument('<config>', 'the base experiment config'))
    .option('--axis <field=values>', 'an axis: a dotted field and its values (v1,v2 or a JSON array); repeatable', collect, [])
    .option('--seeds <list>', 'seeds to repeat every arm with, e.g. 0,1,2')
    .option('--fresh', 'retrain finished arms instead of reusing them')
    .description('expand a base config over axes (and seeds) into arms, run them, print one comparison; reruns reuse finished arms')
    .action(async (file: string, flags: CommonFlags & { axis: string[]; seeds?: string; fresh?: boolean }) => {
      const config = await loadWithFlags(file, flags);
      const axes = [...flags.axis.map(parseAxis), ...(flags.seeds ? [parseAxis(`seed=${flags.seeds}`)] : [])];
      const compare = expandAblation(axes);
      await runExperiments({ ...config, compare }, { out: flags.out, reporter: reporterFor(flags), print, resume: flags.fresh !== true, ...backendOf(flags) });
    });

  withCommonFlags(program.command('eval').argument('[config]', 'the config the weights were trained with (optional with --checkpoint)'))
    .option('--weights <dir>', 'directory holding weights.json and weights.bin (from train)')
    .option('--checkpoint <dir>', "an arm's results directory: evaluate its latest checkpoint")
    .description("evaluate saved weights class-wise: clean, every attack of the config's evaluation and the per-sample worst case")
    .action(async (file: string | undefined, flags: CommonFlags & { weights?: string; checkpoint?: string }) => {
      if ((flags.weights === undefined) === (flags.checkpoint === undefined)) throw new Error('eval needs exactly one of --weights DIR or --checkpoint DIR');
      const run = { out: flags.out, reporter: reporterFor(flags), print, ...backendOf(flags) };
      if (flags.checkpoint) {
        const manifest = await readArmManifest(flags.checkpoint);
        const config = file ? await loadWithFlags(file, flags) : { file: manifest.configFile, raw: manifest.spec as Record<string, unknown>, spec: manifest.spec };
        await evaluateSavedModel({ file: config.file, raw: config.raw, spec: config.spec }, { checkpoint: flags.checkpoint }, run);
        return;
      }
      if (!file) throw new Error('eval --weights needs the config file the weights were trained with');
      await evaluateSavedModel(await loadWithFlags(file, flags), { weights: flags.weights as string }, run);
    });

  program
    .command('validate')
    .argument('<config>', 'experiment config (JSON)')
    .option('--set <key=value>', 'override a config field', collect, [])
    .description('check a config and every arm\'s plugin options without training')
    .action(async (file: string, flags: { set: string[] }) => {
      const config = await loadWithFlags(file, { out: 'runs', set: flags.set });
      const root = createRootContainer({ plugins: await loadOutsidePlugins(config.file, config.spec.plugins) });
      const registries = specRegistries(root);
      const arms = armsOf(config);
      for (const arm of arms) validateSpecPlugins(arm.spec, registries, `arm '${arm.label}'`);
      print(`${config.file}: valid (${arms.length} arm${arms.length === 1 ? '' : 's'}: ${arms.map((arm) => arm.label).join(', ')})`);
    });

  program
    .command('list')
    .description('list the registered plugins of every kind')
    .action(() => {
      const root = createRootContainer();
      const kinds: [string, PluginRegistry][] = [
        ['datasets', resolve(root, DatasetRegistry)],
        ['models', resolve(root, ModelRegistry)],
        ['attacks', resolve(root, AttackRegistry)],
        ['objectives', resolve(root, ObjectiveRegistry)],
        ['distillers', resolve(root, DistillerRegistry)],
        ['fairness strategies', resolve(root, FairnessStrategyRegistry)],
        ['metrics', resolve(root, MetricRegistry)],
      ];
      for (const [kind, registry] of kinds) {
        print(`${kind}:`);
        for (const id of registry.ids()) print(`  ${id.padEnd(18)} ${registry.get(id).summary}`);
      }
    });

  program
    .command('info')
    .addOption(new Option('--backend <id>', 'backend to try').choices(['auto', ...backendIds]))
    .description('show which TF.js backend is active and why the others were not taken')
    .action(async (flags: { backend?: BackendChoice }) => {
      const selection = await selectBackend(flags.backend === 'auto' ? undefined : flags.backend);
      print(`active backend: ${selection.active}`);
      for (const [id, reason] of Object.entries(selection.skipped)) print(`  ${id}: ${reason}`);
    });

  return program;
}
