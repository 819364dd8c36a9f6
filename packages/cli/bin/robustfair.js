#!/usr/bin/env node
// The `robustfair` command. This file is committed (the code is built into dist/) so that
// package managers can link the command before a build: pnpm links workspace bins at install
// time, and a bin pointing into dist/ made every fresh `pnpm install` warn.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('robustfair: @robustfair/cli is not built yet; run `pnpm build` (or `pnpm quickstart`) first\n');
  process.exit(1);
}
await import(entry.href);
