import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 7, acceptance 1 (in part): `robustfair ablate` over strategies × seeds writes one run
// directory per arm and one comparison; rerunning reuses the finished arms.
const bin = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));

describe('robustfair ablate', () => {
  it.skipIf(!existsSync(bin))('expands 2 strategies × 2 seeds into 4 arms and reuses them on a rerun', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-ablate-'));
    try {
      const config = path.join(directory, 'base.json');
      await writeFile(
        config,
        JSON.stringify({
          name: 'grid',
          dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 8, trainPerClass: 6, validationPerClass: 0, testPerClass: 4 } },
          model: { id: 'small-cnn', options: { width: 2 } },
          trainingAttack: { id: 'pgd', options: { steps: 1 } },
          training: { epochs: 1, batchSize: 9 },
          evaluation: { batchSize: 12, attacks: [{ preset: 'pgd20', overrides: { steps: 1 } }] },
        }),
      );
      const run = () =>
        spawnSync(process.execPath, [bin, 'ablate', config, '--axis', 'fairness.id=identity,class-reweight', '--seeds', '0,1', '--out', directory], {
          encoding: 'utf8',
        });
      const first = run();
      expect(first.status, first.stderr).toBe(0);
      const arms = (await readdir(path.join(directory, 'grid'), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
      expect(arms.sort()).toEqual(['class-reweight-seed0', 'class-reweight-seed1', 'identity-seed0', 'identity-seed1']);
      expect(first.stdout).toContain("comparison over 'method'");
      const second = run();
      expect(second.status, second.stderr).toBe(0);
      expect(second.stderr.match(/already finished/g)).toHaveLength(4);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 300_000);
});
