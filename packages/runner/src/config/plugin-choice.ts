import type { PluginKind } from '@robustfair/spec';
import { z } from 'zod';

/** A plugin named by id with its raw options; the plugin's own schema validates `options`. */
export const pluginChoiceSchema = z.strictObject({
  id: z.string().min(1, { message: 'a plugin id is required' }),
  options: z.record(z.string(), z.unknown()).optional(),
});

export type PluginChoiceConfig = z.output<typeof pluginChoiceSchema>;

/**
 * Which kind of plugin each place of the config schema names. Validation does not need it; the
 * JSON Schema generator reads it to describe `id` and `options` per registered plugin.
 */
export const pluginChoiceKinds = z.registry<{ readonly kind: PluginKind }>();

/**
 * {@link pluginChoiceSchema} for a place that names a plugin of `kind` (same validation),
 * optionally with a description for editors.
 */
export function pluginChoiceOf(kind: PluginKind, description?: string): typeof pluginChoiceSchema {
  const schema = description === undefined ? pluginChoiceSchema.clone() : pluginChoiceSchema.describe(description);
  pluginChoiceKinds.add(schema, { kind });
  return schema;
}
