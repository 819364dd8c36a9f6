import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { cpuBackendProvider, selectBackend } from '@robustfair/core';
import {
  createConfigJsonSchema,
  createRootContainer,
  loadOutsidePlugins,
  registeredPlugins,
  silentReporter,
} from '@robustfair/runner';
import type { AnyPluginDescriptor, Attack, AttackPlugin, FairnessStrategy, FairnessStrategyPlugin } from '@robustfair/spec';
import { attackChecks, fairnessStrategyChecks, type ConformanceCheck } from '@robustfair/testkit/checks';
import * as tf from '@tensorflow/tfjs-core';
import type { Command } from 'commander';
import { writeToStdout, type Write } from './output.js';

/** One line of `robustfair test-plugin`'s report. */
export interface CheckOutcome {
  readonly plugin: string;
  readonly check: string;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly message?: string;
}

/** The checks every descriptor gets, whatever its kind. */
function descriptorChecks(plugin: AnyPluginDescriptor, all: readonly AnyPluginDescriptor[], rawOptions: unknown): ConformanceCheck[] {
  return [
    {
      name: 'descriptor: kebab-case id, specification version v1, a summary',
      run: () => {
        if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(plugin.id)) throw new Error(`id '${plugin.id}' is not kebab-case`);
        if (plugin.specificationVersion !== 'v1') throw new Error(`specificationVersion is '${String(plugin.specificationVersion)}', expected 'v1'`);
        if (typeof plugin.summary !== 'string' || plugin.summary.trim() === '') throw new Error('summary is missing');
      },
    },
    {
      name: `options schema accepts ${JSON.stringify(rawOptions)}`,
      run: () => {
        const result = plugin.optionsSchema.safeParse(rawOptions);
        if (!result.success) throw new Error(result.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`).join('; '));
      },
    },
    {
      name: 'registers next to the built-ins and appears in the config JSON Schema',
      run: () => {
        const schema = JSON.stringify(createConfigJsonSchema(registeredPlugins(createRootContainer({ plugins: all, reporter: silentReporter }))));
        if (!schema.includes(JSON.stringify(plugin.id))) throw new Error(`'${plugin.id}' is missing from the generated schema`);
      },
    },
  ];
}

/** The conformance checks of a fairness strategy, then a check that running them created no tensors. */
function strategyChecks(plugin: FairnessStrategyPlugin, rawOptions: unknown): ConformanceCheck[] {
  const make = () => plugin.create(plugin.optionsSchema.parse(rawOptions), { seed: 0 }) as FairnessStrategy;
  const conformance = fairnessStrategyChecks(make);
  return [
    ...conformance,
    {
      name: 'leak: creating and running it leaves no tensors (strategies never touch tensors)',
      run: async () => {
        const before = tf.memory().numTensors;
        for (const check of conformance) {
          try {
            await check.run();
          } catch {
            // reported by the check itself
          }
        }
        const leaked = tf.memory().numTensors - before;
        if (leaked > 0) throw new Error(`${leaked} tensor(s) left alive`);
      },
    },
  ];
}

/** The attack conformance checks (shape, bounds and ε ball, purity, determinism, leaks, model mode). */
function attackPluginChecks(plugin: AttackPlugin, rawOptions: unknown): ConformanceCheck[] {
  const options = plugin.optionsSchema.safeParse(rawOptions);
  const modelMode = options.success && (options.data as { modelMode?: unknown }).modelMode === 'train' ? 'train' : 'eval';
  const make = () => plugin.create(plugin.optionsSchema.parse(rawOptions), { seed: 0 }) as Attack;
  return attackChecks(plugin.id, make, { modelMode });
}

/**
 * Loads a plugin module (a file, JavaScript or TypeScript, as a config's `plugins` would) and
 * runs the testkit's conformance checks for each descriptor it exports, without vitest:
 * fairness strategies and attacks. Kinds whose suites run in vitest only for now (objectives,
 * distillers, datasets, models) get the descriptor checks and a `skip` line.
 */
export async function testPlugin(file: string, rawOptions: unknown = {}): Promise<CheckOutcome[]> {
  const absolute = path.resolve(file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) throw new Error(`no plugin file ${absolute}`);
  // Resolved like a config's `plugins` entry next to the file: the same loader, hooks and errors.
  const plugins = await loadOutsidePlugins(absolute, [`./${path.basename(absolute)}`]);
  if (plugins.length === 0) throw new Error(`${absolute} exports no plugin descriptors (its default export is an empty array)`);
  await selectBackend('cpu', [cpuBackendProvider]);
  const outcomes: CheckOutcome[] = [];
  for (const plugin of plugins) {
    const name = `${plugin.kind} '${plugin.id}'`;
    const checks = [...descriptorChecks(plugin, plugins, rawOptions)];
    if (plugin.kind === 'fairness-strategy') checks.push(...strategyChecks(plugin as FairnessStrategyPlugin, rawOptions));
    else if (plugin.kind === 'attack') checks.push(...attackPluginChecks(plugin as AttackPlugin, rawOptions));
    else outcomes.push({ plugin: name, check: `conformance suite of ${plugin.kind} plugins`, status: 'skip', message: 'runs in vitest only for now (see @robustfair/testkit)' });
    for (const check of checks) {
      const label = check.group ? `${check.group}: ${check.name}` : check.name;
      try {
        await check.run();
        outcomes.push({ plugin: name, check: label, status: 'pass' });
      } catch (error) {
        outcomes.push({ plugin: name, check: label, status: 'fail', message: (error as Error).message });
      }
    }
  }
  return outcomes;
}

/** One line per check: `pass  fairness-strategy 'x': <check>`, with the reason after a failure. */
export function formatOutcomes(outcomes: readonly CheckOutcome[]): string {
  const lines = outcomes.map((outcome) => `${outcome.status.padEnd(4)}  ${outcome.plugin}: ${outcome.check}${outcome.message ? `\n      ${outcome.message}` : ''}`);
  const failed = outcomes.filter((outcome) => outcome.status === 'fail').length;
  const passed = outcomes.filter((outcome) => outcome.status === 'pass').length;
  return `${lines.join('\n')}\n${failed === 0 ? 'ok' : 'FAILED'}: ${passed} passed, ${failed} failed, ${outcomes.length - passed - failed} skipped\n`;
}

/**
 * `robustfair test-plugin <file> [--options JSON]`: the conformance checks of every plugin the
 * file exports, a line per check; exit code 1 when one fails. Importing the file runs it.
 */
export function registerTestPluginCommand(program: Command, write: Write = writeToStdout): Command {
  return program
    .command('test-plugin')
    .argument('<file>', 'plugin module (.js, .mjs, .ts, .mts) whose default export is an array of plugin descriptors')
    .option('--options <json>', "options to create each plugin with (JSON; default {} so the schema's defaults)", '{}')
    .description("run the testkit conformance and leak checks on a plugin file (it runs as code); exits 1 when a check fails")
    .action(async (file: string, flags: { options: string }) => {
      let options: unknown;
      try {
        options = JSON.parse(flags.options);
      } catch (error) {
        throw new Error(`--options is not JSON: ${(error as Error).message}`);
      }
      const outcomes = await testPlugin(file, options);
      write(formatOutcomes(outcomes));
      if (outcomes.some((outcome) => outcome.status === 'fail')) process.exitCode = 1;
    });
}
