import { defineFairnessStrategyPlugin, NoSuchPluginError, type FairnessStrategyPlugin, type PluginContext } from '@robustfair/spec';
import { z } from 'zod';
import { chainStrategies } from './chain-strategies.js';

/** One member of a `chain`: a strategy id and its options (defaults filled by its own schema). */
const memberSchema = z.strictObject({
  id: z.string().min(1),
  options: z.record(z.string(), z.unknown()).default({}),
});

/** Options of `chain`: `{ strategies: [{ id, options }, ...] }`, at least one member. */
export type ChainOptions = { strategies: { id: string; options: Record<string, unknown> }[] };

/**
 * Makes a `chain` descriptor whose members are looked up in `resolvePlugins()` (called lazily,
 * at parse time, so the list may contain this descriptor and chains can nest).
 *
 * The exported `chainPlugin` resolves against the built-in list only; the runner's registry
 * replaces it with `createChainPlugin(() => everything in the registry)`, so a strategy loaded
 * from a config's `plugins` can be a member of `chain` in any config the runner reads.
 *
 * Parsing validates each member's options against that member's schema (issues are reported at
 * `strategies.<i>.options.<field>`) and records them with defaults filled; an unknown id is an
 * issue at `strategies.<i>.id` listing the registered ids. `create` builds each member and
 * chains them with {@link chainStrategies} (split and knob conflicts throw there).
 */
export function createChainPlugin(resolvePlugins: () => readonly FairnessStrategyPlugin[]): FairnessStrategyPlugin<ChainOptions> {
  const find = (memberId: string) => resolvePlugins().find((plugin) => plugin.id === memberId);
  const optionsSchema = z
    .strictObject({ strategies: z.array(memberSchema).min(1) })
    .superRefine((options, context) => {
      options.strategies.forEach((member, index) => {
        const plugin = find(member.id);
        if (plugin === undefined) {
          const available = resolvePlugins().map((candidate) => `'${candidate.id}'`).join(', ');
          context.addIssue({ code: 'custom', path: ['strategies', index, 'id'], message: `no fairness strategy '${member.id}'; available: ${available}` });
          return;
        }
        const result = plugin.optionsSchema.safeParse(member.options);
        if (!result.success) {
          for (const issue of result.error.issues) {
            const message =
              issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((key) => `'${key}'`).join(', ')}` : issue.message;
            context.addIssue({ code: 'custom', path: ['strategies', index, 'options', ...issue.path], message: `'${member.id}': ${message}` });
          }
        }
      });
    })
    .overwrite((options) => ({
      strategies: options.strategies.map((member) => {
        const parsed = find(member.id)?.optionsSchema.safeParse(member.options);
        return { id: member.id, options: parsed?.success ? (parsed.data as Record<string, unknown>) : member.options };
      }),
    }));

  return defineFairnessStrategyPlugin({
    kind: 'fairness-strategy',
    id: 'chain',
    specificationVersion: 'v1',
    summary: 'Combines strategies (Optax chain): weights multiply; epsilon, temperature and reduction from one member only; one split.',
    optionsSchema,
    create: (options: ChainOptions, context: PluginContext) =>
      chainStrategies(
        ...options.strategies.map((member) => {
          const plugin = find(member.id);
          if (plugin === undefined) {
            throw new NoSuchPluginError('fairness-strategy', member.id, resolvePlugins().map((candidate) => candidate.id));
          }
          return plugin.create(plugin.optionsSchema.parse(member.options), context);
        }),
      ),
  });
}
