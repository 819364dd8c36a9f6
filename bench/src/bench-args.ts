import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * The command line of a bench script: `--help` lists its options with their defaults, and an
 * unknown or malformed option ends the process with one line naming it (never a Node stack).
 */
export function parseBenchArgs<T extends Options>(command: string, options: T): ReturnType<typeof parseArgs<{ options: T }>> {
  const usage = () =>
    `usage: ${command} [options]\n` +
    Object.entries(options)
      .map(([name, option]) => `  --${name}${option.type === 'string' ? ' <value>' : ''}${typeof option.default === 'string' && option.default !== '' ? ` (default ${option.default})` : ''}`)
      .join('\n') +
    '\n';
  if (process.argv.slice(2).some((argument) => argument === '--help' || argument === '-h')) {
    process.stdout.write(usage());
    process.exit(0);
  }
  try {
    return parseArgs({ options });
  } catch (error) {
    process.stderr.write(`${command}: ${error instanceof Error ? error.message : String(error)}\n${usage()}`);
    process.exit(1);
  }
}
