import { exportArmWeights, silentReporter } from '@robustfair/runner';
import { Option, type Command } from 'commander';
import { writeToStdout, type Write } from './output.js';

/**
 * `robustfair export ARM_DIR --format safetensors [--out FILE]`: an arm's final weights as a
 * PyTorch `state_dict` (names and layouts of PyTorch's class of the same architecture), so the
 * model trained here loads in PyTorch; prints the file, its size and its SHA-256.
 */
export function registerExportCommand(program: Command, write: Write = writeToStdout): Command {
  return program
    .command('export')
    .argument('<dir>', "an arm's results directory (it holds spec.json and the weights saved by train)")
    .addOption(new Option('--format <format>', 'the file format').choices(['safetensors']).default('safetensors'))
    .option('--out <file>', 'where to write (default: <dir>/model.safetensors)')
    .description("write an arm's weights as a PyTorch state_dict in safetensors (load_state_dict(strict=True) takes it)")
    .action(async (directory: string, flags: { format: 'safetensors'; out?: string }) => {
      const exported = await exportArmWeights(directory, flags.out, { reporter: silentReporter });
      write(`${exported.file}: ${exported.architecture} state_dict, ${exported.bytes} bytes, sha256 ${exported.sha256}\n`);
    });
}
