#!/usr/bin/env node
// The one entry that loads reflect-metadata (HOUSE-STYLE B4): the runner's @injectable classes need it.
import 'reflect-metadata';
import { RobustfairError } from '@robustfair/spec';
import { createProgram } from './program.js';

// `robustfair list | head`: a reader that closes the pipe early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`robustfair: ${message}\n`);
  // 2: the input was wrong (config, options); 1: anything else.
  process.exitCode = RobustfairError.isInstance(error) && (error as Error).name === 'InvalidOptionsError' ? 2 : 1;
}
