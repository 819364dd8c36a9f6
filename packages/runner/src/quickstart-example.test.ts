import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/load-config.js';
import { silentReporter } from './progress/progress-reporter.js';
import { runExperiments } from './run-experiments.js';

// Issue 2, acceptance 3: on the embedded default (examples/quickstart), the designed-hard classes
// are really harder: the identity arm's worst-class PGD accuracy is ≥ 10 points below its average.
const example = fileURLToPath(new URL('../../../examples/quickstart/robustfair.config.json', import.meta.url));

describe('examples/quickstart', () => {
  it('trains an identity arm whose worst class is at least 10 points below its average under PGD', async () => {
    const config = await loadConfig(example);
    const { compare: _compare, ...identityOnly } = config; // the identity arm is the base spec
    expect(config.spec.fairness.id).toBe('identity');
    const out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-quickstart-'));
    try {
      // wasm explicitly: this checks the example as users run it, whatever the test backend is.
      const result = await runExperiments(identityOnly, { out, reporter: silentReporter, backend: 'wasm' });
      const [arm] = result.arms;
      const pgd = Object.values(arm!.evaluation.attacks)[0]!;
      expect(pgd.average - pgd.worstClass.accuracy).toBeGreaterThanOrEqual(0.1);
      expect(arm!.evaluation.clean.average).toBeGreaterThan(pgd.average);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 300_000);
});
