import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createConfigJsonSchema,
  createRootContainer,
  formatConfigJsonSchema,
  loadConfig,
  loadOutsidePlugins,
  registeredPlugins,
  silentReporter,
} from '@robustfair/runner';
import type { Command } from 'commander';
import { writeToStdout, type Write } from './output.js';

/**
 * `robustfair schema [--out FILE] [--config FILE]`: the JSON Schema of config files (JSON or
 * YAML), generated from the zod schemas with every registered plugin's options, for editor
 * completion. Point a config at it with `"$schema": "<path>"`.
 */
export function registerSchemaCommand(program: Command, write: Write = writeToStdout): Command {
  return program
    .command('schema')
    .description("print the JSON Schema of config files (editor completion for every registered plugin's options)")
    .option('--out <file>', 'write the schema to this file instead of stdout')
    .option('--config <file>', "also describe the outside plugins this config loads (its 'plugins')")
    .action(async (flags: { out?: string; config?: string }) => {
      const config = flags.config === undefined ? undefined : await loadConfig(flags.config);
      const outside = config ? await loadOutsidePlugins(config.file, config.spec.plugins) : [];
      const plugins = registeredPlugins(createRootContainer({ plugins: outside, reporter: silentReporter }));
      const text = formatConfigJsonSchema(createConfigJsonSchema(plugins));
      if (flags.out === undefined) {
        write(text);
        return;
      }
      const file = path.resolve(flags.out);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      write(`wrote ${file}\n`);
    });
}
