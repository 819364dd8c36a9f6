import { defineConfig } from 'tsup';

export default defineConfig({ entry: { 'run-bench': 'src/run-bench.ts', 'profile-step': 'src/profile-step.ts' }, format: ['esm'], target: 'node20', platform: 'node', clean: true, sourcemap: true });
