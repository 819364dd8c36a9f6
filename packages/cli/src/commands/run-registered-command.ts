import { Command } from 'commander';

/** How each command module registers itself: on a program, printing through `print`. */
export type RegisterCommand = (program: Command, print: (text: string) => void) => void;

/**
 * Runs one subcommand in-process, as `robustfair <name> ...args`, and returns what it printed
 * (the command tests use it; commander's exits become exceptions).
 */
export async function runRegisteredCommand(register: RegisterCommand, name: string, args: readonly string[]): Promise<string> {
  let output = '';
  const program = new Command('robustfair').exitOverride();
  register(program, (text) => {
    output += text;
  });
  await program.parseAsync([name, ...args], { from: 'user' });
  return output;
}
