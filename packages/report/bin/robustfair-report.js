#!/usr/bin/env node
// The `robustfair-report` command. This file is committed (the code is built into dist/) so that
// package managers can link the command before a build, as the CLI's bin does.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('robustfair-report: @robustfair/report is not built yet; run `pnpm build` first\n');
  process.exit(1);
}
await import(entry.href);
