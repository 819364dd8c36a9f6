import type { AttackPlugin } from '@robustfair/spec';
import { fgsmPlugin } from './fgsm/fgsm-plugin.js';
import { pgdPlugin } from './pgd/pgd-plugin.js';

/** Every attack this package ships: the single registration list (HOUSE-STYLE B4). */
export const builtinAttacks: readonly AttackPlugin[] = [fgsmPlugin, pgdPlugin];
