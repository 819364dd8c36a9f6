import type { z } from 'zod';

/** Every kind of plugin the runner knows how to look up by id. */
export type PluginKind =
  | 'attack'
  | 'objective'
  | 'distiller'
  | 'fairness-strategy'
  | 'metric'
  | 'dataset'
  | 'model'
  | 'callback';

/** Where a method comes from, so results and docs can cite it. */
export interface PluginReference {
  readonly title: string;
  readonly year: number;
  readonly url?: string;
}

/**
 * A plugin is data: an id, a zod schema for its options, and a factory. It carries no
 * decorators and registers nothing on import; a package lists its descriptors in one array.
 *
 * `optionsSchema` validates raw JSON and fills defaults; its output is what results record as
 * the resolved options. `create` receives those parsed options and a kind-specific context.
 */
export interface PluginDescriptor<Kind extends PluginKind, Options, Instance, Context = PluginContext> {
  readonly kind: Kind;
  readonly id: string;
  readonly specificationVersion: 'v1';
  readonly summary: string;
  readonly reference?: PluginReference;
  readonly optionsSchema: z.ZodType<Options>;
  create(options: Options, context: Context): Instance;
}

/** What every factory may use: the arm's seed (plugins derive their own streams from it). */
export interface PluginContext {
  readonly seed: number;
}

/** A descriptor of any kind with any options, as stored in a registry. */
// biome-ignore lint: the registry is heterogeneous by design
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPluginDescriptor = PluginDescriptor<PluginKind, any, unknown, any>;
