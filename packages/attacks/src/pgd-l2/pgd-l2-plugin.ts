import { type AttackPlugin, defineAttackPlugin } from '@robustfair/spec';
import type { z } from 'zod';
import { projectedGradientOptionsSchema } from '../pgd/pgd-plugin.js';
import { createPgdL2Attack, pgdL2AttackDefaults } from './pgd-l2-attack.js';

/** PGD-L2 options; `stepSize` is a Euclidean length in input units (up to 100, e.g. 0.1). */
export const pgdL2OptionsSchema = projectedGradientOptionsSchema(pgdL2AttackDefaults, 100);

/** Resolved PGD-L2 options. */
export type PgdL2PluginOptions = z.output<typeof pgdL2OptionsSchema>;

/** The `pgd-l2` attack plugin. */
export const pgdL2Plugin: AttackPlugin<PgdL2PluginOptions> = defineAttackPlugin({
  kind: 'attack',
  id: 'pgd-l2',
  specificationVersion: 'v1',
  summary: 'L2 projected gradient descent: normalised-gradient steps, radial projection onto each sample’s L2 ball.',
  reference: {
    title: 'Madry et al., Towards Deep Learning Models Resistant to Adversarial Attacks (ICLR)',
    year: 2018,
    url: 'https://arxiv.org/abs/1706.06083',
  },
  optionsSchema: pgdL2OptionsSchema,
  create: (options) => createPgdL2Attack(options),
});
