import type { AttackPlugin } from '@robustfair/spec';
import { apgdCePlugin, apgdDlrPlugin, apgdTargetedPlugin } from './apgd/apgd-plugins.js';
import { autoAttackPlugin } from './autoattack/auto-attack-plugin.js';
import { fabTargetedPlugin } from './fab/fab-targeted-plugin.js';
import { fatPlugin } from './fat/fat-plugin.js';
import { fgsmPlugin } from './fgsm/fgsm-plugin.js';
import { pgdL2Plugin } from './pgd-l2/pgd-l2-plugin.js';
import { pgdPlugin } from './pgd/pgd-plugin.js';
import { squarePlugin } from './square/square-plugin.js';

/** Every attack this package ships: the single registration list (HOUSE-STYLE B4). */
export const builtinAttacks: readonly AttackPlugin[] = [
  fgsmPlugin,
  pgdPlugin,
  pgdL2Plugin,
  apgdCePlugin,
  apgdDlrPlugin,
  apgdTargetedPlugin,
  fabTargetedPlugin,
  squarePlugin,
  autoAttackPlugin,
  fatPlugin,
];
