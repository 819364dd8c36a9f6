import { z } from 'zod';

/** A plugin named by id with its raw options; the plugin's own schema validates `options`. */
export const pluginChoiceSchema = z.strictObject({
  id: z.string().min(1, { message: 'a plugin id is required' }),
  options: z.record(z.string(), z.unknown()).optional(),
});

export type PluginChoiceConfig = z.output<typeof pluginChoiceSchema>;
